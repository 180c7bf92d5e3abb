// The fuzz targets' inputs replayed in the ordinary test suite (no clang needed): every seed of
// fuzz/corpus/<target>/ and every input that once crashed a target, fuzz/regressions/<target>/.
// Each must give a value or a landscape::Error (fuzz/fuzz_targets.hpp); under
// `make test-sanitize` AddressSanitizer and UBSan watch the same code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <typeinfo>
#include <vector>

#include "../fuzz/fuzz_targets.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using Target = void (*)(const uint8_t*, size_t);

// Files of fuzz/corpus/<name>/ and fuzz/regressions/<name>/, sorted.
std::vector<fs::path> inputs(const std::string& name) {
  std::vector<fs::path> files;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(testing::source_dir()) / "fuzz" / kind / name;
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void replay(const std::string& name, Target target, size_t at_least) {
  const std::vector<fs::path> files = inputs(name);
  EXPECT_GE(files.size(), at_least) << "seed corpus fuzz/corpus/" << name << " missing";
  for (const fs::path& f : files) {
    const std::string bytes = testing::read_file(f.string());
    try {
      target(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    } catch (const std::exception& e) {
      ADD_FAILURE() << f << ": " << typeid(e).name() << " escaped: " << e.what();
    }
  }
}

TEST(FuzzRegressions, IdxReader) { replay("idx", fuzz::idx, 5); }
TEST(FuzzRegressions, NpyReader) { replay("npy", fuzz::npy, 5); }
TEST(FuzzRegressions, CommandLineParser) { replay("args", fuzz::args, 3); }
TEST(FuzzRegressions, PresetParser) { replay("config", fuzz::config, 2); }
TEST(FuzzRegressions, ModelDescriptionReader) { replay("description", fuzz::description, 5); }
TEST(FuzzRegressions, OnnxReader) { replay("onnx", fuzz::onnx, 5); }
TEST(FuzzRegressions, NpyDataDirectory) { replay("npy_data", fuzz::npy_data, 5); }

// The targets themselves must tell a good input from a bad one, or they test nothing.
TEST(FuzzRegressions, TargetsSeeValidInputs) {
  const std::string images = testing::read_file(testing::source_dir() + "/fuzz/corpus/idx/images-2x3x2");
  int n = 0, rows = 0, cols = 0;
  EXPECT_EQ(parse_idx_images("x", images, &n, &rows, &cols).size(), 12u);
  EXPECT_EQ(n * 100 + rows * 10 + cols, 232);
  const NpyMatrix m = parse_npy("x", testing::read_file(testing::source_dir() + "/fuzz/corpus/npy/f8-2d"));
  EXPECT_EQ(m.rows * 10 + m.cols, 23);
  EXPECT_THROW(parse_npy("x", testing::read_file(testing::source_dir() + "/fuzz/corpus/npy/lying-shape")),
               Error);
}

}  // namespace
}  // namespace landscape
