// Loss-surface plots (Li et al. 2018, docs/algorithms.md §9): filter normalisation and its
// invariances, the planes (random, pair, pca of a trajectory), grid values equal to direct
// evaluations, and the surface command end to end (files, figure, resume, bad flags).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"
#include "core/random.hpp"
#include "experiments/related/surface_study.hpp"
#include "io/csv.hpp"
#include "io/npy.hpp"
#include "landscape/surfaces/filter_normalization.hpp"
#include "landscape/surfaces/surface_grid.hpp"
#include "landscape/surfaces/surface_plane.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using testing::binary;
using testing::have_mnist;
using testing::kFloat64;
using testing::mnist_dir;
using testing::read_file;

// Relative tolerance of quantities rounded to Scalar once or a few times.
const double kRel = kFloat64 ? 1e-12 : 2e-6;

Dataset synthetic(int n, unsigned seed) { return testing::pseudo_images(n, seed, 0, 7, 0); }

double norm(const Scalar* x, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += double(x[i]) * double(x[i]);
  return std::sqrt(s);
}

const ParamBlock& block(const Model& m, const std::string& name) {
  for (const ParamBlock& b : m.layout())
    if (b.name == name) return b;
  throw Error("no block " + name);
}

TEST(FilterNormalization, EveryFilterHasTheNormOfItsWeightsAndBiasesAreZero) {
  for (const char* arch : {"fcp", "lenet", "lstm"}) {
    auto model = make_model(arch);
    const std::vector<Scalar> w = init_weights(*model, 3);
    Rng rng(11);
    const std::vector<Scalar> d = random_filter_direction(*model, w.data(), rng);
    int filters = 0;
    for (const ParamBlock& b : model->layout()) {
      if (is_bias(b)) {
        for (size_t i = 0; i < b.size(); ++i) ASSERT_EQ(d[b.offset + i], 0) << arch << " " << b.name;
        continue;
      }
      // a filter: one row of [out, in], one output channel of [out, in, kh, kw], one LSTM gate row
      const size_t n = b.size() / size_t(b.shape[0]);
      for (int f = 0; f < b.shape[0]; ++f, ++filters) {
        const double nw = norm(w.data() + b.offset + f * n, n), nd = norm(d.data() + b.offset + f * n, n);
        // |d_f| = |w_f| |g_f| / (|g_f| + 1e-10), Li et al.'s guard, with |g_f| > 1 here
        ASSERT_NEAR(nd, nw, (kRel + 1e-10) * nw) << arch << " " << b.name << " filter " << f;
      }
    }
    // FCP 50+50+10; LeNet 6+16+120+84+10; LSTM 192+192+10
    EXPECT_EQ(filters, std::string(arch) == "fcp" ? 110 : std::string(arch) == "lenet" ? 236 : 394) << arch;
  }
}

TEST(FilterNormalization, IncludedBiasesCopyTheBiasAndTheWeightBlocksDoNotChange) {
  auto model = make_model("lenet");
  const std::vector<Scalar> w = init_weights(*model, 5);
  Rng r1(2), r2(2);
  const std::vector<Scalar> d0 = random_filter_direction(*model, w.data(), r1);
  const std::vector<Scalar> d1 = random_filter_direction(*model, w.data(), r2, true);
  for (const ParamBlock& b : model->layout())
    for (size_t i = b.offset; i < b.offset + b.size(); ++i)
      ASSERT_EQ(d1[i], is_bias(b) ? w[i] : d0[i]) << b.name;  // Li et al.'s code: d_b = w_b
}

TEST(FilterNormalization, ScalingALayerScalesItsBlockOfTheDirectionAlone) {
  for (const char* arch : {"fcp", "lenet"}) {
    auto model = make_model(arch);
    const std::vector<Scalar> w = init_weights(*model, 7);
    const ParamBlock& scaled = model->layout()[0];  // fc1.weight / conv1.weight
    const double a = 3.0;
    std::vector<Scalar> w3 = w;
    for (size_t i = scaled.offset; i < scaled.offset + scaled.size(); ++i) w3[i] = Scalar(a * w[i]);
    Rng r1(9), r2(9);
    const std::vector<Scalar> d = random_filter_direction(*model, w.data(), r1);
    const std::vector<Scalar> d3 = random_filter_direction(*model, w3.data(), r2);
    for (size_t i = 0; i < d.size(); ++i) {
      if (i >= scaled.offset && i < scaled.offset + scaled.size())
        ASSERT_NEAR(d3[i], a * d[i], 3 * kRel * std::abs(a * d[i]) + 1e-30) << arch << " " << i;
      else
        ASSERT_EQ(d3[i], d[i]) << arch << " " << i;
    }
  }
}

// A ReLU FCP without biases computes the same function when fc1 is scaled by a > 0 and fc2 by
// 1/a (relu(a z) = a relu(z)). Filter normalisation follows the rescaling (the fc1 block of d
// grows by a, the fc2 block shrinks by 1/a), so every point of the surface is the same network:
// the plot is invariant. Raw Gaussian directions are not: the control below must differ.
TEST(FilterNormalization, ReluFcpSurfaceIsInvariantToRescalingAdjacentLayers) {
  auto model = make_model("fcp", Activation::Relu);
  const Dataset data = synthetic(64, 4);
  const std::vector<Scalar> w = init_weights(*model, 1);
  const ParamBlock &fc1 = block(*model, "fc1.weight"), &fc2 = block(*model, "fc2.weight");
  const double a = 3.0;
  std::vector<Scalar> ws = w;
  for (size_t i = fc1.offset; i < fc1.offset + fc1.size(); ++i) ws[i] = Scalar(w[i] * a);
  for (size_t i = fc2.offset; i < fc2.offset + fc2.size(); ++i) ws[i] = Scalar(w[i] / a);

  const SurfacePlane p = random_plane(*model, w.data(), 2, 42), ps = random_plane(*model, ws.data(), 2, 42);
  std::vector<SurfacePoint> pts, pts_s;
  for (double x : {-1.0, -0.4, 0.0, 0.7})
    for (double y : {-0.8, 0.0, 0.5}) pts.push_back({x, y});
  pts_s = pts;
  evaluate_surface_points(*model, data, p, pts);
  evaluate_surface_points(*model, data, ps, pts_s);
  for (size_t m = 0; m < pts.size(); ++m) {
    EXPECT_NEAR(pts_s[m].loss, pts[m].loss, 20 * kRel * pts[m].loss) << pts[m].a << "," << pts[m].b;
    EXPECT_EQ(pts_s[m].accuracy, pts[m].accuracy) << pts[m].a << "," << pts[m].b;
  }

  // Control: the same Gaussian draws without normalisation see two different landscapes.
  SurfacePlane raw = p, raw_s = ps;
  Rng rng(42);
  for (Scalar& x : raw.d1) x = Scalar(rng.normal());
  for (Scalar& x : raw.d2) x = Scalar(rng.normal());
  raw_s.d1 = raw.d1;
  raw_s.d2 = raw.d2;
  std::vector<SurfacePoint> q{{0.05, 0.0}}, q_s{{0.05, 0.0}};
  evaluate_surface_points(*model, data, raw, q);
  evaluate_surface_points(*model, data, raw_s, q_s);
  EXPECT_GT(std::abs(q[0].loss - q_s[0].loss), 1e-3 * q[0].loss);
}

TEST(SurfaceGrid, CoordinatesHaveExactEndsAndZeroInTheMiddle) {
  const std::vector<double> x = grid_coordinates(-1, 1, 51);
  ASSERT_EQ(x.size(), 51u);
  EXPECT_EQ(x.front(), -1.0);
  EXPECT_EQ(x.back(), 1.0);
  EXPECT_EQ(x[25], 0.0);
  const std::vector<double> y = grid_coordinates(-0.5, 1.5, 5);
  EXPECT_EQ(y[1], 0.0);
  EXPECT_EQ(y[3], 1.0);
  EXPECT_THROW(grid_coordinates(0, 1, 1), Error);
}

// The grid's points go through dataset_loss_many with the plane as their basis (the first
// layer from 3 products, docs/algorithms.md §2.6): the direct evaluation of each point up to
// rounding (float32: a few ulps of the first layer's output).
TEST(SurfaceGrid, GridValuesEqualDirectEvaluationsAndTheLineAtZeroIsTheSolution) {
  const double tol = testing::kFloat64 ? 1e-12 : 1e-5;
  for (const char* arch : {"fcp", "lenet", "ae"}) {
    auto model = make_model(arch);
    const Dataset data = synthetic(24, 8);
    const std::vector<Scalar> w = init_weights(*model, 2);
    const SurfacePlane plane = random_plane(*model, w.data(), 2, 5);
    std::vector<SurfacePoint> pts;
    for (double y : grid_coordinates(-1, 1, 3))
      for (double x : grid_coordinates(-1, 1, 3)) pts.push_back({x, y});
    evaluate_surface_points(*model, data, plane, pts);  // 9 points over 2 threads
    std::vector<Scalar> at(w.size());
    for (const SurfacePoint& s : pts) {
      plane.point(s.a, s.b, at.data());
      const DatasetLoss direct = dataset_loss(*model, data, at.data(), nullptr);
      EXPECT_NEAR(s.loss / direct.loss, 1.0, tol) << arch << " at " << s.a << "," << s.b;
      if (model->is_classifier()) {
        EXPECT_EQ(s.accuracy, direct.accuracy()) << arch;
      } else {
        EXPECT_TRUE(std::isnan(s.accuracy)) << arch;
      }
    }
    // 1-D: the middle of an odd grid over -1:1 is the solution itself
    const SurfacePlane line = random_plane(*model, w.data(), 1, 5);
    std::vector<SurfacePoint> row;
    for (double x : grid_coordinates(-1, 1, 5)) row.push_back({x, 0});
    evaluate_surface_points(*model, data, line, row);
    EXPECT_NEAR(row[2].loss / dataset_loss(*model, data, w.data(), nullptr).loss, 1.0, tol) << arch;
    EXPECT_NE(row[0].loss, row[2].loss) << arch;
  }
}

TEST(SurfacePlane, PairPlanePassesThroughBothEndsWithAnOrthogonalSecondAxis) {
  auto model = make_model("lenet");
  const std::vector<Scalar> wi = init_weights(*model, 1), wj = init_weights(*model, 2);
  const SurfacePlane p = pair_plane(*model, wi.data(), wj.data(), 2, 3);
  std::vector<Scalar> at(wi.size());
  p.point(1, 0, at.data());
  double dot = 0, err = 0;
  for (size_t i = 0; i < at.size(); ++i) {
    err = std::max(err, std::abs(double(at[i]) - double(wj[i])));
    dot += double(p.d1[i]) * double(p.d2[i]);
  }
  EXPECT_LT(err, kFloat64 ? 1e-15 : 1e-7);
  EXPECT_LT(std::abs(dot), 1e-5 * norm(p.d1.data(), p.d1.size()) * norm(p.d2.data(), p.d2.size()));
  EXPECT_THROW(pair_plane(*model, wi.data(), wi.data(), 2, 3), Error);
}

// A trajectory that lies in a 2-D affine plane: its PCA plane contains every iterate, so
// w_K + PC1(w_k) d1 + PC2(w_k) d2 rebuilds each w_k, and w_K sits at the origin.
TEST(SurfacePlane, TrajectoryPlaneRebuildsAPlanarTrajectory) {
  auto model = make_model("fcp");
  const size_t P = model->num_params();
  const std::vector<Scalar> wK = init_weights(*model, 4), u = init_weights(*model, 5),
                            v = init_weights(*model, 6);
  const int K = 6;
  std::vector<Scalar> W(K * P);
  for (int k = 0; k < K; ++k)
    for (size_t p = 0; p < P; ++p)  // a curved path ending at wK
      W[k * P + p] = Scalar(double(wK[p]) + (K - 1 - k) * 0.3 * double(u[p]) +
                            (K - 1 - k) * (K - 1 - k) * 0.05 * double(v[p]));
  const SurfacePlane plane = trajectory_plane(Tensor::view(W.data(), {K, int(P)}), 2);
  EXPECT_EQ(plane.center, std::vector<Scalar>(W.end() - long(P), W.end()));
  EXPECT_NEAR(plane.explained[0] + plane.explained[1], 1.0, 1e-6);
  EXPECT_NEAR(norm(plane.d1.data(), P), 1.0, kRel * 10);
  std::vector<Scalar> at(P);
  for (int k = 0; k < K; ++k) {
    const std::vector<double> c = plane.project(W.data() + k * P);
    plane.point(c[0], c[1], at.data());
    double err = 0, scale = 0;
    for (size_t p = 0; p < P; ++p) {
      err = std::max(err, std::abs(double(at[p]) - double(W[k * P + p])));
      scale = std::max(scale, std::abs(double(W[k * P + p])));
    }
    EXPECT_LT(err, (kFloat64 ? 1e-12 : 1e-5) * scale) << "iterate " << k;
    if (k == K - 1) {
      EXPECT_EQ(c[0], 0.0);
      EXPECT_EQ(c[1], 0.0);
    }
  }
  EXPECT_THROW(trajectory_plane(Tensor::view(W.data(), {2, int(P)}), 2), Error);  // K < 3
}

// ---- the command line -----------------------------------------------------------------------

class SurfaceCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
    setenv("LANDSCAPE_DATA", mnist_dir().c_str(), 1);
    dir_ = testing::temp_dir();
    weights_ = dir_ + "/w.npy";
    auto model = make_model("fcp");
    std::vector<Scalar> w = init_weights(*model, 1), w2 = init_weights(*model, 2);
    w.insert(w.end(), w2.begin(), w2.end());
    write_npy(weights_, w.data(), 2, int64_t(model->num_params()));
  }
  testing::CommandResult surface(std::vector<std::string> extra) {
    std::vector<std::string> argv{binary(), "surface", "--arch", "fcp", "--images", "64", "--threads", "2"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return testing::run_capture(argv);
  }
  std::string dir_, weights_;
};

TEST_F(SurfaceCommand, WritesTheGridItsFigureAndResumes) {
  const std::string out = dir_ + "/s2";
  auto r = surface({"--weights", weights_, "--grid", "5", "--out", out});
  ASSERT_EQ(r.status, 0) << r.err;
  const CsvTable t = read_csv(out + "/surface.csv");
  ASSERT_EQ(t.rows.size(), 25u);
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "b", "loss", "accuracy"}));
  EXPECT_EQ(t.number(12, "a"), 0.0);  // the middle point is the solution
  EXPECT_EQ(t.number(12, "b"), 0.0);
  const std::string manifest = read_file(out + "/manifest.json");
  for (const char* key : {"\"seed\"", "\"threads\"", "\"precision\"", "\"version\"", "\"center_loss\""})
    EXPECT_NE(manifest.find(key), std::string::npos) << key;
  EXPECT_NEAR(t.number(12, "loss"), std::stod(manifest.substr(manifest.find("\"center_loss\"") + 15)), 1e-9);
  EXPECT_TRUE(fs::exists(out + "/surface.dat"));
  EXPECT_TRUE(fs::exists(out + "/surface.gp"));
  if (std::system("gnuplot --version >/dev/null 2>&1") == 0) {
    EXPECT_GT(fs::file_size(out + "/surface.png"), 1000u);
    EXPECT_TRUE(fs::exists(out + "/surface.svg"));
  }
  NpyMatrix dirs = read_npy(out + "/directions.npy");
  EXPECT_EQ(dirs.rows, 2);

  // the same command again: every point found finished, the same table
  const std::string before = read_file(out + "/surface.csv");
  r = surface({"--weights", weights_, "--grid", "5", "--out", out});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(read_file(out + "/manifest.json").find("\"points_resumed\": 25"), std::string::npos)
      << read_file(out + "/manifest.json");
  EXPECT_EQ(read_file(out + "/surface.csv"), before);

  // other settings in the same DIR: the grid starts afresh and the message names what went
  r = surface({"--weights", weights_, "--grid", "3", "--out", out});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("holds results of other settings; starting afresh (removed surface.csv, "
                       "manifest.json)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(read_csv(out + "/surface.csv").rows.size(), 9u);
  EXPECT_NE(read_file(out + "/manifest.json").find("\"points_resumed\": 0"), std::string::npos);
}

// Each point's dataset loss runs serially on one thread, so the thread count changes no bit.
TEST_F(SurfaceCommand, OneAndTwoThreadsGiveTheSameTable) {
  const std::vector<std::string> flags{"--weights", weights_, "--grid", "4", "--dims", "2", "--out"};
  std::vector<std::string> two = flags;
  two.push_back(dir_ + "/t2");  // surface() runs with --threads 2
  std::vector<std::string> argv1{binary(), "surface", "--arch", "fcp", "--images", "64", "--threads", "1"};
  argv1.insert(argv1.end(), flags.begin(), flags.end());
  argv1.push_back(dir_ + "/t1");
  ASSERT_EQ(testing::run_command(argv1), 0);
  ASSERT_EQ(surface(two).status, 0);
  EXPECT_EQ(read_file(dir_ + "/t1/surface.csv"), read_file(dir_ + "/t2/surface.csv"));
}

TEST_F(SurfaceCommand, KilledMidGridResumesToTheSameTable) {
  const std::vector<std::string> flags{"--weights", weights_, "--grid", "15", "--images", "256"};
  auto argv = [&](const std::string& out) {
    std::vector<std::string> a{binary(), "surface", "--arch", "fcp", "--threads", "2", "--out", out};
    a.insert(a.end(), flags.begin(), flags.end());
    return a;
  };
  ASSERT_EQ(testing::run_command(argv(dir_ + "/whole")), 0);
  for (int delay_ms : {150, 400}) {
    const std::string out = dir_ + "/killed" + std::to_string(delay_ms);
    testing::run_and_kill(argv(out), std::chrono::milliseconds(delay_ms));
    ASSERT_EQ(testing::run_command(argv(out)), 0);
    EXPECT_EQ(read_file(out + "/surface.csv"), read_file(dir_ + "/whole/surface.csv")) << delay_ms;
    for (const auto& e : fs::directory_iterator(out))  // no temporary file left behind
      EXPECT_NE(e.path().filename().string()[0], '.') << e.path();
  }
}

TEST_F(SurfaceCommand, LinePairAndPcaDirections) {
  auto r = surface({"--weights", weights_, "--dims", "1", "--grid", "5", "--out", dir_ + "/line"});
  ASSERT_EQ(r.status, 0) << r.err;
  CsvTable t = read_csv(dir_ + "/line/surface.csv");
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "loss", "accuracy"}));
  EXPECT_EQ(t.rows.size(), 5u);

  r = surface({"--weights", weights_, "--directions", "pair", "--row2", "1", "--dims", "1", "--grid", "5",
               "--out", dir_ + "/pair"});
  ASSERT_EQ(r.status, 0) << r.err;
  t = read_csv(dir_ + "/pair/surface.csv");  // a = -0.5, 0, 0.5, 1, 1.5: rows 1 and 3 are w_i, w_j
  ASSERT_EQ(t.rows.size(), 5u);
  EXPECT_EQ(t.number(1, "a"), 0.0);
  EXPECT_EQ(t.number(3, "a"), 1.0);
  auto eval =
      testing::run_capture({binary(), "eval", "--arch", "fcp", "--weights", weights_, "--images", "64"});
  ASSERT_EQ(eval.status, 0) << eval.err;  // row,loss,accuracy for both rows
  const double loss_j = std::stod(eval.out.substr(eval.out.rfind("\n1,") + 3));
  EXPECT_NEAR(t.number(3, "loss"), loss_j, kFloat64 ? 1e-9 : 1e-4);

  // pca of two vectors has one axis only
  r = surface({"--weights", weights_, "--directions", "pca", "--out", dir_ + "/pca"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("pca directions"), std::string::npos) << r.err;
}

TEST_F(SurfaceCommand, TrainSnapshotsGiveATrajectoryOverTheContours) {
  const std::string run = dir_ + "/train";
  auto r = testing::run_capture({binary(), "train", "--arch", "fcp", "--epochs", "5", "--snapshots", "2",
                                 "--lr", "0.1", "--train-images", "256", "--test-images", "64", "--out", run,
                                 "--threads", "2"});
  ASSERT_EQ(r.status, 0) << r.err;
  const NpyMatrix s = read_npy(run + "/run-000/snapshots.npy");
  const NpyMatrix w0 = read_npy(run + "/run-000/w_init.npy"), wf = read_npy(run + "/run-000/w_final.npy");
  ASSERT_EQ(s.rows, 4);  // epochs 0, 2, 4 and the final 5
  EXPECT_EQ(std::vector<Scalar>(s.row(0), s.row(1)), w0.data);
  EXPECT_EQ(std::vector<Scalar>(s.row(3), s.row(3) + s.cols), wf.data);
  EXPECT_EQ(read_file(run + "/run-000/snapshots.csv"), "row,epoch\n0,0\n1,2\n2,4\n3,5\n");

  const std::string out = dir_ + "/traj";
  r = surface({"--trajectory", run + "/run-000/snapshots.npy", "--grid", "5", "--out", out});
  ASSERT_EQ(r.status, 0) << r.err;
  const CsvTable p = read_csv(out + "/projections.csv");
  ASSERT_EQ(p.rows.size(), 4u);
  EXPECT_EQ(p.number(3, "a"), 0.0);  // w_final is the centre
  EXPECT_EQ(p.number(3, "b"), 0.0);
  const CsvTable t = read_csv(out + "/surface.csv");
  ASSERT_EQ(t.rows.size(), 25u);
  for (size_t k = 0; k < 4; ++k) {  // the fitted range holds the whole path
    EXPECT_LE(t.number(0, "a"), p.number(k, "a"));
    EXPECT_GE(t.number(24, "a"), p.number(k, "a"));
    EXPECT_LE(t.number(0, "b"), p.number(k, "b"));
    EXPECT_GE(t.number(24, "b"), p.number(k, "b"));
  }
  EXPECT_NE(read_file(out + "/manifest.json").find("explained_variance_pc2"), std::string::npos);
}

TEST_F(SurfaceCommand, BadFlagsNameTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--weights", weights_, "--dims", "3"}, "--dims"},
      {{"--weights", weights_, "--range", "1:-1"}, "--range"},
      {{"--weights", weights_, "--range", "abc"}, "--range"},
      {{"--weights", weights_, "--directions", "sideways"}, "--directions"},
      {{"--weights", weights_, "--directions", "pair"}, "--row2"},
      {{"--weights", weights_, "--row", "2"}, "--row"},
      {{"--weights", weights_, "--grid", "1"}, "--grid"},
      {{"--grid", "5"}, "--weights"},
      {{"--weights", weights_, "--trajectory", weights_}, "--trajectory"},
      {{"--weights", weights_, "--dims", "1", "--yrange", "0:1"}, "--yrange"},
  };
  for (const auto& [flags, name] : cases) {
    std::vector<std::string> argv = flags;
    argv.insert(argv.end(), {"--out", dir_ + "/bad"});
    const auto r = surface(argv);
    EXPECT_EQ(r.status, 2) << name << ": " << r.err;
    EXPECT_NE(r.err.find(name), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace landscape
