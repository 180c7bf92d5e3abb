// MNIST loading (src/io/mnist.cpp) on synthetic IDX files written here, SHA-256 against the
// FIPS 180-4 / NIST example vectors, the file verification against data/SHA256SUMS, and, when
// data/mnist holds the real files, the first labels of each split.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "io/data_directory.hpp"
#include "io/mnist.hpp"
#include "io/mnist_verify.hpp"
#include "io/sha256.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::expect_error;

void put_u32(std::string& s, uint32_t v) {  // IDX headers are big-endian
  for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xff);
}

unsigned char pixel(int image, int k) { return static_cast<unsigned char>((image * 31 + k * 7) % 256); }

Scalar expected_pixel(unsigned char byte) { return static_cast<Scalar>(static_cast<float>(byte) / 255.0f); }

std::string idx_images(uint32_t count, uint32_t rows = 28, uint32_t cols = 28, uint32_t magic = 2051,
                       int actual_count = -1) {
  std::string s;
  put_u32(s, magic);
  put_u32(s, count);
  put_u32(s, rows);
  put_u32(s, cols);
  const int n = actual_count < 0 ? static_cast<int>(count) : actual_count;
  for (int i = 0; i < n; ++i)
    for (uint32_t k = 0; k < rows * cols; ++k) s += static_cast<char>(pixel(i, static_cast<int>(k)));
  return s;
}

std::string idx_labels(const std::vector<int>& labels, uint32_t magic = 2049) {
  std::string s;
  put_u32(s, magic);
  put_u32(s, static_cast<uint32_t>(labels.size()));
  for (int l : labels) s += static_cast<char>(l);
  return s;
}

using testing::write_bytes;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A data directory holding a training split of the given files.
std::string train_dir(const std::string& images, const std::string& labels) {
  const std::string dir = testing::temp_dir();
  write_bytes(dir + "/train-images-idx3-ubyte", images);
  write_bytes(dir + "/train-labels-idx1-ubyte", labels);
  return dir;
}

const std::vector<int> kLabels = {3, 1, 4, 1, 5};

TEST(Mnist, RoundTripAndPixelScaling) {
  const std::string dir = train_dir(idx_images(5), idx_labels(kLabels));
  const Dataset d = load_mnist(dir, Split::Train);
  ASSERT_EQ(d.size(), 5);
  EXPECT_EQ(d.images.shape(), (Shape{5, 784}));
  EXPECT_EQ(d.labels, kLabels);
  bool saw_zero = false, saw_one = false;
  for (int i = 0; i < 5; ++i)
    for (int k = 0; k < 784; ++k) {
      const Scalar v = d.images[static_cast<size_t>(i) * 784 + k];
      // byte / 255 with nothing else (docs/algorithms.md §1), divided in float32 as torchvision's
      // ToTensor does, then widened to Scalar (see load_mnist).
      EXPECT_EQ(v, expected_pixel(pixel(i, k))) << i << "," << k;
      saw_zero = saw_zero || v == Scalar(0);
      saw_one = saw_one || v == Scalar(1);
    }
  EXPECT_TRUE(saw_zero && saw_one);  // both ends of [0,1] are reached exactly

  // The test split reads the t10k files.
  write_bytes(dir + "/t10k-images-idx3-ubyte", idx_images(2));
  write_bytes(dir + "/t10k-labels-idx1-ubyte", idx_labels({9, 0}));
  EXPECT_EQ(load_mnist(dir, Split::Test).labels, (std::vector<int>{9, 0}));
}

TEST(Mnist, LimitAndFirst) {
  const std::string dir = train_dir(idx_images(5), idx_labels(kLabels));
  const Dataset d = load_mnist(dir, Split::Train, 2);
  ASSERT_EQ(d.size(), 2);
  EXPECT_EQ(d.images.shape(), (Shape{2, 784}));
  EXPECT_EQ(d.labels, (std::vector<int>{3, 1}));
  EXPECT_EQ(d.images[784 + 10], expected_pixel(pixel(1, 10)));
  EXPECT_EQ(load_mnist(dir, Split::Train, 5).size(), 5);
  EXPECT_EQ(load_mnist(dir, Split::Train, 0).size(), 0);
  expect_error([&] { load_mnist(dir, Split::Train, 6); },
               {"first 6", dir + "/train-images-idx3-ubyte", "only 5"});

  const Dataset all = load_mnist(dir, Split::Train);
  const Dataset three = all.first(3);
  EXPECT_EQ(three.labels, (std::vector<int>{3, 1, 4}));
  EXPECT_EQ(three.images.shape(), (Shape{3, 784}));
  for (size_t k = 0; k < 3 * 784; ++k) EXPECT_EQ(three.images[k], all.images[k]);
  EXPECT_THROW(all.first(6), Error);
  EXPECT_THROW(all.first(-1), Error);
}

TEST(Mnist, RejectsBrokenFiles) {
  const std::string images = idx_images(5), labels = idx_labels(kLabels);
  const std::string img = "/train-images-idx3-ubyte", lab = "/train-labels-idx1-ubyte";
  std::string dir = train_dir(images.substr(0, images.size() - 1), labels);
  expect_error([&] { load_mnist(dir, Split::Train); }, {dir + img, "truncated", "5 images of 28x28"});
  dir = train_dir(images + "x", labels);
  expect_error([&] { load_mnist(dir, Split::Train); }, {dir + img, "too long"});
  dir = train_dir(images, labels.substr(0, 10));
  expect_error([&] { load_mnist(dir, Split::Train); }, {dir + lab, "truncated", "5 labels"});
  // Wrong magic: a labels header where images belong, and the reverse.
  dir = train_dir(idx_labels(kLabels), labels);
  expect_error([&] { load_mnist(dir, Split::Train); }, {dir + img, "magic number 2049", "expected 2051"});
  dir = train_dir(images, idx_images(5, 28, 28, 0x08030000));
  expect_error([&] { load_mnist(dir, Split::Train); }, {dir + lab, "not an IDX labels file"});
  // Headers that lie: more images than the bytes hold; dimensions other than 28x28.
  dir = train_dir(idx_images(6, 28, 28, 2051, 5), labels);
  expect_error([&] { load_mnist(dir, Split::Train); }, {dir + img, "6 images", "truncated"});
  dir = train_dir(idx_images(5, 27, 29), labels);
  expect_error([&] { load_mnist(dir, Split::Train); }, {dir + img, "27x29", "expected 28x28"});
  dir = train_dir(idx_images(5, 28, 28, 2051, 0), labels);
  expect_error([&] { load_mnist(dir, Split::Train); }, {"truncated"});
  // Labels out of range; image and label counts that disagree.
  dir = train_dir(images, idx_labels({3, 1, 10, 1, 5}));
  expect_error([&] { load_mnist(dir, Split::Train); }, {dir + lab, "label 10 at index 2", "0..9"});
  dir = train_dir(images, idx_labels({3, 1, 4, 1}));
  expect_error([&] { load_mnist(dir, Split::Train); }, {"5 images", "4 labels"});
  // A missing file.
  dir = testing::temp_dir();
  expect_error([&] { load_mnist(dir, Split::Test); }, {dir + "/t10k-images-idx3-ubyte", "landscape data"});
}

TEST(Mnist, ParsersOnBytes) {
  int count = 0, rows = 0, cols = 0;
  const auto pixels = parse_idx_images("mem", idx_images(2, 3, 4), &count, &rows, &cols);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(rows, 3);
  EXPECT_EQ(cols, 4);
  ASSERT_EQ(pixels.size(), 24u);
  EXPECT_EQ(pixels[13], pixel(1, 1));
  EXPECT_EQ(parse_idx_labels("mem", idx_labels({0, 9})), (std::vector<unsigned char>{0, 9}));
  // Too short for a header; a header whose sizes overflow 64 bits.
  expect_error([] { parse_idx_images("mem", "abc", nullptr, nullptr, nullptr); }, {"mem", "header"});
  expect_error([] { parse_idx_labels("mem", idx_labels({1}).substr(0, 7)); }, {"mem", "7 bytes", "header"});
  std::string huge;
  put_u32(huge, 2051);
  for (int i = 0; i < 3; ++i) put_u32(huge, 0xffffffffu);
  expect_error([&] { parse_idx_images("mem", huge, nullptr, nullptr, nullptr); }, {"mem", "4294967295"});
}

TEST(Mnist, ResolveDataDir) {
  const char* saved = std::getenv("LANDSCAPE_DATA");
  const std::string keep = saved ? saved : "";
  unsetenv("LANDSCAPE_DATA");
  // The default: data/mnist here when it exists, else the checkout's (found like models/).
  const std::string here = std::filesystem::current_path().string();
  const std::string dir = testing::temp_dir();
  std::filesystem::current_path(dir);
  const char* root = std::getenv("LANDSCAPE_SOURCE_ROOT");
  EXPECT_EQ(resolve_data_dir(""), std::string(root && *root ? root : LANDSCAPE_SOURCE_ROOT) + "/data/mnist");
  std::filesystem::create_directories(dir + "/data/mnist");
  EXPECT_EQ(resolve_data_dir(""), "data/mnist");
  std::filesystem::current_path(here);
  setenv("LANDSCAPE_DATA", "/from/env", 1);
  EXPECT_EQ(resolve_data_dir(""), "/from/env");
  EXPECT_EQ(resolve_data_dir("/from/flag"), "/from/flag");
  if (saved)
    setenv("LANDSCAPE_DATA", keep.c_str(), 1);
  else
    unsetenv("LANDSCAPE_DATA");
}

// ---------------------------------------------------------------------------------------------
// SHA-256 and the published sums.

TEST(Sha256, KnownVectors) {
  // FIPS 180-4 examples (NIST CSRC "SHA256.pdf"), plus the empty message.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, StreamingAndFilesAgree) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += static_cast<char>((i * 37) % 256);
  const std::string whole = sha256_hex(text);
  for (size_t chunk : {1u, 7u, 63u, 64u, 65u, 300u}) {
    Sha256 sha;
    for (size_t at = 0; at < text.size(); at += chunk)
      sha.update(text.data() + at, std::min(chunk, text.size() - at));
    EXPECT_EQ(sha.hex(), whole) << "chunk " << chunk;
  }
  // Lengths around the padding boundary (55, 56, 64 bytes) against one-shot hashing.
  const std::string path = testing::temp_dir() + "/f.bin";
  write_bytes(path, text);
  EXPECT_EQ(sha256_file_hex(path), whole);
  EXPECT_THROW(sha256_file_hex(path + ".missing"), Error);
}

TEST(MnistVerify, SumsFileAgreesWithCode) {
  const std::string path = testing::source_dir() + "/data/SHA256SUMS";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::map<std::string, std::string> listed;
  std::string sum, name;
  while (in >> sum >> name) listed[name] = sum;
  ASSERT_EQ(listed.size(), 4u);
  for (const MnistFileSum& f : kMnistFileSums) EXPECT_EQ(listed[f.name], f.sha256) << f.name;
}

TEST(MnistVerify, DetectsMissingAndTamperedFiles) {
  const std::string dir = testing::temp_dir();
  write_bytes(dir + "/train-labels-idx1-ubyte", idx_labels(kLabels));
  std::vector<MnistFileCheck> checks = verify_mnist_files(dir);
  ASSERT_EQ(checks.size(), 4u);
  EXPECT_FALSE(all_ok(checks));
  EXPECT_FALSE(checks[0].present);
  EXPECT_TRUE(checks[1].present);
  EXPECT_FALSE(checks[1].ok);
  EXPECT_EQ(checks[1].sha256, sha256_hex(idx_labels(kLabels)));

  // With the real labels file: the copy verifies, the copy with one byte changed does not.
  const std::string real = testing::source_dir() + "/data/mnist/t10k-labels-idx1-ubyte";
  if (!testing::file_exists(real)) GTEST_SKIP() << "real MNIST absent from data/mnist (run `landscape data`)";
  std::string bytes = read_bytes(real);
  write_bytes(dir + "/t10k-labels-idx1-ubyte", bytes);
  EXPECT_TRUE(verify_mnist_files(dir)[3].ok);
  bytes[5000] = static_cast<char>(bytes[5000] ^ 1);
  write_bytes(dir + "/t10k-labels-idx1-ubyte", bytes);
  checks = verify_mnist_files(dir);
  EXPECT_TRUE(checks[3].present);
  EXPECT_FALSE(checks[3].ok);
}

TEST(Mnist, RealFilesFirstLabels) {
  const std::string dir = testing::source_dir() + "/data/mnist";
  if (!testing::file_exists(dir + "/train-images-idx3-ubyte"))
    GTEST_SKIP() << "real MNIST absent from " << dir << " (run `landscape data`)";
  const Dataset train = load_mnist(dir, Split::Train, 10);
  EXPECT_EQ(train.labels, (std::vector<int>{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}));
  for (size_t k = 0; k < train.images.size(); ++k) {
    ASSERT_GE(train.images[k], Scalar(0));
    ASSERT_LE(train.images[k], Scalar(1));
  }
  const Dataset test = load_mnist(dir, Split::Test);
  EXPECT_EQ(test.size(), 10000);
  EXPECT_EQ(test.first(10).labels, (std::vector<int>{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}));
}

}  // namespace
}  // namespace landscape
