#include "io/data_directory.hpp"

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "io/mnist.hpp"
#include "io/npy_dataset.hpp"

namespace landscape {
namespace {

constexpr Split kSplits[] = {Split::Train, Split::Test};

std::vector<std::string> mnist_files() {
  std::vector<std::string> names;
  for (Split s : kSplits) names.insert(names.end(), {mnist_images_file(s), mnist_labels_file(s)});
  return names;
}

std::vector<std::string> npy_files() {
  std::vector<std::string> names;
  for (Split s : kSplits) names.insert(names.end(), {npy_x_file(s), npy_y_file(s)});
  return names;
}

// The names of `names` that exist in dir.
std::vector<std::string> present(const std::string& dir, const std::vector<std::string>& names) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const std::string& n : names)
    if (std::filesystem::exists(dir + "/" + n, ec)) found.push_back(n);
  return found;
}

std::string listed(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

}  // namespace

std::string resolve_data_dir(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  const char* env = std::getenv("LANDSCAPE_DATA");
  if (env && *env) return env;
  // The default, like the shipped models: data/mnist here, else the checkout's (where
  // `make data` puts it), so a command run from another directory still finds it.
  std::error_code ec;
  if (std::filesystem::exists("data/mnist", ec)) return "data/mnist";
  const char* root = std::getenv("LANDSCAPE_SOURCE_ROOT");
  return std::string(root && *root ? root : LANDSCAPE_SOURCE_ROOT) + "/data/mnist";
}

DataFormat data_format(const std::string& dir) {
  const std::vector<std::string> idx = present(dir, mnist_files()), npy = present(dir, npy_files());
  if (!idx.empty() && !npy.empty())
    throw Error(dir + " holds both MNIST IDX files (" + listed(idx) + ") and .npy data files (" +
                listed(npy) + "): keep one data set per directory");
  if (!idx.empty()) return DataFormat::MnistIdx;
  if (!npy.empty()) return DataFormat::Npy;
  std::error_code ec;
  const std::string what =
      std::filesystem::is_directory(dir, ec) ? " holds no data set" : " is not a directory";
  throw Error(dir + what + ": looked for the MNIST IDX files " + listed(mnist_files()) +
              " (`landscape data` fetches and verifies MNIST) or the .npy files " + listed(npy_files()) +
              " (docs/algorithms.md §1.4). Name the data directory with --data DIR or "
              "$LANDSCAPE_DATA");
}

Dataset load_dataset(const std::string& dir, Split split, int limit) {
  return data_format(dir) == DataFormat::MnistIdx ? load_mnist(dir, split, limit)
                                                  : load_npy_dataset(dir, split, limit);
}

}  // namespace landscape
