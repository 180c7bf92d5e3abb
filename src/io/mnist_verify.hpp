// The four original MNIST files and their published SHA-256 sums (of the uncompressed files).
// data/SHA256SUMS holds the same sums for data/fetch_mnist.sh; tests/test_mnist.cpp checks
// that the two agree.
#pragma once

#include <string>
#include <vector>

namespace landscape {

struct MnistFileSum {
  const char* name;    // e.g. "train-images-idx3-ubyte"
  const char* sha256;  // lower-case hex
};

inline constexpr MnistFileSum kMnistFileSums[4] = {
    {"train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
    {"train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
    {"t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
    {"t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
};

struct MnistFileCheck {
  std::string name;      // file name
  std::string path;      // dir/name
  bool present = false;  // the file exists
  std::string sha256;    // its sum when present
  bool ok = false;       // present and equal to the published sum
};

// One check per file of kMnistFileSums, in that order.
std::vector<MnistFileCheck> verify_mnist_files(const std::string& dir);
bool all_ok(const std::vector<MnistFileCheck>& checks);

}  // namespace landscape
