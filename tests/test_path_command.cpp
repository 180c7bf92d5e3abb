// `landscape path` and its parts: the pair lists, the resumable result tables, and
// FourierPathFinder on a real NN landscape (the paper's published LSTM weights on a subset of
// MNIST): the optimised path is never higher than the straight line.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "experiments/paths/path_pairs.hpp"
#include "experiments/paths/path_table.hpp"
#include "io/mnist.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "models/weights_file.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// --- pairs ---------------------------------------------------------------------------------

TEST(PathPairs, ParsedAsGiven) {
  const std::vector<PathPair> p = parse_pairs("0-1,7-2,3-47", 48);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], (PathPair{0, 1}));
  EXPECT_EQ(p[1], (PathPair{7, 2}));
  EXPECT_EQ(p[2], (PathPair{3, 47}));
  for (const char* bad : {"0-48", "1-1", "0-1,0-1", "0", "a-b", "0-1-2", "", "-1-2"})
    EXPECT_THROW(parse_pairs(bad, 48), UsageError) << bad;
  try {
    parse_pairs("0:1", 48);
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--pairs"), std::string::npos);
  }
}

TEST(PathPairs, RandomPairsAreDistinctUnorderedAndSeeded) {
  const std::vector<PathPair> a = random_pairs(48, 300, 5);
  ASSERT_EQ(a.size(), 300u);
  std::set<std::pair<int64_t, int64_t>> seen;
  for (const PathPair& p : a) {
    EXPECT_LT(p.i, p.j);
    EXPECT_GE(p.i, 0);
    EXPECT_LT(p.j, 48);
    EXPECT_TRUE(seen.insert({p.i, p.j}).second) << p.i << "-" << p.j << " drawn twice";
  }
  EXPECT_EQ(random_pairs(48, 300, 5), a);
  EXPECT_NE(random_pairs(48, 300, 6), a);
  // every pair of 5 rows, when all 10 are asked for
  EXPECT_EQ(random_pairs(5, 10, 1).size(), 10u);
  EXPECT_THROW(random_pairs(5, 11, 1), UsageError);
  EXPECT_THROW(random_pairs(48, 0, 1), UsageError);
  std::vector<int> count(48, 0);
  for (const PathPair& p : random_pairs(48, 1128, 9)) ++count[p.i], ++count[p.j];
  for (int c : count) EXPECT_EQ(c, 47);  // all pairs: every row 47 times
}

// --- the resumable tables --------------------------------------------------------------------

PathResult fake_result(double H) {
  PathResult r;
  r.H_linear = 2 * H;
  r.H = H;
  r.length = 3;
  r.loss_sum = 4;
  r.steps = 7;
  r.t = {0, 0.5, 1};
  r.profile_linear = {0.1, 2 * H, 0.2};
  r.profile = {0.1, H, 0.2};
  return r;
}

TEST(PathTable, WritesReloadsAndDropsOrphanProfiles) {
  const std::string dir = testing::temp_dir() + "/paths";
  Settings a, b;
  a.add("settings", "A");
  b.add("settings", "B");
  {
    PathTable t(dir, a);
    EXPECT_EQ(t.size(), 0u);
    t.add({0, 1}, fake_result(1.5));
    t.add({3, 2}, fake_result(0.25));
    EXPECT_TRUE(t.has({3, 2}));
    EXPECT_FALSE(t.has({2, 3}));  // a path runs one way
  }
  const std::vector<std::string> paths = read_lines(dir + "/paths.csv");
  ASSERT_EQ(paths.size(), 3u);
  EXPECT_EQ(paths[0], "i,j,H_linear,H,length,loss_sum,steps,H_excess");
  EXPECT_EQ(paths[1], "0,1,3,1.5,3,4,7,1.35");  // H_excess: 1.5 above the ends' blend 0.15
  EXPECT_EQ(paths[2], "3,2,0.5,0.25,3,4,7,0.1");
  const std::vector<std::string> profiles = read_lines(dir + "/profiles.csv");
  ASSERT_EQ(profiles.size(), 13u);
  EXPECT_EQ(profiles[0], "i,j,kind,m,t,loss");
  EXPECT_EQ(profiles[1], "0,1,linear,0,0,0.1");
  EXPECT_EQ(profiles[5], "0,1,optimized,1,0.5,1.5");

  // a run stopped between the two writes: profile rows of a pair that paths.csv lacks
  {
    std::ofstream extra(dir + "/profiles.csv", std::ios::app);
    extra << "5,6,linear,0,0,9\n";
  }
  PathTable again(dir, a);
  EXPECT_EQ(again.size(), 2u);
  EXPECT_TRUE(again.has({0, 1}));
  again.add({5, 6}, fake_result(1));
  const std::vector<std::string> after = read_lines(dir + "/profiles.csv");
  EXPECT_EQ(after.size(), 19u);  // the orphan row is gone, the new pair's 6 rows are there
  for (const std::string& row : after) EXPECT_NE(row, "5,6,linear,0,0,9");

  EXPECT_THROW(PathTable(dir, b), Error);
}

// --- an NN landscape -------------------------------------------------------------------------

using PathOnLstm = testing::PublishedLstmLandscape;

TEST_F(PathOnLstm, OptimisedPathIsNoHigherThanTheStraightLine) {
  const std::size_t P = land->dimension();
  PathParams p;  // the NN notebook's settings, fewer points and steps
  p.points = 9;
  p.steps = 4;
  for (const PathPair& pair : {PathPair{0, 1}, PathPair{5, 17}, PathPair{40, 3}}) {
    FourierPathFinder finder(*land, {weights.row(pair.i), P}, {weights.row(pair.j), P}, p);
    const PathResult r = finder.run();
    EXPECT_LE(r.H, r.H_linear) << pair.i << "-" << pair.j;
    EXPECT_LE(r.loss_sum, r.loss_sum_linear);
    EXPECT_GT(r.reported_step, 0);
    // the ends are the trained vectors themselves: their losses are the profile's ends (up to
    // the order of the sum over images, which depends on the threads)
    const double fi = land->evaluate(weights.row(pair.i), nullptr);
    const double fj = land->evaluate(weights.row(pair.j), nullptr);
    EXPECT_NEAR(r.profile.front(), fi, 1e-9 + 1e-6 * std::abs(fi));
    EXPECT_NEAR(r.profile.back(), fj, 1e-9 + 1e-6 * std::abs(fj));
  }
}

TEST(PathCommand, ResumesWithoutRedoingPairs) {
  const char* binary = std::getenv("LANDSCAPE_BINARY");
  if (!binary) GTEST_SKIP() << "LANDSCAPE_BINARY not set (meson test sets it)";
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found";
  const std::string weights_path = testing::published_lstm_weights_path();
  if (!testing::file_exists(weights_path)) GTEST_SKIP() << "no " << weights_path;
  const std::string dir = testing::temp_dir() + "/out";
  auto run = [&](const std::string& pairs) {
    const std::string cmd = std::string("'") + binary + "' path --arch lstm --weights '" + weights_path +
                            "' --data '" + testing::mnist_dir() + "' " + pairs +
                            " --images 32 --points 5 --steps 2 --threads 2 --out '" + dir +
                            "' >/dev/null 2>&1";
    return WEXITSTATUS(std::system(cmd.c_str()));
  };
  ASSERT_EQ(run("--pairs 0-1"), 0);
  const std::vector<std::string> first = read_lines(dir + "/paths.csv");
  ASSERT_EQ(first.size(), 2u);
  // a second run with one more pair computes only the new one and leaves the first row alone
  ASSERT_EQ(run("--pairs 0-1,2-3"), 0);
  const std::vector<std::string> second = read_lines(dir + "/paths.csv");
  ASSERT_EQ(second.size(), 3u);
  EXPECT_EQ(second[1], first[1]);
  EXPECT_EQ(second[2].rfind("2,3,", 0), 0u);
  EXPECT_EQ(read_lines(dir + "/profiles.csv").size(), 1u + 2 * 2 * 5);
  // usage errors exit 2; other settings in the same DIR exit 1
  EXPECT_EQ(run(""), 2);
  EXPECT_EQ(run("--pairs 0-1 --random-pairs 3"), 2);
  EXPECT_EQ(run("--pairs 0-1 --lambda -1"), 2);
  EXPECT_EQ(run("--pairs 0-1 --point-loss cubed"), 2);
  EXPECT_EQ(run("--pairs 4-5 --lr 0.01"), 1);
  EXPECT_EQ(read_lines(dir + "/paths.csv").size(), 3u);
}

// A pair of a model's path reports its steps while it runs (a full-batch pair at the paper's
// scale is an hour): in a log, the first step's line with the ETA.
TEST(PathCommand, ReportsStepsInsideAPair) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found";
  const std::string weights_path = testing::published_lstm_weights_path();
  if (!testing::file_exists(weights_path)) GTEST_SKIP() << "no " << weights_path;
  const std::string dir = testing::temp_dir();
  const std::string cmd = std::string("'") + testing::binary() + "' path --arch lstm --weights '" +
                          weights_path + "' --data '" + testing::mnist_dir() +
                          "' --pairs 2-3,0-1 --images 32 --points 5 --steps 3 --threads 2 --out '" + dir +
                          "/out' >/dev/null 2>'" + dir + "/stderr.txt'";
  ASSERT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 0);
  std::ifstream in(dir + "/stderr.txt");
  const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(log.find("path 1/2 (2-3): step 1/3, "), std::string::npos) << log;
  EXPECT_NE(log.find(" left\n"), std::string::npos) << log;
  EXPECT_NE(log.find("path 2/2 (0-1): H_linear "), std::string::npos) << log;
}

// --path --batch (docs/algorithms.md §5.7): usage errors name the flag, the settings name the
// batch (another --batch in the same DIR is refused), the paths are a function of the seed.
TEST(PathCommand, StochasticStepsFlagsSeedsAndSettings) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found";
  const std::string weights_path = testing::published_lstm_weights_path();
  if (!testing::file_exists(weights_path)) GTEST_SKIP() << "no " << weights_path;
  const std::string root = testing::temp_dir();
  auto run = [&](const std::string& dir, const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {testing::binary(), "path",       "--arch",   "lstm",
                                     "--weights",       weights_path, "--data",   testing::mnist_dir(),
                                     "--pairs",         "0-1",        "--images", "32",
                                     "--points",        "5",          "--steps",  "4",
                                     "--threads",       "2",          "--out",    root + "/" + dir};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return testing::run_capture(argv);
  };
  struct Bad {
    std::vector<std::string> flags;
    std::string named;  // the flag the message must name
  };
  for (const Bad& bad : std::vector<Bad>{{{"--batch", "33"}, "--batch"},  // more than --images
                                         {{"--batch", "-1"}, "--batch"},
                                         {{"--batch", "x"}, "--batch"},
                                         {{"--eval-every", "2"}, "--eval-every"},  // no --batch
                                         {{"--batch", "8", "--eval-every", "-2"}, "--eval-every"},
                                         {{"--batch", "8", "--method", "neb"}, "--batch"}}) {
    const testing::CommandResult r = run("bad", bad.flags);
    EXPECT_EQ(r.status, 2) << bad.flags[0] << " " << bad.flags[1] << ": " << r.err;
    EXPECT_NE(r.err.find(bad.named), std::string::npos) << r.err;
  }
  const std::vector<std::string> stochastic = {"--batch", "8", "--eval-every", "2", "--checkpoints"};
  ASSERT_EQ(run("a", stochastic).status, 0);
  ASSERT_EQ(run("b", stochastic).status, 0);
  std::vector<std::string> seed2 = stochastic;
  seed2.insert(seed2.end(), {"--seed", "2"});
  ASSERT_EQ(run("c", seed2).status, 0);
  const std::string a = testing::read_file(root + "/a/paths.csv");
  EXPECT_EQ(a, testing::read_file(root + "/b/paths.csv"));
  EXPECT_NE(testing::read_file(root + "/a/profiles.csv"), testing::read_file(root + "/c/profiles.csv"));
  const std::string settings = testing::read_file(root + "/a/settings.txt");
  EXPECT_NE(settings.find("\nbatch=8\neval_every=2\nseed=1\n"), std::string::npos) << settings;
  const std::vector<std::string> checkpoints = read_lines(root + "/a/checkpoints.csv");
  ASSERT_EQ(checkpoints.size(), 4u);  // b^0, b^2, b^4
  EXPECT_EQ(checkpoints[0], "i,j,step,seconds,cpu_seconds,H,loss_sum,H_reported");
  EXPECT_EQ(checkpoints[3].rfind("0,1,4,", 0), 0u);
  // another --batch, or none, in the same DIR: refused (exit 1), the rows kept
  for (const std::vector<std::string>& other :
       {std::vector<std::string>{"--batch", "16", "--eval-every", "2"}, {}}) {
    const testing::CommandResult r = run("a", other);
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("there 8"), std::string::npos) << r.err;  // "batch: here 16, there 8"
  }
  EXPECT_EQ(testing::read_file(root + "/a/paths.csv"), a);
  // a full-batch run's settings have no batch lines (directories of earlier versions resume)
  ASSERT_EQ(run("full", {}).status, 0);
  EXPECT_EQ(testing::read_file(root + "/full/settings.txt").find("batch"), std::string::npos);
}

// --- the run lock (io/run_directory.hpp) ------------------------------------------------------

// Starts argv in the background, output discarded (everything the child needs is built before
// fork: it calls only async-signal-safe functions).
pid_t start_in_background(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid != 0) return pid;
  const int null = open("/dev/null", O_WRONLY);
  if (null < 0 || dup2(null, STDOUT_FILENO) < 0 || dup2(null, STDERR_FILENO) < 0) _exit(126);
  execv(args[0], args.data());
  _exit(127);
}

// Waits until the lock `path` names its holder, "pid P\nhost H\n" (true), or `timeout` has
// passed.
bool wait_for_lock(const std::string& path, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (testing::read_file(path).find("\nhost ") == std::string::npos) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

std::vector<std::string> fig3_path(const std::string& dir, const std::string& steps) {
  return {testing::binary(), "path", "--landscape", "fig3", "--steps", steps, "--threads", "1", "--out", dir};
}

TEST(PathCommandLock, ASecondRunOnTheSameDirectoryIsRefusedNamingTheFirst) {
  const std::string dir = testing::temp_dir() + "/fig3";
  const pid_t first = start_in_background(fig3_path(dir, "100000000"));  // minutes: killed below
  ASSERT_GT(first, 0);
  ASSERT_TRUE(wait_for_lock(dir + "/.lock", std::chrono::seconds(60))) << "no lock appeared";
  const testing::CommandResult second = testing::run_capture(fig3_path(dir, "100000000"));
  kill_and_reap(first);
  EXPECT_EQ(second.status, 1) << second.err;
  EXPECT_NE(second.err.find("in use by process " + std::to_string(long(first))), std::string::npos)
      << second.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/paths.csv"));  // the second computed nothing
}

TEST(PathCommandLock, ARerunTakesOverTheLockOfAKilledRunAndResumes) {
  const std::string dir = testing::temp_dir() + "/fig3";
  const pid_t killed = start_in_background(fig3_path(dir, "400000"));  // about a second
  ASSERT_GT(killed, 0);
  ASSERT_TRUE(wait_for_lock(dir + "/.lock", std::chrono::seconds(60))) << "no lock appeared";
  kill_and_reap(killed);  // the lock stays behind, naming a process that is gone
  ASSERT_TRUE(std::filesystem::exists(dir + "/.lock"));
  const testing::CommandResult rerun = testing::run_capture(fig3_path(dir, "400000"));
  EXPECT_EQ(rerun.status, 0) << rerun.err;
  EXPECT_NE(rerun.err.find("locked by process " + std::to_string(long(killed)) + " on "), std::string::npos)
      << rerun.err;
  EXPECT_NE(rerun.err.find("taking the lock over"), std::string::npos) << rerun.err;
  EXPECT_NE(rerun.err.find("1 pairs computed, 0 already"), std::string::npos) << rerun.err;
  EXPECT_EQ(read_lines(dir + "/paths.csv").size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(dir + "/.lock"));  // released at the end
}

}  // namespace
}  // namespace landscape
