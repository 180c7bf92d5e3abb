// Verifies a data directory against the published MNIST sums, file by file, so a report can
// say which file is missing or altered.
#include "io/mnist_verify.hpp"

#include <filesystem>

#include "io/sha256.hpp"

namespace landscape {

std::vector<MnistFileCheck> verify_mnist_files(const std::string& dir) {
  std::vector<MnistFileCheck> checks;
  for (const MnistFileSum& file : kMnistFileSums) {
    MnistFileCheck c;
    c.name = file.name;
    c.path = dir + "/" + file.name;
    std::error_code ec;
    c.present = std::filesystem::is_regular_file(c.path, ec);
    if (c.present) {
      c.sha256 = sha256_file_hex(c.path);
      c.ok = c.sha256 == file.sha256;
    }
    checks.push_back(std::move(c));
  }
  return checks;
}

bool all_ok(const std::vector<MnistFileCheck>& checks) {
  for (const MnistFileCheck& c : checks)
    if (!c.ok) return false;
  return !checks.empty();
}

}  // namespace landscape
