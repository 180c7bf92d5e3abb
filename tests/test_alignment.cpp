// Permutation symmetries and alignment (models/permutation_symmetry.*, landscape/alignment/;
// docs/algorithms.md §2.10, §14): the linear assignment against brute force, a permuted vector
// computing the same outputs and loss on real images (the check Git Re-Basin's users asked for),
// and weight and activation matching recovering a random permutation exactly.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "autodiff/graph.hpp"
#include "core/strings.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "landscape/alignment/linear_assignment.hpp"
#include "landscape/alignment/weight_matching.hpp"
#include "landscape/paths/found_path.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"
#include "models/model.hpp"
#include "models/permutation_symmetry.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

double assignment_score(const std::vector<double>& C, int n, const std::vector<int>& p) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += C[size_t(i) * size_t(n) + size_t(p[size_t(i)])];
  return s;
}

TEST(LinearAssignment, EqualsBruteForceOnSmallMatrices) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  for (int n = 1; n <= 7; ++n)
    for (int trial = 0; trial < 6; ++trial) {
      std::vector<double> C(size_t(n * n));
      for (double& c : C) c = trial % 2 ? normal(rng) : double(int(normal(rng) * 3));  // ties too
      const std::vector<int> fast = max_weight_assignment(C, n),
                             slow = max_weight_assignment_brute_force(C, n);
      EXPECT_NEAR(assignment_score(C, n, fast), assignment_score(C, n, slow), 1e-9)
          << "n " << n << " trial " << trial;
      std::vector<int> sorted = fast;
      std::sort(sorted.begin(), sorted.end());
      for (int i = 0; i < n; ++i) EXPECT_EQ(sorted[size_t(i)], i);
    }
}

TEST(LinearAssignment, FindsAHiddenPermutationInALargeMatrix) {
  const int n = 300;
  std::vector<int> hidden(n);
  std::iota(hidden.begin(), hidden.end(), 0);
  std::mt19937_64 rng(5);
  std::shuffle(hidden.begin(), hidden.end(), rng);
  std::uniform_real_distribution<double> noise(0, 1);
  std::vector<double> C(size_t(n) * n);
  for (double& c : C) c = noise(rng);
  for (int i = 0; i < n; ++i) C[size_t(i) * n + size_t(hidden[size_t(i)])] = 2;  // the one best assignment
  EXPECT_EQ(max_weight_assignment(C, n), hidden);
}

// --- the symmetries of the study's models -------------------------------------------------

struct ModelCase {
  const char* arch;
  std::vector<int> units;  // per group
};

class Symmetry : public ::testing::TestWithParam<ModelCase> {
 protected:
  std::unique_ptr<Model> model = make_model(GetParam().arch);
  Permutations random_permutations(uint64_t seed) const {
    Permutations p = identity_permutations(*model);
    std::mt19937_64 rng(seed);
    for (auto& q : p) std::shuffle(q.begin(), q.end(), rng);
    return p;
  }
  Dataset images() const {
    if (testing::have_mnist()) return load_mnist(testing::mnist_dir(), Split::Train, 64);
    Dataset d;  // without MNIST: pixels in [0, 1]
    d.images = testing::random_tensor({64, 784}, 17, 0, 1);
    d.sample_shape = {784};
    d.labels.assign(64, 3);
    return d;
  }
};

TEST_P(Symmetry, GroupsAreTheHiddenLayers) {
  std::vector<int> units;
  for (const PermutationGroup& g : model->permutation_groups()) units.push_back(g.units);
  EXPECT_EQ(units, GetParam().units);
}

TEST_P(Symmetry, APermutedVectorComputesTheSameOutputsAndLoss) {
  const std::vector<Scalar> w = init_weights(*model, 1);
  const std::vector<Scalar> v = permute_weights(*model, w.data(), random_permutations(2));
  ASSERT_NE(v, w);
  const Dataset data = images();
  auto outputs = [&](const std::vector<Scalar>& x) {
    Graph g;
    auto p = parameter_leaves(g, *model, x.data(), nullptr);
    const Tensor& out =
        g.value(model->forward(g, p, g.constant(Tensor::view(data.images.data(), data.images.shape()))));
    return std::vector<Scalar>(out.data(), out.data() + out.size());
  };
  const std::vector<Scalar> a = outputs(w), b = outputs(v);
  const double tol = testing::kFloat64 ? 1e-12 : 2e-5;  // summation rounding only
  EXPECT_LT(testing::relative_difference(std::vector<double>(a.begin(), a.end()),
                                         std::vector<double>(b.begin(), b.end())),
            tol);
  const double la = dataset_loss(*model, data, w.data(), nullptr).loss,
               lb = dataset_loss(*model, data, v.data(), nullptr).loss;
  EXPECT_NEAR(la / lb, 1.0, tol);
}

TEST_P(Symmetry, WeightMatchingRecoversARandomPermutationExactly) {
  const std::vector<Scalar> A = init_weights(*model, 7);
  const std::vector<Scalar> B = permute_weights(*model, A.data(), random_permutations(8));
  const MatchingResult m = weight_matching(*model, A.data(), B.data(), 0);
  EXPECT_EQ(permute_weights(*model, B.data(), m.perms), A);
  EXPECT_LE(m.sweeps, 10);
}

// Smooth, sine-pattern weights (issue 36's case): patterns under which a coordinate descent from
// the identity alone stops at a local optimum (before the layer-order start: pattern 0 on all four
// models, pattern 1 on fcp, lenet and lstm, pattern 2 on lenet; the LSTM stopped at
// distance 12.48 of 12.72). The frequencies are incommensurate with the blocks' widths, so no two
// units are equal.
std::vector<Scalar> structured_weights(const Model& model, int pattern) {
  std::vector<Scalar> w(model.num_params());
  for (size_t k = 0; k < w.size(); ++k) {
    const double x = double(k);
    const double v = pattern == 0   ? 0.1 * std::sin(x)
                     : pattern == 1 ? 0.5 * std::sin(0.1 * x)
                                    : 0.2 * std::sin(0.0137 * x) + 0.1 * std::cos(0.00071 * x + 0.3);
    w[k] = Scalar(v);
  }
  return w;
}

TEST_P(Symmetry, WeightMatchingRecoversAPermutationOfStructuredWeightsExactly) {
  for (int pattern : {0, 1, 2}) {
    const std::vector<Scalar> A = structured_weights(*model, pattern);
    for (uint64_t seed : {8u, 21u}) {
      const std::vector<Scalar> B = permute_weights(*model, A.data(), random_permutations(seed));
      const MatchingResult m = weight_matching(*model, A.data(), B.data(), 0);
      SCOPED_TRACE("pattern " + std::to_string(pattern) + ", permutation seed " + std::to_string(seed));
      EXPECT_EQ(permute_weights(*model, B.data(), m.perms), A);
      // The objective is |A|^2 at the copy, and was lower before.
      EXPECT_EQ(m.objective, matching_objective(*model, A.data(), A.data(), identity_permutations(*model)));
      EXPECT_LT(m.objective_before, m.objective);
    }
  }
}

TEST_P(Symmetry, ActivationMatchingRecoversARandomPermutationExactly) {
  const std::vector<Scalar> A = init_weights(*model, 9);
  const std::vector<Scalar> B = permute_weights(*model, A.data(), random_permutations(10));
  const MatchingResult m = activation_matching(*model, A.data(), B.data(), images().images);
  EXPECT_EQ(permute_weights(*model, B.data(), m.perms), A);
}

TEST_P(Symmetry, MatchingTwoIndependentMinimaBringsThemCloser) {
  const std::vector<Scalar> A = init_weights(*model, 11), B = init_weights(*model, 12);
  auto distance = [&](const std::vector<Scalar>& x) {
    double d = 0;
    for (size_t k = 0; k < x.size(); ++k) d += (double(x[k]) - A[k]) * (double(x[k]) - A[k]);
    return std::sqrt(d);
  };
  const std::vector<Scalar> aligned =
      permute_weights(*model, B.data(), weight_matching(*model, A.data(), B.data()).perms);
  EXPECT_LT(distance(aligned), distance(B));
}

INSTANTIATE_TEST_SUITE_P(StudyModels, Symmetry,
                         ::testing::Values(ModelCase{"fcp", {50, 50}}, ModelCase{"lenet", {6, 16, 120, 84}},
                                           ModelCase{"lstm", {48}}, ModelCase{"ae", {32, 32, 32}}),
                         [](const auto& info) { return std::string(info.param.arch); });

TEST(Symmetry, ABadPermutationIsAnError) {
  auto model = make_model("fcp");
  const std::vector<Scalar> w = init_weights(*model, 1);
  Permutations p = identity_permutations(*model);
  p[0][0] = 1;  // unit 1 twice
  testing::expect_error([&] { permute_weights(*model, w.data(), p); }, {"fcp", "fc1", "50 units"});
}

// --- the excess barrier and `landscape align` -------------------------------------------

TEST(ExcessBarrier, IsTheRiseAboveTheBlendOfTheEndLosses) {
  PathResult r;
  r.t = {0, 0.25, 0.5, 1};
  r.profile = {1, 1.5, 3, 2};  // the blend at 0.5 is 1.5
  EXPECT_DOUBLE_EQ(excess_barrier(r), 1.5);
  r.profile = {1, 1.1, 1.2, 2};  // below the blend everywhere inside
  EXPECT_DOUBLE_EQ(excess_barrier(r), 0);
}

TEST(AlignCommand, RecoversAPermutedCopyAndBringsAnotherMinimumCloser) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found";
  auto model = make_model("fcp");
  const std::vector<Scalar> A = init_weights(*model, 21), C = init_weights(*model, 22);
  Permutations p = identity_permutations(*model);
  std::mt19937_64 rng(23);
  for (auto& q : p) std::shuffle(q.begin(), q.end(), rng);
  const std::vector<Scalar> B = permute_weights(*model, A.data(), p);
  std::vector<Scalar> W = A;
  W.insert(W.end(), B.begin(), B.end());
  W.insert(W.end(), C.begin(), C.end());
  const std::string dir = testing::temp_dir();
  write_npy(dir + "/w.npy", W.data(), 3, int64_t(model->num_params()));
  for (const char* method : {"weight", "activation"}) {
    const std::string out = dir + "/" + method;
    const testing::CommandResult r =
        testing::run_capture({testing::binary(),    "align",     "--arch",   "fcp",      "--weights",
                              dir + "/w.npy",       "--pairs",   "0-1,0-2",  "--method", method,
                              "--images",           "200",       "--points", "5",        "--data",
                              testing::mnist_dir(), "--threads", "1",        "--out",    out});
    ASSERT_EQ(r.status, 0) << r.err;
    const NpyMatrix aligned = read_npy(out + "/aligned.npy");
    ASSERT_EQ(aligned.rows, 2);
    EXPECT_TRUE(std::equal(A.begin(), A.end(), aligned.row(0))) << method << ": the permuted copy is A again";
    const auto [header, first, second] = testing::first_lines<3>(out + "/align.csv");
    EXPECT_EQ(
        header,
        "i,j,distance_before,distance_after,H_linear_before,H_linear_after,H_excess_before,H_excess_after");
    auto cells = [](const std::string& line) {
      std::vector<double> v;
      for (const std::string& c : split_commas(line)) v.push_back(std::stod(c));
      return v;
    };
    const std::vector<double> a = cells(first), b = cells(second);
    ASSERT_EQ(a.size(), 8u);
    ASSERT_EQ(b.size(), 8u);
    EXPECT_GT(a[2], 1) << first;
    EXPECT_EQ(a[3], 0) << first;
    EXPECT_LT(a[5], a[4]) << first;  // the line from A to itself: A's loss, below the detour's top
    EXPECT_GT(a[6], 0) << first;     // the detour rises above its ends' blend (both ends are A's loss)
    EXPECT_NEAR(a[6], a[4] - a[5], 1e-6 * a[4]) << first;  // so the rise is its top less A's loss
    EXPECT_EQ(a[7], 0) << first;                           // A to itself: a flat line
    EXPECT_LT(b[3], b[2]) << method << ": " << second;
  }
}

// path --align: the path runs from row i to row j permuted to match it; aligned.csv says how far
// apart they were, and a permuted copy of row i is row i again (a path of length 0).
TEST(AlignCommand, PathAlignsRowJToRowIFirst) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found";
  auto model = make_model("fcp");
  const std::vector<Scalar> A = init_weights(*model, 31);
  Permutations p = identity_permutations(*model);
  std::mt19937_64 rng(32);
  for (auto& q : p) std::shuffle(q.begin(), q.end(), rng);
  std::vector<Scalar> W = A;
  const std::vector<Scalar> B = permute_weights(*model, A.data(), p);
  W.insert(W.end(), B.begin(), B.end());
  const std::string dir = testing::temp_dir();
  write_npy(dir + "/w.npy", W.data(), 2, int64_t(model->num_params()));
  const testing::CommandResult r = testing::run_capture(
      {testing::binary(), "path", "--arch",  "fcp",     "--weights", dir + "/w.npy",
       "--pairs",         "0-1",  "--align", "weight",  "--images",  "100",
       "--points",        "5",    "--steps", "2",       "--data",    testing::mnist_dir(),
       "--threads",       "1",    "--out",   dir + "/p"});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string aligned = testing::read_file(dir + "/p/aligned.csv");
  EXPECT_EQ(aligned.rfind("i,j,distance_before,distance_after,H_linear_before,H_linear_after\n0,1,", 0), 0u)
      << aligned;
  EXPECT_NE(aligned.find(",0,"), std::string::npos) << aligned;  // distance after: 0
  EXPECT_NE(testing::read_file(dir + "/p/settings.txt").find("align=weight\n"), std::string::npos);
  const std::string row = testing::first_lines<2>(dir + "/p/paths.csv")[1];  // below the header
  const std::vector<std::string> cells = split_commas(row);
  ASSERT_GE(cells.size(), 5u) << row;
  // The straight line from A to (aligned) A is A itself: its barrier is A's loss, the one
  // aligned.csv gives after alignment, no higher than the one before.
  std::vector<double> a;
  for (const std::string& c :
       split_commas(aligned.substr(aligned.find('\n') + 1, aligned.rfind('\n') - aligned.find('\n') - 1)))
    a.push_back(std::stod(c));
  ASSERT_EQ(a.size(), 6u) << aligned;
  EXPECT_NEAR(std::stod(cells[2]) / a[5], 1.0, 1e-5) << row << "\n" << aligned;
  EXPECT_LE(a[5], a[4]) << aligned;
  EXPECT_GT(a[2], 1) << aligned;  // they were far apart

  // The search is a settings line: a directory aligned before the layer-order start (without it)
  // is refused by name, not resumed with rows of two searches.
  const std::string settings = testing::read_file(dir + "/p/settings.txt");
  const std::string line = "weight_matching=identity+layer-order\n";
  ASSERT_NE(settings.find(line), std::string::npos) << settings;
  std::string older = settings;
  older.erase(older.find(line), line.size());
  testing::write_bytes(dir + "/p/settings.txt", older);
  std::vector<std::string> again = {
      testing::binary(), "path",    "--arch",  "fcp",     "--weights", dir + "/w.npy",
      "--pairs",         "0-1,1-0", "--align", "weight",  "--images",  "100",
      "--points",        "5",       "--steps", "2",       "--data",    testing::mnist_dir(),
      "--threads",       "1",       "--out",   dir + "/p"};
  const testing::CommandResult refused = testing::run_capture(again);
  EXPECT_NE(refused.status, 0);
  EXPECT_NE(refused.err.find("weight_matching"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace landscape
