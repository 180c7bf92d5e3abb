// `landscape kpca` and `landscape stats` end to end: .npy sets in, the CSV files out, and the
// numbers equal to the library's (docs/algorithms.md §7).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "io/npy.hpp"
#include "landscape/analysis/kernel_pca.hpp"
#include "landscape/analysis/pca.hpp"
#include "landscape/analysis/weight_stats.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::random_tensor;

int run(std::vector<std::string> words) {
  words.insert(words.begin(), "landscape");
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  return words[1] == "kpca" ? cmd_kpca(int(argv.size()), argv.data())
                            : cmd_stats(int(argv.size()), argv.data());
}

// The CSV as rows of fields, header first.
std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "missing " << path;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

std::string save(const std::string& dir, const std::string& name, const Tensor& t) {
  const std::string path = dir + "/" + name;
  write_npy(path, t.data(), t.dim(0), t.dim(1));
  return path;
}

class AnalysisCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir();
    A_ = random_tensor({6, 5}, 31);
    B_ = random_tensor({4, 5}, 32, 0, 2);
    a_ = save(dir_, "a.npy", A_);
    b_ = save(dir_, "b.npy", B_);
  }
  Tensor stacked() const {
    Tensor X({10, 5});
    for (size_t i = 0; i < A_.size(); ++i) X[i] = A_[i];
    for (size_t i = 0; i < B_.size(); ++i) X[A_.size() + i] = B_[i];
    return X;
  }
  std::string dir_, a_, b_;
  Tensor A_, B_;
};

TEST_F(AnalysisCommands, KpcaWritesProjectionsAndEigenvalues) {
  ASSERT_EQ(run({"kpca", "--sets", a_ + "," + b_, "--labels", "sgd,bfgs", "--kernel", "poly", "--degree", "2",
                 "--components", "3", "--pca", "--out", dir_ + "/out"}),
            0);
  const KernelPCA kp(stacked(), {.kind = KernelKind::Poly, .degree = 2}, 3);
  const auto csv = read_csv(dir_ + "/out/kpca.csv");
  ASSERT_EQ(csv.size(), 11u);
  EXPECT_EQ(csv[0], (std::vector<std::string>{"set", "row", "pc1", "pc2", "pc3"}));
  EXPECT_EQ(csv[1][0], "sgd");
  EXPECT_EQ(csv[7][0], "bfgs");
  EXPECT_EQ(csv[7][1], "0");  // rows numbered within their set
  for (int i = 0; i < 10; ++i)
    for (int k = 0; k < 3; ++k)
      EXPECT_EQ(std::stod(csv[i + 1][k + 2]), kp.projections()[i * 3 + k]);  // 17 digits: exact
  const auto ev = read_csv(dir_ + "/out/eigenvalues.csv");
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0], (std::vector<std::string>{"component", "eigenvalue", "fraction"}));
  EXPECT_EQ(std::stod(ev[1][1]), kp.eigenvalues()[0]);
  EXPECT_NEAR(std::stod(ev[1][2]), kp.eigenvalues()[0] / kp.eigenvalue_sum(), 1e-15);

  const PCA pca(stacked(), 3);
  const auto p = read_csv(dir_ + "/out/pca.csv");
  ASSERT_EQ(p.size(), 11u);
  EXPECT_EQ(std::stod(p[3][3]), pca.projections()[2 * 3 + 1]);
  EXPECT_TRUE(testing::file_exists(dir_ + "/out/pca_eigenvalues.csv"));
}

TEST_F(AnalysisCommands, StatsWritesTableS1AndDistances) {
  ASSERT_EQ(run({"stats", "--sets", a_ + "," + b_, "--out", dir_ + "/s"}), 0);
  const SetStatistics sa = set_statistics(A_), sb = set_statistics(B_);
  const auto st = read_csv(dir_ + "/s/stats.csv");
  ASSERT_EQ(st.size(), 3u);
  EXPECT_EQ(st[0], (std::vector<std::string>{"set", "mean", "std", "centroid_norm"}));
  EXPECT_EQ(st[1][0], "a");  // default labels: file names without .npy
  EXPECT_EQ(st[2][0], "b");
  EXPECT_EQ(std::stod(st[2][1]), sb.mean);
  EXPECT_EQ(std::stod(st[2][2]), sb.std);
  EXPECT_EQ(std::stod(st[1][3]), sa.centroid_norm);
  const std::vector<double> db = distances_to(B_, common_origin({sa.centroid, sb.centroid}));
  const auto len = read_csv(dir_ + "/s/lengths.csv");
  ASSERT_EQ(len.size(), 11u);
  EXPECT_EQ(len[0], (std::vector<std::string>{"set", "row", "distance"}));
  EXPECT_EQ(len[10][0], "b");
  EXPECT_EQ(len[10][1], "3");
  EXPECT_EQ(std::stod(len[10][2]), db[3]);
}

TEST_F(AnalysisCommands, SetsOfDifferentWidthsAreAnErrorNamingBoth) {
  const std::string c = save(dir_, "c.npy", random_tensor({3, 4}, 33));
  for (const char* command : {"kpca", "stats"}) {
    try {
      run({command, "--sets", a_ + "," + c, "--out", dir_ + "/x"});
      ADD_FAILURE() << command << " accepted sets of widths 5 and 4";
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("a.npy"), std::string::npos) << m;
      EXPECT_NE(m.find("c.npy"), std::string::npos) << m;
    }
  }
}

TEST_F(AnalysisCommands, BadFlagsAreUsageErrors) {
  EXPECT_THROW(run({"kpca", "--sets", a_ + "," + b_, "--labels", "x", "--out", dir_}), UsageError);
  EXPECT_THROW(run({"kpca", "--sets", a_, "--kernel", "gauss", "--out", dir_}), UsageError);
  EXPECT_THROW(run({"kpca", "--sets", a_, "--sigma2", "0", "--out", dir_}), UsageError);
  EXPECT_THROW(run({"kpca", "--sets", a_, "--components", "7", "--out", dir_}), UsageError);
  EXPECT_THROW(run({"stats", "--sets", a_ + "," + a_, "--out", dir_}), UsageError);  // same label
}

}  // namespace
}  // namespace landscape
