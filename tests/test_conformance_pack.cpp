// The conformance pack (reference_outputs/conformance/, README there) cannot go stale: every
// entry of its commands.txt is run again, from the pack's committed inputs, and every committed
// file of the entry must come back within the entry's tolerances (tolerances.csv: numpy.isclose's
// |a - b| <= atol + rtol |b|, b the committed value; the float64 build's columns, or the float32
// build's, which the tolerance guide in docs/validating.md measures). Columns of wall time are
// not compared. Needs MNIST (skips without it).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/csv.hpp"
#include "io/npy.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

struct Entry {
  std::string name;
  std::vector<std::string> args;  // after "landscape", placeholders replaced
};

std::string replaced(std::string word, const std::string& pack, const std::string& out) {
  const std::pair<std::string, std::string> subs[] = {
      {"{pack}", pack}, {"{out}", out}, {"{data}", testing::mnist_dir()}};
  for (const auto& [from, to] : subs)
    for (std::size_t at; (at = word.find(from)) != std::string::npos;) word.replace(at, from.size(), to);
  return word;
}

std::vector<Entry> read_entries(const std::string& pack, const std::string& out) {
  std::ifstream in(pack + "/commands.txt");
  std::vector<Entry> entries;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    Entry e;
    e.name = line.substr(0, line.find(':'));
    std::istringstream words(line.substr(line.find(':') + 1));
    for (std::string w; words >> w;) e.args.push_back(replaced(w, pack, out));
    entries.push_back(e);
  }
  return entries;
}

struct Tolerance {
  double rtol = 0, atol = 0;
};

Tolerance tolerance_of(const std::string& pack, const std::string& entry) {
  const CsvTable t = read_csv(pack + "/tolerances.csv");
  const bool f64 = testing::kFloat64;
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    if (t.rows[r][0] == entry)
      return {t.number(r, f64 ? "float64_rtol" : "float32_rtol"),
              t.number(r, f64 ? "float64_atol" : "float32_atol")};
  ADD_FAILURE() << "tolerances.csv has no row for " << entry;
  return {};
}

bool close(double got, double want, const Tolerance& tol) {
  if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got);
  if (std::isinf(want) || std::isinf(got)) return got == want;
  return std::abs(got - want) <= tol.atol + tol.rtol * std::abs(want);
}

bool is_number(const std::string& text, double& value) {
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

// Every cell of the committed CSV against the regenerated one, named where they part.
void expect_csv_close(const std::string& got_path, const std::string& want_path, const Tolerance& tol) {
  const CsvTable got = read_csv(got_path), want = read_csv(want_path);
  ASSERT_EQ(got.header, want.header) << want_path;
  ASSERT_EQ(got.rows.size(), want.rows.size()) << want_path;
  int failures = 0;
  for (std::size_t r = 0; r < want.rows.size(); ++r)
    for (std::size_t c = 0; c < want.header.size(); ++c) {
      if (want.header[c] == "seconds" || want.header[c] == "cpu_seconds") continue;  // wall time
      double a, b;
      const std::string &g = got.rows[r][c], &w = want.rows[r][c];
      const bool ok = is_number(w, b) && is_number(g, a) ? close(a, b, tol) : g == w;
      if (!ok && failures++ < 5)
        ADD_FAILURE() << want_path << ": row " << r << ", column " << want.header[c] << ": " << g
                      << " regenerated, " << w << " committed (rtol " << tol.rtol << ", atol " << tol.atol
                      << ")";
    }
}

void expect_npy_close(const std::string& got_path, const std::string& want_path, const Tolerance& tol) {
  const NpyArray header = read_npy_header(want_path);
  if (header.kind == 'i') {  // shuffles: exactly
    EXPECT_EQ(testing::read_file(got_path), testing::read_file(want_path)) << want_path;
    return;
  }
  int64_t gr, gc, wr, wc;
  const std::vector<double> got = read_npy_double(got_path, &gr, &gc),
                            want = read_npy_double(want_path, &wr, &wc);
  ASSERT_EQ(gr, wr) << want_path;
  ASSERT_EQ(gc, wc) << want_path;
  int failures = 0;
  for (std::size_t k = 0; k < want.size(); ++k)
    if (!close(got[k], want[k], tol) && failures++ < 5)
      ADD_FAILURE() << want_path << ": entry " << k << ": " << got[k] << " regenerated, " << want[k]
                    << " committed";
}

TEST(ConformancePack, EveryEntryRegeneratesWithinItsTolerance) {
  if (!testing::have_mnist()) GTEST_SKIP() << "needs MNIST";
  const std::string pack = testing::reference_path("conformance"), out = testing::temp_dir();
  const std::vector<Entry> entries = read_entries(pack, out);
  ASSERT_EQ(entries.size(), 7u);  // sgd, lbfgs, fourier, fig3, fig3-path, kpca, lanczos
  for (const Entry& e : entries) {
    SCOPED_TRACE(e.name);
    std::vector<std::string> argv{testing::binary()};
    argv.insert(argv.end(), e.args.begin(), e.args.end());
    argv.insert(argv.end(), {"--threads", "1"});
    const testing::CommandResult r = testing::run_capture(argv);
    ASSERT_EQ(r.status, 0) << r.err;
    const Tolerance tol = tolerance_of(pack, e.name);
    const auto committed = testing::files_under(pack + "/" + e.name);
    ASSERT_FALSE(committed.empty());
    for (const auto& [file, bytes] : committed) {
      const std::string got = out + "/" + e.name + "/" + file, want = pack + "/" + e.name + "/" + file;
      ASSERT_TRUE(testing::file_exists(got)) << "not regenerated: " << want;
      if (file.ends_with(".csv"))
        expect_csv_close(got, want, tol);
      else if (file.ends_with(".npy"))
        expect_npy_close(got, want, tol);
      else
        ADD_FAILURE() << "the pack holds CSV and .npy files only: " << want;
    }
  }
}

// The float64 build regenerates the pack exactly as committed on the machine that made it, and
// to rounding elsewhere: the test above is not loose by construction (its tolerance is 1e-9 in
// float64); here an injected change in one committed number is caught.
TEST(ConformancePack, ComparisonCatchesAChangedNumber) {
  const std::string dir = testing::temp_dir();
  testing::write_bytes(dir + "/a.csv", "step,x\n1,1.0\n2,2.0\n");
  testing::write_bytes(dir + "/b.csv", "step,x\n1,1.0\n2,2.0000001\n");
  EXPECT_NONFATAL_FAILURE(expect_csv_close(dir + "/b.csv", dir + "/a.csv", {1e-9, 1e-12}), "column x");
  expect_csv_close(dir + "/b.csv", dir + "/a.csv", {1e-6, 0});  // within 1e-6: no failure
}

}  // namespace
}  // namespace landscape
