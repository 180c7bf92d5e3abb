// Numerical faults: a NaN or Inf in a loss or gradient is caught where it appears and reported
// with where it happened (training: run, epoch, step; path finding: pair, step, point), and
// never reaches a result file. (tests/test_training.cpp, TrainingRun.DivergenceIsCaughtAndMarked,
// checks the run record's curve.)
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "experiments/training/training_run.hpp"
#include "io/npy.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "models/init.hpp"
#include "models/model.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using testing::have_mnist;
using testing::mnist_dir;

bool all_finite(const std::vector<Scalar>& v) {
  for (Scalar x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// f(x) = x0^2 - x1 on the plane, NaN where x1 > 0.5: the straight line (x1 = 0) is fine; the
// gradient (0, -1) pushes the path up into the NaN region.
class NanAbove : public Landscape {
 public:
  std::size_t dimension() const override { return 2; }
  double evaluate(const Scalar* x, Scalar* grad) const override {
    if (grad) grad[0] = Scalar(2 * x[0]), grad[1] = Scalar(-1);
    if (x[1] > 0.5) return std::numeric_limits<double>::quiet_NaN();
    return double(x[0]) * x[0] - x[1];
  }
  std::string describe() const override { return "NaN above x1 = 0.5"; }
};

// f = |x|^2 with an Inf gradient component wherever x0 > 0.
class InfGradient : public Landscape {
 public:
  std::size_t dimension() const override { return 2; }
  double evaluate(const Scalar* x, Scalar* grad) const override {
    if (grad) grad[0] = x[0] > 0 ? std::numeric_limits<Scalar>::infinity() : 2 * x[0], grad[1] = 2 * x[1];
    return double(x[0]) * x[0] + double(x[1]) * x[1];
  }
  std::string describe() const override { return "Inf gradient for x0 > 0"; }
};

TEST(NumericalFaults, PathFinderStopsAtTheFirstNonFiniteLoss) {
  PathParams p;
  p.terms = 1;
  p.points = 5;
  p.steps = 10;
  p.lr = 1.0;  // one Adam step moves b_1 by ~1: the midpoints rise to x1 ~ 1
  const Scalar a[] = {0, 0}, b[] = {1, 0};
  NanAbove f;
  FourierPathFinder finder(f, a, b, p);
  const std::string e = error_of([&] { finder.run(); });
  EXPECT_NE(e.find("step 1 of 10"), std::string::npos) << e;
  EXPECT_NE(e.find("non-finite loss nan at point 1"), std::string::npos) << e;
}

TEST(NumericalFaults, PathFinderStopsAtANonFiniteGradient) {
  PathParams p;
  p.terms = 2;
  p.points = 5;
  p.steps = 3;
  const Scalar a[] = {0, 0}, b[] = {1, 0};
  InfGradient f;
  FourierPathFinder finder(f, a, b, p);
  const std::string e = error_of([&] { finder.run(); });
  EXPECT_NE(e.find("step 0 of 3: non-finite gradient dL/db_1 at component 0"), std::string::npos) << e;
}

TEST(NumericalFaults, PathCommandNamesThePairAndWritesNoRow) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string dir = testing::temp_dir(), weights = dir + "/w.npy", out = dir + "/out";
  auto model = make_model("fcp");
  std::vector<Scalar> stack = init_weights(*model, 1), w2 = init_weights(*model, 2);
  stack.insert(stack.end(), w2.begin(), w2.end());
  write_npy(weights, stack.data(), 2, int64_t(model->num_params()));
  // Adam's first step moves every b component by about lr = 1e300: the loss overflows.
  const testing::CommandResult r =
      testing::run_capture({testing::binary(), "path",      "--arch",  "fcp", "--weights", weights,
                            "--data",          mnist_dir(), "--pairs", "0-1", "--images",  "64",
                            "--points",        "5",         "--steps", "3",   "--lr",      "1e300",
                            "--threads",       "2",         "--out",   out});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("pair 0-1: FourierPathFinder step 1 of 3: non-finite"), std::string::npos) << r.err;
  const std::string paths = testing::read_file(out + "/paths.csv");
  EXPECT_EQ(paths.find("\n0,1,"), std::string::npos) << paths;
}

TEST(NumericalFaults, DivergedTrainingRunKeepsNoNonFiniteWeights) {
  Dataset train, test;
  train.images = testing::random_tensor({64, kImagePixels}, 1, 0, 1);
  test.images = testing::random_tensor({16, kImagePixels}, 2, 0, 1);
  for (int i = 0; i < 64; ++i) train.labels.push_back(i % 10);
  for (int i = 0; i < 16; ++i) test.labels.push_back(i % 10);
  auto model = make_model("fcp");
  TrainConfig cfg;
  cfg.epochs = 3;
  cfg.batch = 16;
  cfg.sgd.lr = 1e300;  // the first step already overflows some weights to Inf
  RunRecord run = train_run(*model, train, test, cfg, 5, init_weights(*model, 5));
  EXPECT_EQ(run.status, "diverged");
  EXPECT_NE(run.failure.find("at epoch 1, step "), std::string::npos) << run.failure;
  for (const auto* w : {&run.w_init, &run.w_train, &run.w_test, &run.w_final}) EXPECT_TRUE(all_finite(*w));
}

TEST(NumericalFaults, TrainCommandReportsRunEpochAndStep) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string out = testing::temp_dir();
  const testing::CommandResult r = testing::run_capture(
      {testing::binary(), "train", "--arch",        "fcp", "--runs", "2",     "--epochs", "2",
       "--train-images",  "256",   "--test-images", "64",  "--lr",   "1e200", "--data",   mnist_dir(),
       "--threads",       "2",     "--out",         out});
  EXPECT_EQ(r.status, 0) << r.err;  // the ensemble goes on; the runs are marked
  EXPECT_NE(r.err.find("run 1 diverged: non-finite loss at epoch 1, step "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0 kept, 2 diverged"), std::string::npos) << r.err;
  const std::string runs = testing::read_file(out + "/runs.csv");
  EXPECT_NE(runs.find(",0,diverged\n"), std::string::npos) << runs;
  // every weight file written is finite; runs.csv says "nan" and "diverged" in the open
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (e.path().extension() == ".npy") {
      EXPECT_TRUE(all_finite(read_npy(e.path()).data)) << e.path();
    }
  }
}

}  // namespace
}  // namespace landscape
