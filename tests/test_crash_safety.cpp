// Crash safety of `landscape path`: killed (SIGKILL) at random moments and rerun, it ends with
// the same files as an uninterrupted run. (`train`: tests/test_training.cpp,
// Ensemble.KilledAtRandomMomentsResumesToTheSameFiles; `reproduce`: tests/test_reproduce.cpp,
// Reproduce.KilledAndRerunEndsWithTheSameFiles.) What makes it hold: every table is rewritten
// by an atomic rename (io/atomic_file.hpp) and a pair counts as done only once it is in
// paths.csv (experiments/paths/path_table.hpp).
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "io/npy.hpp"
#include "models/init.hpp"
#include "models/model.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Every file under dir (hidden temp files included: none may be left).
std::map<std::string, std::string> files_of(const std::string& dir) { return testing::files_under(dir); }

// DIR/w.npy holding `count` seeded FCP vectors (seeds 0, 1, ...); its path.
std::string seeded_fcp_weights(const std::string& dir, int count) {
  auto model = make_model("fcp");
  std::vector<Scalar> stack;
  for (uint64_t seed = 0; seed < uint64_t(count); ++seed) {
    const std::vector<Scalar> w = init_weights(*model, seed);
    stack.insert(stack.end(), w.begin(), w.end());
  }
  write_npy(dir + "/w.npy", stack.data(), count, int64_t(model->num_params()));
  return dir + "/w.npy";
}

// `landscape path` on FCP between rows of `weights` on MNIST, with these flags, into `out`.
std::vector<std::string> fcp_path(const std::string& weights, std::vector<std::string> flags,
                                  const std::string& out) {
  std::vector<std::string> argv = {testing::binary(), "path",  "--arch", "fcp",
                                   "--weights",       weights, "--data", testing::mnist_dir()};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {"--out", out});
  return argv;
}

TEST(CrashSafety, PathKilledAtRandomMomentsResumesToTheSameFiles) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found in " << testing::mnist_dir();
  // Four seeded fcp vectors, four pairs: a run of under a second, killed anywhere in it.
  const std::string dir = testing::temp_dir(), weights = seeded_fcp_weights(dir, 4);
  auto path = [&](const std::string& out) {
    return fcp_path(weights,
                    {"--pairs", "0-1,2-3,1-2,3-0", "--images", "128", "--terms", "3", "--points", "5",
                     "--steps", "8", "--grad-noise", "0.01", "--threads", "2"},
                    out);
  };
  const std::string clean = dir + "/clean", killed = dir + "/killed";
  const auto t0 = Clock::now();
  ASSERT_EQ(testing::run_command(path(clean)), 0);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  const std::map<std::string, std::string> expected = files_of(clean);
  ASSERT_EQ(expected.count("paths.csv"), 1u);

  std::mt19937 rng(11);
  for (int k = 0; k < 5; ++k)  // each kill lands somewhere in a run's first 1.2 durations
    testing::run_and_kill(path(killed), std::chrono::milliseconds(20 + rng() % (took.count() * 6 / 5 + 1)));
  ASSERT_EQ(testing::run_command(path(killed)), 0);
  EXPECT_TRUE(files_of(killed) == expected) << "a killed and resumed run differs";
}

// Ctrl-C or SIGTERM (core/interrupt.hpp): exit 130 or 143 with a message saying what was in
// progress and that the same command resumes; and it does, to the files of a clean run.
TEST(CrashSafety, PathInterruptedBySigintOrSigtermSaysSoAndResumes) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found in " << testing::mnist_dir();
  const std::string dir = testing::temp_dir(), weights = seeded_fcp_weights(dir, 3);
  auto path = [&](const std::string& out) {
    return fcp_path(weights,
                    {"--pairs", "0-1,1-2,2-0", "--images", "512", "--terms", "3", "--points", "9", "--steps",
                     "30", "--threads", "1"},
                    out);
  };
  const auto t0 = Clock::now();
  ASSERT_EQ(testing::run_command(path(dir + "/clean")), 0);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  const std::map<std::string, std::string> expected = files_of(dir + "/clean");
  for (auto [signal, status, word] :
       {std::tuple{SIGINT, 130, "interrupted (SIGINT)"}, std::tuple{SIGTERM, 143, "stopped (SIGTERM)"}}) {
    const std::string out = dir + "/" + word;
    const testing::CommandResult r = testing::run_and_signal(path(out), took * 3 / 4, signal);
    if (r.status == 0) GTEST_SKIP() << "the run finished before the signal (" << took.count() << " ms)";
    EXPECT_EQ(r.status, status) << r.err;
    EXPECT_NE(r.err.find(std::string("landscape path: ") + word + "; last progress: path "),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("the same command resumes"), std::string::npos) << r.err;
    ASSERT_EQ(testing::run_command(path(out)), 0);
    EXPECT_TRUE(files_of(out) == expected) << word << ": an interrupted and resumed run differs";
  }
}

// A write that fails midway (the file-size limit reached by the second pair's profiles.csv):
// the file is named, exit 1, the first pair's results stay on disk with no temp file beside
// them, and the same command without the limit resumes to a clean run's files.
TEST(CrashSafety, AWriteFailingMidwayNamesTheFileAndKeepsEarlierResults) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found in " << testing::mnist_dir();
  if (!fs::exists("/bin/bash")) GTEST_SKIP() << "no /bin/bash for ulimit";
  const std::string dir = testing::temp_dir(), weights = seeded_fcp_weights(dir, 3);
  auto path = [&](const std::string& out) {
    return fcp_path(weights,
                    {"--pairs", "0-1,1-2", "--images", "64", "--terms", "2", "--points", "51", "--steps", "2",
                     "--threads", "1"},
                    out);
  };
  ASSERT_EQ(testing::run_command(path(dir + "/clean")), 0);
  const std::map<std::string, std::string> clean = files_of(dir + "/clean");
  const size_t one_pair = clean.at("profiles.csv").size() / 2;  // each pair: 2 x 51 rows
  const std::string out = dir + "/limited";
  std::string command = "ulimit -f " + std::to_string((one_pair * 3 / 2) / 1024 + 1) + "; exec";
  for (const std::string& a : path(out)) command += " '" + a + "'";
  const testing::CommandResult r = testing::run_capture({"/bin/bash", "-c", command});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find(out + "/profiles.csv: File too large"), std::string::npos) << r.err;
  const std::map<std::string, std::string> kept = files_of(out);
  for (const auto& [name, bytes] : kept)
    EXPECT_EQ(clean.count(name), 1u) << name << " left behind";  // no temp file
  ASSERT_EQ(kept.count("paths.csv"), 1u);
  EXPECT_EQ(std::count(kept.at("paths.csv").begin(), kept.at("paths.csv").end(), '\n'), 2)
      << "header and pair 0-1";
  ASSERT_EQ(testing::run_command(path(out)), 0);
  EXPECT_TRUE(files_of(out) == clean) << "the resumed run differs from a clean one";
}

}  // namespace
}  // namespace landscape
