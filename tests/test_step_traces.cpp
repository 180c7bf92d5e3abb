// Step traces and saved paths (`--trace`, `--trace-states`, `path --save-path`; docs/algorithms.md
// §16): a trace changes no other output; its rows agree with what the run reports elsewhere
// (curve.csv, paths.csv, spectrum.csv, the saved weights); a saved path's rows are the path,
// its coefficients rebuild it, and `eval` of it gives profiles.csv back; bad flags and files
// that cannot be written are named. On the conformance pack's small network (970 parameters)
// and the first MNIST images (skips without MNIST).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include "io/csv.hpp"
#include "io/npy.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

std::string model() { return testing::reference_path("conformance/pooled_mlp.json"); }

testing::CommandResult landscape_run(std::vector<std::string> args) {
  args.insert(args.begin(), testing::binary());
  args.insert(args.end(), {"--threads", "1"});
  return testing::run_capture(args);
}

// `landscape COMMAND` on the small network and the first MNIST images, with `flags`.
std::vector<std::string> small_network_args(const std::string& command,
                                            std::initializer_list<std::string> flags) {
  std::vector<std::string> args = {command, "--arch", model(), "--data", testing::mnist_dir()};
  args.insert(args.end(), flags);
  return args;
}

std::vector<std::string> train_args(const std::string& optimizer, const std::string& out) {
  const char* epochs = optimizer == "sgd" ? "3" : "12";
  return small_network_args("train",
                            {"--optimizer", optimizer, "--epochs", epochs, "--batch", "40", "--lr", "0.5",
                             "--train-images", "300", "--test-images", "100", "--seed", "3", "--out", out});
}

bool trace_file(const std::string& relative) {
  const std::string name = std::filesystem::path(relative).filename().string();
  return testing::is_manifest(relative) || name.starts_with("trace") || name == "shuffles.npy";
}

double norm_of_difference(const double* a, const double* b, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += (a[i] - (b ? b[i] : 0)) * (a[i] - (b ? b[i] : 0));
  return std::sqrt(s);
}

class StepTraces : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_mnist()) GTEST_SKIP() << "needs MNIST";
  }
};

TEST_F(StepTraces, TrainTraceChangesNoOtherOutput) {
  for (const char* optimizer : {"sgd", "lbfgs"}) {
    SCOPED_TRACE(optimizer);
    const std::string dir = testing::temp_dir();
    ASSERT_EQ(landscape_run(train_args(optimizer, dir + "/plain")).status, 0);
    std::vector<std::string> traced = train_args(optimizer, dir + "/traced");
    traced.insert(traced.end(), {"--trace", "--trace-states", "--trace-every", "5"});
    ASSERT_EQ(landscape_run(traced).status, 0);
    const auto plain = testing::files_under(dir + "/plain", testing::is_manifest);
    const auto with_trace = testing::files_under(dir + "/traced", trace_file);
    EXPECT_EQ(plain, with_trace);
    EXPECT_TRUE(testing::file_exists(dir + "/traced/run-000/trace.csv"));
    EXPECT_TRUE(testing::file_exists(dir + "/traced/run-000/trace-states.npy"));
  }
}

TEST_F(StepTraces, LbfgsTraceAgreesWithTheRun) {
  const std::string dir = testing::temp_dir() + "/l";
  std::vector<std::string> args = train_args("lbfgs", dir);
  args.insert(args.end(), {"--trace", "--trace-states", "--trace-every", "5"});
  ASSERT_EQ(landscape_run(args).status, 0);
  const CsvTable t = read_csv(dir + "/run-000/trace.csv"), curve = read_csv(dir + "/run-000/curve.csv");
  ASSERT_EQ(t.rows.size(), 12u);
  ASSERT_EQ(curve.rows.size(), 12u);
  for (std::size_t k = 0; k < t.rows.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(t.number(k, "step"), double(k + 1));
    const double loss = t.number(k, "loss");
    EXPECT_NEAR(loss, curve.number(k, "train_loss"), 1e-10 * loss);  // curve.csv keeps 12 digits
    EXPECT_NEAR(t.number(k, "test_loss"), curve.number(k, "test_loss"), 1e-10);
    if (k > 0)
      EXPECT_EQ(t.rows[k][t.column("loss_start")], t.rows[k - 1][t.column("loss")]);  // the same number
    EXPECT_LE(t.number(k, "loss"), t.number(k, "loss_start"));
    const double u = t.number(k, "step_length");
    EXPECT_LE(t.number(k, "bracket_a"), u);
    EXPECT_LE(u, t.number(k, "bracket_b"));
    EXPECT_GE(t.number(k, "evaluations"), 2);
    EXPECT_LE(t.number(k, "evaluations"), 1 + 6 + 1);  // the budget's 6, a tie's midpoint
    if (t.number(k, "reset") == 0) EXPECT_EQ(t.number(k, "pairs"), double(std::min<std::size_t>(k, 10)));
    if (k == 0) EXPECT_TRUE(std::isnan(t.number(k, "cosine_min")));  // no pairs yet
  }
  // The states: w at steps 0, 5, 10 and the last; the last is w_final bit for bit.
  const CsvTable steps = read_csv(dir + "/run-000/trace-states.csv");
  ASSERT_EQ(steps.rows.size(), 4u);
  EXPECT_EQ(steps.number(3, "step"), 12);
  int64_t rows, cols, r1, c1;
  const std::vector<double> states = read_npy_double(dir + "/run-000/trace-states.npy", &rows, &cols);
  const std::vector<double> w_final = read_npy_double(dir + "/run-000/w_final.npy", &r1, &c1);
  const std::vector<double> w_init = read_npy_double(dir + "/run-000/w_init.npy", &r1, &c1);
  ASSERT_EQ(cols, 970);
  EXPECT_TRUE(std::equal(w_init.begin(), w_init.end(), states.begin()));
  EXPECT_TRUE(std::equal(w_final.begin(), w_final.end(), states.begin() + 3 * cols));
  EXPECT_NEAR(t.number(11, "weight_norm"), norm_of_difference(w_final.data(), nullptr, 970),
              1e-12 * t.number(11, "weight_norm"));
}

TEST_F(StepTraces, SgdTraceStepsAndShuffles) {
  const std::string dir = testing::temp_dir() + "/s";
  std::vector<std::string> args = train_args("sgd", dir);
  args.insert(args.end(), {"--trace", "--trace-states"});
  ASSERT_EQ(landscape_run(args).status, 0);
  const CsvTable t = read_csv(dir + "/run-000/trace.csv"), curve = read_csv(dir + "/run-000/curve.csv");
  ASSERT_EQ(t.rows.size(), 4u);  // step 0 (w_init) and 3 epochs
  int64_t rows, cols;
  const std::vector<double> w = read_npy_double(dir + "/run-000/trace-states.npy", &rows, &cols);
  ASSERT_EQ(rows, 4);
  for (std::size_t k = 1; k < 4; ++k) {
    EXPECT_NEAR(t.number(k, "train_loss"), curve.number(k - 1, "train_loss"), 1e-10);
    EXPECT_EQ(t.number(k, "batches"), 8);  // ceil(300 / 40)
    const double step = norm_of_difference(&w[k * cols], &w[(k - 1) * cols], cols);
    EXPECT_NEAR(t.number(k, "step_norm"), step, 1e-12 * step + 1e-6 * !testing::kFloat64);
  }
  // Each epoch's shuffle, [E, N]: a permutation of the 300 images, different every epoch.
  const NpyArray s = read_npy_array(dir + "/run-000/shuffles.npy");
  ASSERT_EQ(s.shape, (std::vector<int64_t>{3, 300}));
  const int64_t* order = reinterpret_cast<const int64_t*>(s.data());
  for (int e = 0; e < 3; ++e) {
    std::vector<int64_t> sorted(order + e * 300, order + (e + 1) * 300);
    std::sort(sorted.begin(), sorted.end());
    std::vector<int64_t> all(300);
    std::iota(all.begin(), all.end(), 0);
    EXPECT_EQ(sorted, all);
  }
  EXPECT_FALSE(std::equal(order, order + 300, order + 300));
}

// A pair's end points: two L-BFGS-GSS minima of the small network.
std::string end_points(const std::string& dir) {
  std::vector<std::string> args = train_args("lbfgs", dir + "/ends");
  args.insert(args.end(), {"--runs", "2"});
  EXPECT_EQ(landscape_run(args).status, 0);
  return dir + "/ends/w_train.npy";
}

std::vector<std::string> path_args(const std::string& weights, const std::string& out) {
  return small_network_args("path", {"--weights", weights, "--pairs", "0-1", "--images", "300", "--terms",
                                     "4", "--points", "11", "--steps", "15", "--out", out});
}

TEST_F(StepTraces, SavedPathIsThePathAndEvalGivesItsProfileBack) {
  const std::string dir = testing::temp_dir(), weights = end_points(dir);
  ASSERT_EQ(landscape_run(path_args(weights, dir + "/plain")).status, 0);
  std::vector<std::string> args = path_args(weights, dir + "/saved");
  args.insert(args.end(), {"--save-path", "--trace", "--trace-states", "--trace-every", "5"});
  ASSERT_EQ(landscape_run(args).status, 0);
  // Nothing else changed.
  auto new_file = [](const std::string& f) {
    return testing::is_manifest(f) || f.starts_with("trace") || f.starts_with("path-") ||
           f.starts_with("coefficients-");
  };
  EXPECT_EQ(testing::files_under(dir + "/plain", testing::is_manifest),
            testing::files_under(dir + "/saved", new_file));

  int64_t M, P, r, c;
  const std::vector<double> path = read_npy_double(dir + "/saved/path-0-1.npy", &M, &P);
  const std::vector<double> ends = read_npy_double(weights, &r, &c);
  ASSERT_EQ(M, 11);
  ASSERT_EQ(P, 970);
  EXPECT_TRUE(std::equal(ends.begin(), ends.begin() + P, path.begin()));              // row 0 = w_i exactly
  EXPECT_TRUE(std::equal(ends.begin() + P, ends.end(), path.begin() + (M - 1) * P));  // row M-1 = w_j
  // The coefficients rebuild every point: w(t) = (1 - t) w_i + t w_j + sum_n b_n sin(n pi t).
  int64_t NF, Pb;
  const std::vector<double> b = read_npy_double(dir + "/saved/coefficients-0-1.npy", &NF, &Pb);
  ASSERT_EQ(NF, 4);
  double worst = 0;
  for (int64_t m = 0; m < M; ++m) {
    const double t = double(m) / double(M - 1);
    for (int64_t p = 0; p < P; ++p) {
      double w = (1 - t) * ends[p] + t * ends[P + p];
      for (int64_t n = 1; n <= NF; ++n) w += b[(n - 1) * P + p] * std::sin(double(n) * M_PI * t);
      worst = std::max(worst, std::abs(w - path[m * P + p]));
    }
  }
  EXPECT_LT(worst, testing::kFloat64 ? 1e-12 : 1e-5);
  // eval of the saved rows gives the optimized profile of profiles.csv back.
  const testing::CommandResult e = landscape_run(small_network_args(
      "eval", {"--weights", dir + "/saved/path-0-1.npy", "--images", "300", "--out", dir + "/eval.csv"}));
  ASSERT_EQ(e.status, 0) << e.err;
  const CsvTable evals = read_csv(dir + "/eval.csv"), profiles = read_csv(dir + "/saved/profiles.csv");
  std::vector<double> optimized;
  for (std::size_t k = 0; k < profiles.rows.size(); ++k)
    if (profiles.rows[k][profiles.column("kind")] == "optimized")
      optimized.push_back(profiles.number(k, "loss"));
  ASSERT_EQ(optimized.size(), 11u);
  for (std::size_t m = 0; m < 11; ++m)  // both print 10 digits; the path evaluates through its basis (§2.6)
    EXPECT_NEAR(evals.number(m, "loss"), optimized[m], (testing::kFloat64 ? 1e-9 : 1e-5) * optimized[m]) << m;
  // The trace: a row per iterate b^0 .. b^15; the reported iterate has paths.csv's loss sum.
  const CsvTable t = read_csv(dir + "/saved/trace-0-1.csv"), paths = read_csv(dir + "/saved/paths.csv");
  ASSERT_EQ(t.rows.size(), 16u);
  double lowest = INFINITY;
  for (std::size_t k = 0; k < t.rows.size(); ++k) lowest = std::min(lowest, t.number(k, "loss_sum"));
  EXPECT_NEAR(lowest, paths.number(0, "loss_sum"), 1e-9 * lowest);
  EXPECT_NEAR(t.number(0, "H"), paths.number(0, "H_linear"), 1e-9 * t.number(0, "H"));  // b^0: the line
  EXPECT_TRUE(std::isnan(t.number(15, "gradient_norm")));  // the last iterate is not stepped from
  const CsvTable states = read_csv(dir + "/saved/trace-states-0-1.csv");
  EXPECT_EQ(states.rows.size(), 4u);  // b^0, b^5, b^10, b^15
}

TEST_F(StepTraces, HessianTraceEndsAtTheReportedEigenvalues) {
  const std::string dir = testing::temp_dir(), weights = end_points(dir);
  const testing::CommandResult r =
      landscape_run(small_network_args("hessian", {"--weights", weights, "--images", "300", "--iterations",
                                                   "12", "--probes", "2", "--trace", "--out", dir + "/h"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const CsvTable t = read_csv(dir + "/h/trace-0.csv"), s = read_csv(dir + "/h/spectrum.csv");
  ASSERT_EQ(t.rows.size(), 12u);
  EXPECT_EQ(t.number(11, "ritz_max"), s.number(0, "lambda_max"));
  EXPECT_EQ(t.number(11, "ritz_min"), s.number(0, "lambda_min"));
  EXPECT_EQ(t.number(11, "residual_max"), s.number(0, "residual_max"));
  for (std::size_t j = 1; j < 12; ++j)
    EXPECT_GE(t.number(j, "ritz_max"), t.number(j - 1, "ritz_max") - 1e-12);  // interlacing
  EXPECT_EQ(t.number(0, "ritz_max"), t.number(0, "alpha"));                   // T_1 = [alpha_1]
  // Without --trace the same spectrum (wall time aside) and density.
  const testing::CommandResult plain =
      landscape_run(small_network_args("hessian", {"--weights", weights, "--images", "300", "--iterations",
                                                   "12", "--probes", "2", "--out", dir + "/plain"}));
  ASSERT_EQ(plain.status, 0) << plain.err;
  const CsvTable p = read_csv(dir + "/plain/spectrum.csv");
  ASSERT_EQ(p.header, s.header);
  for (std::size_t c = 0; c < s.header.size(); ++c)
    if (s.header[c] != "seconds") EXPECT_EQ(p.rows[0][c], s.rows[0][c]) << s.header[c];
  EXPECT_EQ(testing::read_file(dir + "/plain/density.csv"), testing::read_file(dir + "/h/density.csv"));
  EXPECT_FALSE(testing::file_exists(dir + "/plain/trace-0.csv"));
}

TEST_F(StepTraces, BadFlagsAndUnwritableFilesAreNamed) {
  const std::string dir = testing::temp_dir(), weights = end_points(dir);
  std::vector<std::string> args = train_args("sgd", dir + "/t");
  args.push_back("--trace-states");
  testing::CommandResult r = landscape_run(args);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--trace-states needs --trace"), std::string::npos) << r.err;
  args = path_args(weights, dir + "/neb");
  args.insert(args.end(), {"--method", "neb", "--trace"});
  r = landscape_run(args);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--trace traces FourierPathFinder"), std::string::npos) << r.err;
  r = landscape_run(
      {"hessian", "--arch", model(), "--weights", weights, "--trace", "hutchpp", "--out", dir + "/h"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--trace-estimator hutchpp"), std::string::npos) << r.err;
  // A trace that cannot be written: an error naming it, and the pair is not recorded as done.
  std::filesystem::create_directories(dir + "/blocked/trace-0-1.csv");
  args = path_args(weights, dir + "/blocked");
  args.push_back("--trace");
  r = landscape_run(args);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("trace-0-1.csv"), std::string::npos) << r.err;
  EXPECT_FALSE(testing::file_exists(dir + "/blocked/paths.csv"));
}

}  // namespace
}  // namespace landscape
