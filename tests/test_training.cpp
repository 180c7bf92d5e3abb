// Training runs and ensembles: SGD lowers the loss, a seed fixes every output bit, divergence
// is caught and marked, --keep picks the lowest training losses, and a run killed at any
// moment resumes to the same files as an uninterrupted one.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "core/error.hpp"
#include "experiments/training/ensemble.hpp"
#include "experiments/training/training_run.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using testing::binary;
using testing::have_mnist;
using testing::mnist_dir;
using testing::read_file;
using testing::run_and_kill;
using testing::run_command;

// Every file under dir except the manifests (which record wall time).
std::map<std::string, std::string> result_files(const std::string& dir) {
  return testing::files_under(dir, testing::is_manifest);
}

// argv for a small SGD ensemble on the first images of MNIST.
std::vector<std::string> small_train_args(const std::string& out, const std::string& optimizer) {
  setenv("LANDSCAPE_DATA", mnist_dir().c_str(), 0);  // the child finds the same MNIST
  return {binary(), "train", "--arch",   "fcp", "--optimizer",    optimizer, "--runs",        "3",
          "--keep", "2",     "--epochs", "3",   "--train-images", "256",     "--test-images", "128",
          "--seed", "7",     "--out",    out,   "--threads",      "2"};
}

Dataset synthetic(int n, unsigned seed) { return testing::pseudo_images(n, seed, 0, 1, 0); }

TEST(TrainingRun, SgdLowersTheTrainingLossOnASubset) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  Dataset train = load_mnist(mnist_dir(), Split::Train, 512);
  Dataset test = load_mnist(mnist_dir(), Split::Test, 128);
  auto model = make_model("fcp");
  TrainConfig cfg;
  cfg.epochs = 3;
  cfg.sgd.lr = 0.1;
  std::vector<Scalar> w0 = init_weights(*model, 1);
  const double start = dataset_loss(*model, train, w0.data(), nullptr).loss;
  RunRecord run = train_run(*model, train, test, cfg, 1, w0);
  ASSERT_EQ(run.status, "ok");
  ASSERT_EQ(run.curve.size(), 3u);
  EXPECT_LT(run.curve.back().train_loss, start - 0.1);
  EXPECT_LT(run.curve.back().train_loss, run.curve.front().train_loss);
  // w_train is the weights at the epoch of minimum training loss, and reproduces it
  EXPECT_NEAR(dataset_loss(*model, train, run.w_train.data(), nullptr).loss, run.min_train_loss, 1e-6);
  EXPECT_NEAR(dataset_loss(*model, test, run.w_test.data(), nullptr).loss, run.min_test_loss, 1e-6);
}

TEST(TrainingRun, DivergenceIsCaughtAndMarked) {
  Dataset train = synthetic(64, 1), test = synthetic(16, 2);
  auto model = make_model("fcp");
  TrainConfig cfg;
  cfg.epochs = 5;
  cfg.sgd.lr = 1e200;  // overflows within a few steps in either precision
  RunRecord run = train_run(*model, train, test, cfg, 3, init_weights(*model, 3));
  EXPECT_EQ(run.status, "diverged");
  EXPECT_FALSE(run.failure.empty());
  for (const EpochRecord& e : run.curve) {  // nothing non-finite reaches the curve
    EXPECT_TRUE(std::isfinite(e.train_loss));
    EXPECT_TRUE(std::isfinite(e.test_loss));
  }
}

TEST(TrainingRun, BadSettingsNameTheirFlag) {
  TrainConfig cfg;
  cfg.batch = 1000;
  try {
    cfg.check(100);
    FAIL() << "a batch larger than the data was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--batch"), std::string::npos) << e.what();
  }
}

TEST(Ensemble, KeepsTheLowestTrainingLossesInRunOrder) {
  std::vector<RunSummary> runs(5);
  const double losses[] = {0.5, 0.1, NAN, 0.3, 0.2};
  for (int i = 0; i < 5; ++i) {
    runs[i].run = i;
    runs[i].min_train_loss = losses[i];
    runs[i].status = std::isnan(losses[i]) ? "diverged" : "ok";
  }
  EXPECT_EQ(select_kept(runs, 2), (std::vector<int>{1, 4}));
  EXPECT_EQ(select_kept(runs, 4), (std::vector<int>{0, 1, 3, 4}));
  EXPECT_EQ(select_kept(runs, 5), (std::vector<int>{0, 1, 3, 4}));  // the diverged run never
}

TEST(Ensemble, SameSeedGivesIdenticalFilesAndStacksHoldTheKeptRuns) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string a = testing::temp_dir(), b = testing::temp_dir();
  ASSERT_EQ(run_command(small_train_args(a, "sgd")), 0);
  ASSERT_EQ(run_command(small_train_args(b, "sgd")), 0);
  auto fa = result_files(a), fb = result_files(b);
  EXPECT_EQ(fa.size(), 3u * 6 + 4);  // 6 files per run; runs.csv, settings.txt, 2 stacks
  EXPECT_TRUE(fa == fb) << "same command, same seed, different bytes";
  EXPECT_TRUE(fs::exists(a + "/manifest.json"));
  NpyMatrix stack = read_npy(a + "/w_train.npy");
  EXPECT_EQ(stack.rows, 2);
  EXPECT_EQ(stack.cols, 42200);
  const std::string runs = read_file(a + "/runs.csv");
  EXPECT_EQ(runs.rfind("run,seed,min_train_loss,epoch_train,min_test_loss,epoch_test,kept,status\n", 0), 0u);
}

TEST(Ensemble, OtherSettingsAreRefusedAndAHeldDirectoryToo) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string out = testing::temp_dir();
  std::vector<std::string> args = small_train_args(out, "sgd");
  ASSERT_EQ(run_command(args), 0);
  const auto before = result_files(out);
  // Other settings: refused with the line that differs, and no file changes.
  std::vector<std::string> other = args;
  other[std::find(other.begin(), other.end(), "--epochs") - other.begin() + 1] = "4";
  const auto r = testing::run_capture(other);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("epochs: here 4, there 3"), std::string::npos) << r.err;
  EXPECT_TRUE(result_files(out) == before);
  // A directory another live process holds: refused naming it (here the test runner).
  std::ofstream(out + "/.lock") << "pid " << getppid() << "\nhost " << read_file("/proc/sys/kernel/hostname");
  const auto held = testing::run_capture(args);
  EXPECT_EQ(held.status, 1);
  EXPECT_NE(held.err.find("in use by process " + std::to_string(getppid())), std::string::npos) << held.err;
  fs::remove(out + "/.lock");
}

TEST(Ensemble, KilledAtRandomMomentsResumesToTheSameFiles) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  for (const char* optimizer : {"sgd", "lbfgs"}) {
    const std::string clean = testing::temp_dir(), killed = testing::temp_dir();
    ASSERT_EQ(run_command(small_train_args(clean, optimizer)), 0);
    std::mt19937 rng(42);
    for (int k = 0; k < 4; ++k)
      run_and_kill(small_train_args(killed, optimizer), std::chrono::milliseconds(50 + rng() % 700));
    ASSERT_EQ(run_command(small_train_args(killed, optimizer)), 0);
    EXPECT_TRUE(result_files(clean) == result_files(killed)) << optimizer;
  }
}

TEST(Ensemble, RefusesToMixSettingsInOneDirectory) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string dir = testing::temp_dir();
  auto args = small_train_args(dir, "sgd");
  args[args.size() - 5] = "8";  // --seed 8 instead of 7
  ASSERT_EQ(run_command(args), 0);
  EXPECT_EQ(run_command(small_train_args(dir, "sgd")), 1);
}

}  // namespace
}  // namespace landscape
