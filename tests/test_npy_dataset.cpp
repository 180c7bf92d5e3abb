// Data sets of your own as .npy files (src/io/npy_dataset.cpp), the --data directory's format
// choice (src/io/data_directory.cpp) and the checks where data meets a model (src/io/dataset.cpp),
// docs/algorithms.md §1.4. The .npy files are built byte by byte here (as tests/test_npy.cpp
// does), so the reader is checked against NumPy's format rather than against our own writer;
// every rejection checks that the message names the file and the problem.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>

#include "core/error.hpp"
#include "io/data_directory.hpp"
#include "io/dataset.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "io/npy_dataset.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;

using testing::npy_bytes;
using testing::write_bytes;

using testing::raw_bytes;
using testing::write_npy_array;

// 0, 0.25, 0.5, ... : exact in float32 and float64.
template <class T>
std::vector<T> ramp(size_t n) {
  std::vector<T> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<T>(0.25 * double(i));
  return v;
}

// A .npy data directory: x [3,4] float32 ramps, y int64 {2, 0, 1}, both splits.
std::string small_dir() {
  const std::string dir = testing::temp_dir();
  for (const char* split : {"train", "test"}) {
    write_npy_array(dir + "/" + split + "_x.npy", "<f4", {3, 4}, ramp<float>(12));
    write_npy_array(dir + "/" + split + "_y.npy", "<i8", {3}, std::vector<int64_t>{2, 0, 1});
  }
  return dir;
}

void expect_values(const Dataset& d, const std::vector<double>& expected) {
  ASSERT_EQ(d.images.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(d.images[i], static_cast<Scalar>(expected[i])) << "at " << i;
}

std::vector<double> ramp_values(size_t n) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = 0.25 * double(i);
  return v;
}

TEST(NpyDataset, Float32XAndInt64Labels) {
  const std::string dir = small_dir();
  const Dataset d = load_dataset(dir, Split::Train);
  EXPECT_EQ(d.size(), 3);
  EXPECT_EQ(d.images.shape(), (Shape{3, 4}));
  EXPECT_EQ(d.sample_shape, (Shape{4}));
  EXPECT_TRUE(d.has_labels);
  EXPECT_EQ(d.labels, (std::vector<int>{2, 0, 1}));
  EXPECT_EQ(d.images_file, dir + "/train_x.npy");
  EXPECT_EQ(d.labels_file, dir + "/train_y.npy");
  expect_values(d, ramp_values(12));
  EXPECT_EQ(load_dataset(dir, Split::Test).labels, (std::vector<int>{2, 0, 1}));
}

TEST(NpyDataset, Float64X) {
  const std::string dir = small_dir();
  std::vector<double> x = ramp<double>(12);
  x[5] = 0.1;  // not exact in float32: the float32 build rounds it once, as a cast does
  write_npy_array(dir + "/train_x.npy", "<f8", {3, 4}, x);
  const Dataset d = load_dataset(dir, Split::Train);
  expect_values(d, x);
  EXPECT_EQ(d.images[5], static_cast<Scalar>(0.1));
}

TEST(NpyDataset, Uint8XIsScaledBy255AsMnistIs) {
  const std::string dir = small_dir();
  std::vector<uint8_t> x(12);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<uint8_t>(i * 23);
  x[11] = 255;
  write_npy_array(dir + "/train_x.npy", "|u1", {3, 4}, x);
  const Dataset d = load_dataset(dir, Split::Train);
  for (size_t i = 0; i < x.size(); ++i)
    EXPECT_EQ(d.images[i], static_cast<Scalar>(static_cast<float>(x[i]) / 255.0f)) << i;
  EXPECT_EQ(d.images[11], Scalar(1));
}

TEST(NpyDataset, TrailingShapesAreKept) {
  // [N,C,H,W] = [2,3,2,2] and [N,H,W] = [2,3,4]: rows of 12 values in C order.
  for (const std::vector<int64_t>& shape :
       {std::vector<int64_t>{2, 3, 2, 2}, std::vector<int64_t>{2, 3, 4}}) {
    const std::string dir = testing::temp_dir();
    for (const char* split : {"train", "test"}) {
      write_npy_array(dir + "/" + split + "_x.npy", "<f4", shape, ramp<float>(24));
      write_npy_array(dir + "/" + split + "_y.npy", "<i8", {2}, std::vector<int64_t>{1, 0});
    }
    const Dataset d = load_dataset(dir, Split::Train);
    EXPECT_EQ(d.sample_shape, Shape(shape.begin() + 1, shape.end()));
    EXPECT_EQ(d.sample_size(), 12u);
    EXPECT_EQ(d.images.shape(), (Shape{2, 12}));
    expect_values(d, ramp_values(24));
    const Dataset one = d.first(1);  // first() keeps the shape and the files
    EXPECT_EQ(one.sample_shape, d.sample_shape);
    EXPECT_EQ(one.images.shape(), (Shape{1, 12}));
    EXPECT_EQ(one.images_file, d.images_file);
  }
}

TEST(NpyDataset, IntegerLabelTypes) {
  const std::string dir = small_dir();
  write_npy_array(dir + "/train_y.npy", "|u1", {3}, std::vector<uint8_t>{9, 0, 255});
  EXPECT_EQ(load_dataset(dir, Split::Train).labels, (std::vector<int>{9, 0, 255}));
  write_npy_array(dir + "/train_y.npy", "<i4", {3}, std::vector<int32_t>{7, 3, 5});
  EXPECT_EQ(load_dataset(dir, Split::Train).labels, (std::vector<int>{7, 3, 5}));
  write_npy_array(dir + "/train_y.npy", "<u2", {3}, std::vector<uint16_t>{1, 2, 300});
  EXPECT_EQ(load_dataset(dir, Split::Train).labels, (std::vector<int>{1, 2, 300}));
  write_npy_array(dir + "/train_y.npy", "|i1", {3}, std::vector<int8_t>{4, 5, 6});
  EXPECT_EQ(load_dataset(dir, Split::Train).labels, (std::vector<int>{4, 5, 6}));
}

TEST(NpyDataset, WithoutYFilesNoLabels) {
  const std::string dir = small_dir();
  fs::remove(dir + "/train_y.npy");
  fs::remove(dir + "/test_y.npy");
  const Dataset d = load_dataset(dir, Split::Train);
  EXPECT_FALSE(d.has_labels);
  EXPECT_EQ(d.size(), 3);  // placeholders, one per example
  EXPECT_EQ(d.labels, (std::vector<int>{0, 0, 0}));
  EXPECT_TRUE(d.labels_file.empty());
  expect_values(d, ramp_values(12));
  // An autoencoder takes it; a classifier does not.
  check_data_fits(d, 4, false, 0, "--arch ae");
  expect_error([&] { check_data_fits(d, 4, true, 10, "--arch fcp"); },
               {"--arch fcp", "needs class labels", dir + "/train_x.npy", "--arch ae"});
  expect_error([&] { check_labels(d, 10, "--arch lenet"); }, {"--arch lenet", "needs class labels"});
}

TEST(NpyDataset, LabelsForOneSplitOnlyAreAnError) {
  const std::string dir = small_dir();
  fs::remove(dir + "/test_y.npy");
  for (Split s : {Split::Train, Split::Test})
    expect_error([&] { load_dataset(dir, s); },
                 {dir + "/train_y.npy exists", dir + "/test_y.npy does not", "both splits or for neither"});
}

TEST(NpyDataset, Limit) {
  const std::string dir = small_dir();
  const Dataset d = load_dataset(dir, Split::Train, 2);
  EXPECT_EQ(d.size(), 2);
  EXPECT_EQ(d.images.shape(), (Shape{2, 4}));
  EXPECT_EQ(d.labels, (std::vector<int>{2, 0}));
  expect_values(d, ramp_values(8));
  EXPECT_EQ(load_dataset(dir, Split::Train, 0).size(), 0);
  EXPECT_EQ(load_dataset(dir, Split::Train, 3).size(), 3);
  expect_error([&] { load_dataset(dir, Split::Train, 5); },
               {"first 5 examples", dir + "/train_x.npy", "holds only 3"});
}

TEST(NpyDataset, XAndYOfDifferentLength) {
  const std::string dir = small_dir();
  write_npy_array(dir + "/train_y.npy", "<i8", {2}, std::vector<int64_t>{1, 0});
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_x.npy holds 3 examples", dir + "/train_y.npy holds 2 labels"});
}

TEST(NpyDataset, XOfAnotherDtype) {
  const std::string dir = small_dir();
  write_npy_array(dir + "/train_x.npy", "<i4", {3, 4}, std::vector<int32_t>(12, 1));
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_x.npy", "dtype '<i4' is not read for x", "'<f4'", "'<f8'", "'|u1'"});
  write_npy_array(dir + "/train_x.npy", "<f2", {3, 4}, std::vector<uint16_t>(12, 0));
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_x.npy", "dtype '<f2' is not read for x"});
  write_npy_array(dir + "/train_x.npy", ">f4", {3, 4}, ramp<float>(12));
  expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/train_x.npy", "big-endian dtype '>f4'"});
  write_bytes(dir + "/train_x.npy", npy_bytes("<U3", {3, 4}, std::string(144, 'a')));
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_x.npy", "'<U3' is not a numeric array"});
}

TEST(NpyDataset, LabelsNotInteger) {
  const std::string dir = small_dir();
  write_npy_array(dir + "/train_y.npy", "<f4", {3}, std::vector<float>{1, 0, 2});
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_y.npy", "dtype '<f4' is not an integer type"});
  write_npy_array(dir + "/train_y.npy", "|b1", {3}, std::vector<uint8_t>{1, 0, 1});
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_y.npy", "dtype '|b1' is not an integer type"});
}

TEST(NpyDataset, LabelsNotOneDimensional) {
  const std::string dir = small_dir();
  write_npy_array(dir + "/train_y.npy", "<i8", {3, 1}, std::vector<int64_t>{1, 0, 2});
  expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/train_y.npy", "shape (3, 1)", "[N]"});
}

TEST(NpyDataset, NegativeAndTooLargeLabels) {
  const std::string dir = small_dir();
  write_npy_array(dir + "/train_y.npy", "<i8", {3}, std::vector<int64_t>{1, -1, 2});
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_y.npy", "label -1 at index 1", "negative"});
  write_npy_array(dir + "/train_y.npy", "<i8", {3}, std::vector<int64_t>{1, 2, int64_t(1) << 40});
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_y.npy", "label 1099511627776 at index 2", "too large"});
  // A bad label beyond the examples read does not stop a limited read.
  EXPECT_EQ(load_dataset(dir, Split::Train, 2).labels, (std::vector<int>{1, 2}));
}

TEST(NpyDataset, LabelsOutsideTheModelsClasses) {
  const std::string dir = small_dir();
  write_npy_array(dir + "/train_y.npy", "<i8", {3}, std::vector<int64_t>{9, 10, 0});
  const Dataset d = load_dataset(dir, Split::Train);  // the loader knows no class count
  check_labels(d, 11, "--arch x");
  expect_error([&] { check_labels(d, 10, "--arch fcp"); },
               {dir + "/train_y.npy", "label 10 at index 1", "outside 0..9", "--arch fcp has 10 classes"});
  expect_error([&] { check_data_fits(d, 4, true, 10, "--arch fcp"); }, {"label 10 at index 1"});
  check_data_fits(d, 4, false, 10, "--arch ae");  // labels unused: not checked
}

TEST(NpyDataset, NonFiniteX) {
  const std::string dir = small_dir();
  std::vector<float> x = ramp<float>(12);
  x[6] = std::numeric_limits<float>::quiet_NaN();
  write_npy_array(dir + "/train_x.npy", "<f4", {3, 4}, x);
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_x.npy", "NaN at index 6", "example 1, value 2 of 4", "finite"});
  EXPECT_EQ(load_dataset(dir, Split::Train, 1).size(), 1);  // the NaN lies beyond the first example
  x[6] = 0;
  x[9] = -std::numeric_limits<float>::infinity();
  write_npy_array(dir + "/train_x.npy", "<f4", {3, 4}, x);
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_x.npy", "-inf at index 9", "example 2"});
  std::vector<double> x64 = ramp<double>(12);
  x64[3] = std::numeric_limits<double>::infinity();
  write_npy_array(dir + "/train_x.npy", "<f8", {3, 4}, x64);
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_x.npy", "+inf at index 3", "example 0"});
  x64[3] = 1e300;  // finite in float64, infinite in a float32 build
  write_npy_array(dir + "/train_x.npy", "<f8", {3, 4}, x64);
  if (testing::kFloat64)
    EXPECT_EQ(load_dataset(dir, Split::Train).images[3], Scalar(1e300));
  else
    expect_error([&] { load_dataset(dir, Split::Train); },
                 {dir + "/train_x.npy", "at index 3", "does not fit the build's float32"});
}

TEST(NpyDataset, TestSplitOfAnotherSampleShape) {
  const std::string dir = small_dir();
  write_npy_array(dir + "/test_x.npy", "<f4", {3, 2, 2}, ramp<float>(12));  // same D, other shape
  expect_error([&] { load_dataset(dir, Split::Test); },
               {dir + "/train_x.npy: examples of shape (4,)",
                dir + "/test_x.npy holds examples of shape (2, 2)", "same shape"});
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/test_x.npy: examples of shape (2, 2)", dir + "/train_x.npy", "same shape"});
}

TEST(NpyDataset, BadXShapes) {
  const std::string dir = small_dir();
  write_npy_array(dir + "/train_x.npy", "<f4", {12}, ramp<float>(12));
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/train_x.npy", "shape (12,)", "one example per row"});
  write_npy_array(dir + "/train_x.npy", "<f4", {3, 0}, std::vector<float>{});
  expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/train_x.npy", "hold no values"});
  write_bytes(dir + "/train_x.npy", npy_bytes("<f4", {3, 4}, raw_bytes(ramp<float>(12)), true));
  expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/train_x.npy", "Fortran-order"});
}

TEST(NpyDataset, TruncatedAndCorruptFiles) {
  const std::string dir = small_dir();
  const std::string x = npy_bytes("<f4", {3, 4}, raw_bytes(ramp<float>(12)));
  write_bytes(dir + "/train_x.npy", x.substr(0, x.size() - 1));
  expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/train_x.npy", "47", "truncated"});
  write_bytes(dir + "/train_x.npy", x + "zz");
  expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/train_x.npy", "extra bytes"});
  write_bytes(dir + "/train_x.npy", "PK\x03\x04 not a npy file");
  expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/train_x.npy", "not a .npy file"});
  write_bytes(dir + "/train_x.npy", x);
  const std::string y = npy_bytes("<i8", {3}, raw_bytes(std::vector<int64_t>{1, 2, 3}));
  write_bytes(dir + "/train_y.npy", y.substr(0, y.size() - 3));
  expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/train_y.npy", "truncated"});
  // The other split's header is read too: a file cut inside its header is named.
  write_bytes(dir + "/train_y.npy", y);
  write_bytes(dir + "/test_x.npy", x.substr(0, 30));
  expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/test_x.npy", "runs past the end"});
  // A version 2.0 header that claims 4 GiB: named, not allocated.
  const std::string lying = std::string("\x93NUMPY\x02", 7) + std::string(1, '\0') + std::string(4, '\xff') +
                            "{'descr': '<f4'";  // 27 bytes
  write_bytes(dir + "/test_x.npy", lying);
  expect_error([&] { load_dataset(dir, Split::Train); },
               {dir + "/test_x.npy", "header length 4294967295 runs past the end of the 27-byte file"});
  // An item size of many digits is an unknown dtype, not an exception of another kind.
  write_bytes(dir + "/test_x.npy", x);
  write_bytes(dir + "/train_x.npy", npy_bytes("<f99999999999999999999", {3, 4}, ""));
  expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/train_x.npy", "is not a numeric array"});
}

TEST(NpyDataset, MissingXOfASplit) {
  const std::string dir = small_dir();
  fs::remove(dir + "/test_x.npy");
  fs::remove(dir + "/test_y.npy");
  EXPECT_EQ(load_dataset(dir, Split::Train).size(), 3);  // a train split alone serves train
  expect_error([&] { load_dataset(dir, Split::Test); }, {dir + "/test_x.npy", "missing", "train_x.npy"});
}

TEST(DataDirectory, NeitherFormatOrBoth) {
  const std::string empty = testing::temp_dir();
  expect_error([&] { load_dataset(empty, Split::Train); },
               {empty + " holds no data set", "train-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
                "train_x.npy", "test_y.npy"});
  expect_error([&] { load_dataset(empty + "/nowhere", Split::Train); },
               {empty + "/nowhere is not a directory", "train-images-idx3-ubyte", "train_x.npy"});
  const std::string both = small_dir();
  write_bytes(both + "/train-images-idx3-ubyte", "");
  EXPECT_THROW(data_format(both), Error);
  expect_error([&] { load_dataset(both, Split::Train); }, {both + " holds both", "train-images-idx3-ubyte",
                                                           "train_x.npy", "one data set per directory"});
  EXPECT_EQ(data_format(small_dir()), DataFormat::Npy);
}

TEST(DataDirectory, DataMeetsModel) {
  const std::string dir = testing::temp_dir();
  for (const char* split : {"train", "test"}) {
    write_npy_array(dir + "/" + split + "_x.npy", "<f4", {2, 3, 32, 32}, std::vector<float>(6144, 0.5f));
    write_npy_array(dir + "/" + split + "_y.npy", "<i8", {2}, std::vector<int64_t>{1, 0});
  }
  const Dataset d = load_dataset(dir, Split::Train);
  expect_error(
      [&] { check_data_fits(d, kImagePixels, true, kMnistClasses, "--arch fcp"); },
      {"--arch fcp takes examples of 784 values", dir + "/train_x.npy", "[3, 32, 32]", "3072 values"});
  check_data_fits(d, 3072, true, 10, "a CIFAR model");
}

// --- MNIST's IDX format through the same entry point -------------------------------------

void put_u32(std::string& s, uint32_t v) {  // IDX headers are big-endian
  for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xff);
}

// An IDX data set that is not MNIST (as Fashion-MNIST or KMNIST are): n 28x28 images, labels.
std::string other_idx_dir(int n) {
  const std::string dir = testing::temp_dir();
  for (Split s : {Split::Train, Split::Test}) {
    std::string images, labels;
    put_u32(images, 2051);
    put_u32(images, n);
    put_u32(images, 28);
    put_u32(images, 28);
    for (int i = 0; i < n * 784; ++i) images += static_cast<char>((i * 13 + 7) % 256);
    put_u32(labels, 2049);
    put_u32(labels, n);
    for (int i = 0; i < n; ++i) labels += static_cast<char>((i * 3) % 10);
    write_bytes(dir + "/" + mnist_images_file(s), images);
    write_bytes(dir + "/" + mnist_labels_file(s), labels);
  }
  return dir;
}

TEST(DataDirectory, AnotherIdxDataSetLoads) {
  const std::string dir = other_idx_dir(4);
  EXPECT_EQ(data_format(dir), DataFormat::MnistIdx);
  const Dataset d = load_dataset(dir, Split::Train);
  EXPECT_EQ(d.size(), 4);
  EXPECT_EQ(d.sample_shape, (Shape{1, 28, 28}));
  EXPECT_TRUE(d.has_labels);
  EXPECT_EQ(d.labels, (std::vector<int>{0, 3, 6, 9}));
  EXPECT_EQ(d.images[1], static_cast<Scalar>(static_cast<float>(20) / 255.0f));
  EXPECT_EQ(d.images_file, dir + "/train-images-idx3-ubyte");
  check_data_fits(d, kImagePixels, true, kMnistClasses, "--arch fcp");
}

TEST(DataDirectory, LandscapeDataLeavesAnotherDataSetAlone) {
  // `landscape data` fetches MNIST over files that fail its sums; it must not do so over a
  // Fashion-MNIST-like directory or a .npy one (the files stay byte for byte).
  // (Offline, a fetch would fail too and leave the files: the messages tell the refusal apart.)
  const std::pair<std::string, std::string> cases[] = {
      {other_idx_dir(3), "holds well-formed IDX files that are not MNIST's"},
      {small_dir(), "holds .npy data (train_x.npy)"}};
  for (const auto& [dir, why] : cases) {
    const std::map<std::string, std::string> before = testing::files_under(dir);
    const testing::CommandResult r = testing::run_capture({testing::binary(), "data", "--data", dir});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(dir + " " + why), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("fetching"), std::string::npos) << r.out;
    EXPECT_EQ(testing::files_under(dir), before);
  }
}

TEST(DataDirectory, MnistThroughLoadDatasetIsLoadMnist) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found in " << testing::mnist_dir() << " (make data)";
  const std::string dir = testing::mnist_dir();
  for (Split s : {Split::Train, Split::Test}) {
    const Dataset a = load_dataset(dir, s, 1000), b = load_mnist(dir, s, 1000);
    EXPECT_EQ(a.labels, b.labels);
    ASSERT_EQ(a.images.shape(), b.images.shape());
    EXPECT_EQ(std::memcmp(a.images.data(), b.images.data(), a.images.size() * sizeof(Scalar)), 0);
    EXPECT_EQ(a.sample_shape, (Shape{1, 28, 28}));
    EXPECT_TRUE(a.has_labels);
  }
  EXPECT_EQ(load_dataset(dir, Split::Test).size(), 10000);
}

TEST(DataDirectory, MnistAsUint8NpyEqualsTheIdxFiles) {
  // The same bytes saved as torchvision's .data ([N,28,28] uint8) and .targets (int64) read
  // to the same tensor, bit for bit.
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found in " << testing::mnist_dir() << " (make data)";
  const int n = 200;
  const std::string dir = testing::temp_dir();
  for (Split s : {Split::Train, Split::Test}) {
    const std::string images = testing::read_file(testing::mnist_dir() + "/" + mnist_images_file(s));
    const std::string labels = testing::read_file(testing::mnist_dir() + "/" + mnist_labels_file(s));
    const std::string prefix = s == Split::Train ? "/train" : "/test";
    write_bytes(dir + prefix + "_x.npy", npy_bytes("|u1", {n, 28, 28}, images.substr(16, size_t(n) * 784)));
    std::vector<int64_t> y(n);
    for (int i = 0; i < n; ++i) y[i] = static_cast<unsigned char>(labels[8 + i]);
    write_npy_array(dir + prefix + "_y.npy", "<i8", {n}, y);
  }
  for (Split s : {Split::Train, Split::Test}) {
    const Dataset a = load_dataset(dir, s), b = load_mnist(testing::mnist_dir(), s, n);
    EXPECT_EQ(a.labels, b.labels);
    ASSERT_EQ(a.images.shape(), b.images.shape());
    EXPECT_EQ(std::memcmp(a.images.data(), b.images.data(), a.images.size() * sizeof(Scalar)), 0);
    EXPECT_EQ(a.sample_shape, (Shape{28, 28}));
  }
}

// --- The commands read it: eval on a .npy directory ---------------------------------------

TEST(DataDirectory, EvalReadsNpyDataAndChecksItAgainstTheModel) {
  const std::string dir = testing::temp_dir(), out = testing::temp_dir();
  for (const char* split : {"train", "test"}) {
    write_npy_array(dir + "/" + split + "_x.npy", "<f4", {5, 1, 28, 28}, std::vector<float>(5 * 784, 0.5f));
    write_npy_array(dir + "/" + split + "_y.npy", "<i8", {5}, std::vector<int64_t>{0, 1, 2, 3, 4});
  }
  const std::vector<float> zeros(42200, 0.0f);  // FCP's parameters: all-zero logits, loss ln 10
  write_npy(out + "/w.npy", zeros.data(), 1, int64_t(zeros.size()), true);
  const std::string bin = testing::binary();
  testing::CommandResult r =
      testing::run_capture({bin, "eval", "--arch", "fcp", "--weights", out + "/w.npy", "--data", dir});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("0,2.30258"), std::string::npos) << r.out;  // ln 10 = 2.302585...

  // A label outside the ten classes, then examples of the wrong size: exit 1, the file named.
  write_npy_array(dir + "/train_y.npy", "<i8", {5}, std::vector<int64_t>{0, 1, 2, 3, 12});
  r = testing::run_capture({bin, "eval", "--arch", "fcp", "--weights", out + "/w.npy", "--data", dir});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(dir + "/train_y.npy: label 12 at index 4 is outside 0..9"), std::string::npos)
      << r.err;
  for (const char* split : {"train", "test"})
    write_npy_array(dir + "/" + split + "_x.npy", "<f4", {5, 3, 8, 8}, std::vector<float>(5 * 192, 0.5f));
  r = testing::run_capture({bin, "eval", "--arch", "fcp", "--weights", out + "/w.npy", "--data", dir});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--arch fcp takes examples of 784 values"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[3, 8, 8] = 192 values"), std::string::npos) << r.err;
}

// Nothing to work on is an error naming the file, never a header-only CSV and exit 0.
TEST(DataDirectory, AnEmptyWeightFileOrDataSplitIsAnError) {
  const std::string dir = testing::temp_dir(), out = testing::temp_dir(), bin = testing::binary();
  for (const char* split : {"train", "test"}) {
    write_npy_array(dir + "/" + split + "_x.npy", "<f4", {5, 784}, std::vector<float>(5 * 784, 0.5f));
    write_npy_array(dir + "/" + split + "_y.npy", "<i8", {5}, std::vector<int64_t>{0, 1, 2, 3, 4});
  }
  write_npy_array(out + "/empty.npy", "<f4", {0, 42200}, std::vector<float>{});
  testing::CommandResult r =
      testing::run_capture({bin, "eval", "--arch", "fcp", "--weights", out + "/empty.npy", "--data", dir});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(out + "/empty.npy: holds no weight vector (shape (0, 42200))"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
  // A row or pair list that selects nothing: a usage error, exit 2.
  write_npy_array(out + "/two.npy", "<f4", {2, 42200}, std::vector<float>(2 * 42200, 0.0f));
  r = testing::run_capture(
      {bin, "eval", "--arch", "fcp", "--weights", out + "/two.npy", "--rows", "", "--data", dir});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--rows selects no row"), std::string::npos) << r.err;
  r = testing::run_capture({bin, "path", "--arch", "fcp", "--weights", out + "/two.npy", "--pairs", "",
                            "--data", dir, "--out", out + "/p"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--pairs is empty"), std::string::npos) << r.err;
  write_npy_array(dir + "/train_x.npy", "<f4", {0, 784}, std::vector<float>{});
  write_npy_array(dir + "/train_y.npy", "<i8", {0}, std::vector<int64_t>{});
  testing::expect_error([&] { load_dataset(dir, Split::Train); }, {dir + "/train_x.npy: holds no examples"});
}

}  // namespace
}  // namespace landscape
