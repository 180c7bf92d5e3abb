// Hostile and broken inputs, given to the real binary as a user would: truncated and corrupted
// IDX files, altered MNIST (checksums), .npy files of the wrong dtype, shape, order or with a
// lying header, weights of the wrong length or not finite, unknown flags and out-of-range
// values, an output directory that cannot be written, a full disk (/dev/full).
// For each: a non-zero exit (2 for bad usage, 1 otherwise), a message that names the input,
// and no output file left behind, half-written or otherwise (an existing one stays as it was).
// tests/README.md lists every case with what the user sees.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using testing::binary;
using testing::CommandResult;
using testing::have_mnist;
using testing::mnist_dir;
using testing::read_file;

constexpr int kFcpParams = 42200;

using testing::npy_bytes;
using testing::write_bytes;

// Every file under dir (recursively), as paths relative to it: what a failed run left there.
std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (!e.is_directory()) files.push_back(e.path().lexically_relative(dir).string());
  return files;
}

// Runs argv and checks the failure: exit status, each needle in stderr, nothing new in
// `out_dir` (which the test made empty, or holds only `keep` with its old content).
void expect_failure(const std::vector<std::string>& argv, int status, const std::vector<std::string>& needles,
                    const std::string& out_dir = "", const std::string& stdout_path = "") {
  const CommandResult r = testing::run_capture(argv, stdout_path);
  std::string cmd;
  for (const std::string& a : argv) cmd += a + " ";
  EXPECT_EQ(r.status, status) << cmd << "\n" << r.err;
  for (const std::string& n : needles)
    EXPECT_NE(r.err.find(n), std::string::npos) << cmd << "\nstderr lacks '" << n << "':\n" << r.err;
  if (!out_dir.empty()) {
    const std::vector<std::string> left = files_under(out_dir);
    EXPECT_TRUE(left.empty()) << cmd << "\nleft " << left.size() << " file(s), first " << left[0];
  }
}

class HostileInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir();
    out_ = dir_ + "/out";
    fs::create_directories(out_);
    weights_ = dir_ + "/w.npy";
    std::vector<float> w(kFcpParams, 0.01f);
    write_npy(weights_, w.data(), 1, kFcpParams, true);
  }
  // `landscape eval` of the fcp model on the first test images; its CSV goes to out_/eval.csv.
  std::vector<std::string> eval(const std::string& weights, const std::string& data) {
    return {binary(),  "eval", "--arch",   "fcp", "--weights", weights, "--data", data,
            "--split", "test", "--images", "10",  "--threads", "2",     "--out",  out_ + "/eval.csv"};
  }
  // A copy of MNIST's test split in dir_/mnist, to be damaged.
  std::string test_split_copy() {
    const std::string d = dir_ + "/mnist";
    fs::create_directories(d);
    for (Split s : {Split::Test})
      for (const std::string& f : {mnist_images_file(s), mnist_labels_file(s)})
        fs::copy_file(mnist_dir() + "/" + f, d + "/" + f, fs::copy_options::overwrite_existing);
    return d;
  }
  std::string npy_file(const std::string& name, const std::string& bytes) {
    write_bytes(dir_ + "/" + name, bytes);
    return dir_ + "/" + name;
  }
  std::string dir_, out_, weights_;
};

TEST_F(HostileInputs, TheHappyPathWorks) {  // so the failures below fail for their reason
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const CommandResult r = testing::run_capture(eval(weights_, mnist_dir()));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(out_ + "/eval.csv").rfind("row,loss,accuracy\n0,", 0), 0u);
}

TEST_F(HostileInputs, TruncatedAndCorruptedIdxFiles) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string d = test_split_copy();
  const std::string images = d + "/" + mnist_images_file(Split::Test);
  const std::string labels = d + "/" + mnist_labels_file(Split::Test);
  const std::string good_images = read_file(images), good_labels = read_file(labels);

  fs::resize_file(images, 5000);  // truncated in the middle of the pixels
  expect_failure(eval(weights_, d), 1, {images, "truncated"}, out_);
  fs::resize_file(images, 10);  // truncated inside the header
  expect_failure(eval(weights_, d), 1, {images, "shorter than the 16-byte header"}, out_);
  write_bytes(images, good_images + "extra");  // bytes after the data
  expect_failure(eval(weights_, d), 1, {images, "too long"}, out_);
  write_bytes(images, good_labels);  // a labels file where the images should be
  expect_failure(eval(weights_, d), 1, {images, "not an IDX images file"}, out_);
  std::string huge = good_images;  // a header promising 2^32-1 images
  huge[4] = huge[5] = huge[6] = huge[7] = '\xff';
  write_bytes(images, huge);
  expect_failure(eval(weights_, d), 1, {images, "4294967295 images"}, out_);
  write_bytes(images, good_images);

  std::string bad_label = good_labels;
  bad_label[8 + 3] = char(200);  // label 200 at index 3
  write_bytes(labels, bad_label);
  expect_failure(eval(weights_, d), 1, {labels, "label 200 at index 3"}, out_);
  write_bytes(labels, good_labels.substr(0, good_labels.size() - 1));
  expect_failure(eval(weights_, d), 1, {labels, "truncated"}, out_);
  fs::remove(labels);
  expect_failure(eval(weights_, d), 1, {labels, "landscape data"}, out_);
}

TEST_F(HostileInputs, AlteredMnistFailsItsChecksum) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string d = test_split_copy();
  for (Split s : {Split::Train})
    for (const std::string& f : {mnist_images_file(s), mnist_labels_file(s)})
      fs::create_symlink(fs::absolute(mnist_dir() + "/" + f), d + "/" + f);
  const std::string labels = d + "/" + mnist_labels_file(Split::Test);
  std::string bytes = read_file(labels);
  bytes[100] = char(bytes[100] == 1 ? 2 : 1);  // one label changed: still a valid IDX file
  write_bytes(labels, bytes);
  const std::vector<std::string> argv = {binary(), "data", "--verify-only", "--data", d};
  const CommandResult r = testing::run_capture(argv);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(d), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("ALTERED t10k-labels-idx1-ubyte"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok      train-images-idx3-ubyte"), std::string::npos) << r.out;
}

TEST_F(HostileInputs, BrokenNpyFiles) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string data = mnist_dir();
  struct Case {
    std::string name, bytes, needle;
  };
  const std::string row(4 * kFcpParams, '\0');  // the data of kFcpParams 4-byte numbers
  const std::vector<Case> cases = {
      {"int32.npy", npy_bytes("<i4", {kFcpParams}, row), "dtype '<i4' is not supported"},
      {"big_endian.npy", npy_bytes(">f4", {kFcpParams}, row), "big-endian"},
      {"fortran.npy", npy_bytes("<f4", {2, kFcpParams}, row + row, true), "Fortran-order"},
      {"three_d.npy", npy_bytes("<f4", {1, 1, kFcpParams}, row), "3-D array"},
      {"lying.npy", npy_bytes("<f4", {kFcpParams}, row.substr(4)), "(truncated)"},  // header says more
      {"extra.npy", npy_bytes("<f4", {kFcpParams}, row + std::string(4, '\0')), "extra bytes"},
      {"bad_dict.npy",
       testing::npy_bytes_with_dict("{'descr': '<f4', 'shape': (" + std::to_string(kFcpParams) + ",), }",
                                    row),
       "missing key 'fortran_order'"},
      {"not_npy.npy", "PK\x03\x04 a zip file, not an array", "not a .npy file"},
      {"empty.npy", "", "not a .npy file"},
      {"short.npy", npy_bytes("<f4", {100}, std::string(400, '\0')),
       "weight vectors of length 100, but the fcp model has 42200 parameters"},
  };
  for (const Case& c : cases) {
    const std::string path = npy_file(c.name, c.bytes);
    expect_failure(eval(path, data), 1, {path, c.needle}, out_);
  }
  expect_failure(eval(dir_ + "/missing.npy", data), 1, {dir_ + "/missing.npy", "No such file"}, out_);

  std::vector<float> w(kFcpParams, 0.01f);
  w[123] = std::numeric_limits<float>::quiet_NaN();
  const std::string nan_path = dir_ + "/nan.npy";
  write_npy(nan_path, w.data(), 1, kFcpParams, true);
  expect_failure(eval(nan_path, data), 1, {nan_path, "component 123 is nan"}, out_);
  // the analysis commands refuse it too (kPCA of a NaN vector would be NaN everywhere)
  expect_failure({binary(), "stats", "--sets", nan_path, "--out", out_}, 1, {nan_path, "nan"}, out_);
}

TEST_F(HostileInputs, UnknownFlagsAndOutOfRangeValuesNameTheFlag) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  setenv("LANDSCAPE_DATA", mnist_dir().c_str(), 1);
  const std::vector<std::string> path = {binary(), "path",  "--arch", "fcp",       "--weights",
                                         weights_, "--out", out_,     "--threads", "2"};
  auto with = [](std::vector<std::string> argv, const std::vector<std::string>& more) {
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
  };
  const std::vector<std::string> train = {binary(), "train",          "--arch", "fcp",           "--out",
                                          out_,     "--train-images", "256",    "--test-images", "64"};
  expect_failure(with(train, {"--epoch", "3"}), 2, {"unknown flag --epoch"}, out_);
  expect_failure({binary(), "trian"}, 2, {"unknown command 'trian'"});
  expect_failure(with(path, {"--pairs", "0-1", "--lambda", "-1"}), 2, {"--lambda", "-1"}, out_);
  expect_failure(with(path, {"--pairs", "0-1", "--points", "0"}), 2, {"--points", "0"}, out_);
  expect_failure(with(path, {"--pairs", "0-1", "--steps", "many"}), 2, {"--steps", "'many'"}, out_);
  expect_failure(with(path, {"--pairs", "0-2"}), 2, {"--pairs", "2"}, out_);  // one row only
  expect_failure(with(train, {"--batch", "1000"}), 2, {"--batch 1000", "256"}, out_);
  expect_failure(with(train, {"--runs", "0"}), 2, {"--runs"}, out_);
  expect_failure(with(train, {"--lr", "nan"}), 2, {"--lr", "'nan'"}, out_);
  expect_failure(with(train, {"--train-images", "70000"}), 2, {"--train-images"}, out_);
  expect_failure(with(train, {"--threads", "-1"}), 2, {"--threads"}, out_);
  expect_failure(with(train, {"--seed"}), 2, {"--seed needs a value"}, out_);
  expect_failure({binary(), "eval", "--weights", weights_}, 2, {"--arch is required"}, out_);
  expect_failure(with(eval(weights_, mnist_dir()), {"--rows", "3"}), 2, {"--rows", "3"}, out_);
  expect_failure({binary(), "kpca", "--sets", weights_, "--out", out_, "--components", "0"}, 2,
                 {"--components"}, out_);
}

TEST_F(HostileInputs, BrokenPresetFiles) {
  struct Case {
    std::string text, needle;
  };
  const std::vector<Case> cases = {
      {"runs = 5\nfcp.nokey = 1\n", ":2 (fcp.nokey): unknown key 'nokey'"},
      {"runs 5\n", ":1: expected 'key = value', got 'runs 5'"},
      {"path_lambda = -1\n", ":1 (path_lambda): -1 must be at least 0"},
      {"seed = 1e99999\n", ":1 (seed): expected an integer, got '1e99999'"},
      {"archs = fcp, cnn\n", ":1 (archs): unknown model 'cnn'"},
      {"lenet.runs = 4\nlenet.keep = 9\n", ": lenet keeps 9 of only 4 runs"},
  };
  for (const Case& c : cases) {
    const std::string conf = dir_ + "/bad.conf";
    write_bytes(conf, c.text);
    expect_failure({binary(), "reproduce", "--config", conf, "--out", out_}, 1, {conf + c.needle}, out_);
  }
  expect_failure({binary(), "reproduce", "--config", dir_ + "/none.conf", "--out", out_}, 1,
                 {"cannot read preset " + dir_ + "/none.conf"}, out_);
}

TEST_F(HostileInputs, UnwritableOutputDirectory) {
  const std::vector<std::string> stats = {binary(), "stats", "--sets", weights_, "--out"};
  auto to = [&](const std::string& out) {
    std::vector<std::string> argv = stats;
    argv.push_back(out);
    return argv;
  };
  // a directory we may not write into: read-only for a user; for root (who may write anywhere
  // on a normal file system) a sysfs directory
  std::string locked = dir_ + "/locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  if (geteuid() == 0) locked = "/sys/kernel";
  if (fs::is_directory(locked)) expect_failure(to(locked), 1, {locked + "/stats.csv"});
  fs::permissions(dir_ + "/locked", fs::perms::owner_all);
  EXPECT_TRUE(files_under(dir_ + "/locked").empty());

  write_bytes(dir_ + "/a_file", "x");  // a file where a directory should be
  expect_failure(to(dir_ + "/a_file/sub"), 1, {dir_ + "/a_file/sub", "Not a directory"});
  expect_failure(to(dir_ + "/a_file"), 1, {dir_ + "/a_file", "a file of that name is in the way"});
  EXPECT_EQ(read_file(dir_ + "/a_file"), "x");
}

TEST_F(HostileInputs, FullDisk) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  // An output file that lands on a full disk: stats.csv is a link to /dev/full.
  fs::create_symlink("/dev/full", out_ + "/stats.csv");
  const CommandResult r = testing::run_capture({binary(), "stats", "--sets", weights_, "--out", out_});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(out_ + "/stats.csv: No space left on device"), std::string::npos) << r.err;
  EXPECT_EQ(files_under(out_), std::vector<std::string>{"stats.csv"});  // no temp file left

  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  fs::remove(out_ + "/stats.csv");
  std::vector<std::string> argv = eval(weights_, mnist_dir());
  argv.back() = "/dev/full";  // --out /dev/full
  expect_failure(argv, 1, {"cannot write /dev/full: No space left on device"}, out_);
  argv.resize(argv.size() - 2);  // results to stdout, and stdout is /dev/full
  expect_failure(argv, 1, {"cannot write standard output: No space left on device"}, out_, "/dev/full");
}

TEST_F(HostileInputs, AFailedRunLeavesAnExistingOutputAsItWas) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string csv = out_ + "/eval.csv";
  write_bytes(csv, "row,loss,accuracy\n0,1,1\n");
  const std::string bad = npy_file("short.npy", npy_bytes("<f4", {100}, std::string(400, '\0')));
  const CommandResult r = testing::run_capture(eval(bad, mnist_dir()));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(read_file(csv), "row,loss,accuracy\n0,1,1\n");
  EXPECT_EQ(files_under(out_), std::vector<std::string>{"eval.csv"});
}

}  // namespace
}  // namespace landscape
