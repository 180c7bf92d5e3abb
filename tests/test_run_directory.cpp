// The run-support pieces every command and study writes through: the resumable run directory
// (its lock, its settings policies, its manifest), the table writer, the whole-file read and
// the summary statistics.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/statistics.hpp"
#include "io/run_directory.hpp"
#include "io/table_writer.hpp"
#include "io/whole_file.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using testing::read_file;

std::string this_host() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

void write_lock(const std::string& path, long pid, const std::string& host) {
  std::ofstream(path) << "pid " << pid << "\nhost " << host << "\n";
}

// The pid of a process that has exited (and been reaped): no process has it for a while.
long dead_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return long(child);
}

TEST(RunDirectory, TakesTheLockAndReleasesIt) {
  const std::string dir = testing::temp_dir() + "/out";
  {
    RunDirectory run(dir);
    const std::string lock = read_file(dir + "/.lock");
    EXPECT_NE(lock.find("pid " + std::to_string(long(getpid())) + "\n"), std::string::npos) << lock;
    EXPECT_NE(lock.find("host " + this_host() + "\n"), std::string::npos) << lock;
    RunDirectory again(dir);  // the same process may open it twice
    EXPECT_TRUE(fs::exists(dir + "/.lock"));
  }
  EXPECT_FALSE(fs::exists(dir + "/.lock"));
}

TEST(RunDirectory, RefusesALiveHolderNamingItsPidAndHost) {
  const std::string dir = testing::temp_dir();
  write_lock(dir + "/.lock", long(getppid()), this_host());  // the test runner: alive
  try {
    RunDirectory run(dir);
    ADD_FAILURE() << "a held directory was opened";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("process " + std::to_string(long(getppid()))), std::string::npos) << m;
    EXPECT_NE(m.find(this_host()), std::string::npos) << m;
  }
  EXPECT_TRUE(fs::exists(dir + "/.lock"));  // not ours to remove
}

TEST(RunDirectory, RefusesAHolderOnAnotherHost) {
  const std::string dir = testing::temp_dir();
  write_lock(dir + "/.lock", dead_pid(), "some-other-node");
  EXPECT_THROW(RunDirectory run(dir), Error);
}

TEST(RunDirectory, TakesOverTheLockOfAProcessThatIsGone) {
  const std::string dir = testing::temp_dir();
  write_lock(dir + "/.lock", dead_pid(), this_host());
  {
    RunDirectory run(dir);
    EXPECT_NE(read_file(dir + "/.lock").find("pid " + std::to_string(long(getpid()))), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(dir + "/.lock"));
}

TEST(RunDirectory, ShardsLockSideBySide) {
  const std::string dir = testing::temp_dir();
  write_lock(dir + "/.lock-0-of-2", long(getppid()), this_host());  // shard 0 is running
  RunDirectory shard1(dir, 1, 2);
  EXPECT_TRUE(fs::exists(dir + "/.lock-1-of-2"));
  EXPECT_THROW(RunDirectory shard0(dir, 0, 2), Error);
}

TEST(RunDirectory, SettingsRefuseShowsTheLinesThatDiffer) {
  const std::string dir = testing::temp_dir();
  RunDirectory run(dir);
  EXPECT_TRUE(run.require_settings("a=1\nb=2\n", OnOtherSettings::Refuse));
  EXPECT_EQ(read_file(dir + "/settings.txt"), "a=1\nb=2\n");
  EXPECT_TRUE(run.require_settings("a=1\nb=2\n", OnOtherSettings::Refuse));
  run.write("rows.csv", "x\n1\n");
  try {
    run.require_settings("a=1\nb=3\n", OnOtherSettings::Refuse);
    ADD_FAILURE() << "other settings accepted";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("there: b=2"), std::string::npos) << m;
    EXPECT_NE(m.find("now:   b=3"), std::string::npos) << m;
    EXPECT_EQ(m.find("a=1"), std::string::npos) << m;  // equal lines are not listed
  }
  EXPECT_EQ(read_file(dir + "/settings.txt"), "a=1\nb=2\n");  // nothing damaged
  EXPECT_EQ(read_file(dir + "/rows.csv"), "x\n1\n");
}

// Settings from the tables (docs/algorithms.md §17): an older text of the same settings resumes
// and is kept as it is; other settings are refused naming the line, and nothing is damaged.
TEST(RunDirectory, SettingsUnderTheRuleResumeAnOlderTextAndKeepIt) {
  const std::string dir = testing::temp_dir();
  RunDirectory run(dir);
  run.write("settings.txt", "a 1\nb 0.10000000000000001\n");
  Settings same, other;
  same.add("a", "1").add("b", "0.1");
  other.add("a", "2").add("b", "0.1");
  EXPECT_TRUE(run.require_settings(same, OnOtherSettings::Refuse));
  EXPECT_EQ(read_file(dir + "/settings.txt"), "a 1\nb 0.10000000000000001\n");
  try {
    run.require_settings(other, OnOtherSettings::Refuse);
    ADD_FAILURE() << "other settings accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a: here 2, there 1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_file(dir + "/settings.txt"), "a 1\nb 0.10000000000000001\n");
  const std::string fresh = testing::temp_dir();
  EXPECT_TRUE(RunDirectory(fresh).require_settings(same, OnOtherSettings::Refuse));
  EXPECT_EQ(read_file(fresh + "/settings.txt"), "a=1\nb=0.1\n");
}

TEST(RunDirectory, SettingsRestartRemovesOnlyTheNamedResults) {
  const std::string dir = testing::temp_dir();
  RunDirectory run(dir);
  run.require_settings("k=1\n", OnOtherSettings::Restart, {"rows", "manifest.json"}, "plan.txt");
  fs::create_directories(dir + "/rows");
  run.write("rows/row-0.csv", "1\n");
  run.write("manifest.json", "{}\n");
  run.write("notes.txt", "the user's\n");
  EXPECT_FALSE(
      run.require_settings("k=2\n", OnOtherSettings::Restart, {"rows", "manifest.json"}, "plan.txt"));
  EXPECT_FALSE(fs::exists(dir + "/rows"));
  EXPECT_FALSE(run.finished("manifest.json"));
  EXPECT_EQ(read_file(dir + "/notes.txt"), "the user's\n");
  EXPECT_EQ(run.read("plan.txt"), "k=2\n");
}

TEST(RunDirectory, RemovesTemporariesOfKilledWritesWhenUnsharded) {
  const std::string dir = testing::temp_dir();
  std::ofstream(dir + "/.runs.csv.Ab12Cd") << "half";
  { RunDirectory shard(dir, 0, 2); }
  EXPECT_TRUE(fs::exists(dir + "/.runs.csv.Ab12Cd"));  // a neighbour shard may be writing it
  { RunDirectory alone(dir); }
  EXPECT_FALSE(fs::exists(dir + "/.runs.csv.Ab12Cd"));
}

TEST(RunDirectory, ManifestEndsInANewline) {
  const std::string dir = testing::temp_dir();
  RunDirectory run(dir);
  JsonObject m;
  m.add("runs", 3);
  run.write_manifest(m);
  EXPECT_EQ(read_file(dir + "/manifest.json"), m.str() + "\n");
  EXPECT_TRUE(run.finished("manifest.json"));
}

TEST(WholeFile, ReadsBytesAndNamesAMissingFile) {
  const std::string dir = testing::temp_dir();
  std::ofstream(dir + "/b.bin", std::ios::binary) << std::string("a\0b\n", 4);
  EXPECT_EQ(read_whole_file(dir + "/b.bin"), std::string("a\0b\n", 4));
  EXPECT_EQ(read_whole_file_if_present(dir + "/none"), "");
  try {
    read_whole_file(dir + "/none");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/none"), std::string::npos) << e.what();
  }
}

struct Pair {
  int i;
  double h;
};

TEST(TableWriter, HeaderAndRowsFromOneColumnList) {
  const Table<Pair> t({{"i", [](const Pair& p) { return std::to_string(p.i); }},
                       {"H", [](const Pair& p) { return std::to_string(p.h); }}});
  EXPECT_EQ(t.header(), "i,H");
  EXPECT_EQ(t.text({{0, 0.5}, {3, 2.0}}), "i,H\n0,0.500000\n3,2.000000\n");
  const std::string path = testing::temp_dir() + "/t.csv";
  t.write(path, {});
  EXPECT_EQ(read_file(path), "i,H\n");
}

TEST(Statistics, AgreesWithHandComputedValues) {
  const std::vector<double> v = {4, 1, 3, 2};
  const SampleSummary s = summarize(v);
  EXPECT_EQ(s.n, 4);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_DOUBLE_EQ(s.std, std::sqrt(5.0 / 3.0));  // sum of squares 5 over n - 1
  EXPECT_EQ(s.min, 1);
  EXPECT_EQ(s.max, 4);
  EXPECT_DOUBLE_EQ(median(v), 2.5);
  EXPECT_DOUBLE_EQ(median({5, 1, 3}), 3);
  EXPECT_DOUBLE_EQ(quantile(v, 0.25), 1.75);  // NumPy: np.quantile([1,2,3,4], .25)
  EXPECT_DOUBLE_EQ(interquartile_range(v), 1.5);
  EXPECT_DOUBLE_EQ(pearson_correlation({1, 2, 3}, {2, 4, 6}), 1.0);
  EXPECT_DOUBLE_EQ(pearson_correlation({1, 2, 3}, {3, 2, 1}), -1.0);
  EXPECT_TRUE(std::isnan(pearson_correlation({1, 2}, {1, 2})));
  EXPECT_TRUE(std::isnan(pearson_correlation({1, 1, 1}, {1, 2, 3})));
  EXPECT_TRUE(std::isnan(mean({})));
  EXPECT_EQ(sample_std({7}), 0);
  EXPECT_TRUE(std::isnan(summarize({}).mean));
}

}  // namespace
}  // namespace landscape
