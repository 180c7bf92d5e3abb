// `landscape reproduce` end to end on the miniature preset (presets/mini.conf): every stage and
// report file; the FCP's aligned path runs beside the plain ones; shards 0/2 and 1/2, collected,
// equal the unsharded study byte for byte; a study killed at random moments and rerun ends with
// the same files.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "io/csv.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using testing::binary;
using testing::run_command;

// The study's result files: everything but manifests (wall times) and the report (which
// carries the time it was made; its tables are compared through the CSVs it is built from).
std::map<std::string, std::string> study_files(const std::string& dir) {
  return testing::files_under(
      dir, [](const std::string& rel) { return rel.rfind("report/", 0) == 0 || testing::is_manifest(rel); });
}

std::vector<std::string> reproduce(const std::string& out, std::vector<std::string> extra = {}) {
  setenv("LANDSCAPE_DATA", testing::mnist_dir().c_str(), 0);
  std::vector<std::string> argv = {binary(), "reproduce", "--preset", "mini", "--out", out, "--threads", "2"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

class Reproduce : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::have_mnist()) return;
    reference_ = new std::string(testing::temp_dir());
    status_ = run_command(reproduce(*reference_));
  }
  void SetUp() override {
    if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found in " << testing::mnist_dir();
    ASSERT_EQ(status_, 0) << "the miniature study failed";
  }
  static std::string* reference_;
  static int status_;
};
std::string* Reproduce::reference_ = nullptr;
int Reproduce::status_ = -1;

TEST_F(Reproduce, MiniaturePresetWritesEveryReportFile) {
  const std::string r = *reference_ + "/report/";
  for (const char* f :
       {"index.html", "report.md", "table1.csv", "spread.csv", "barriers.csv", "table_s1.csv"})
    EXPECT_TRUE(fs::exists(r + f)) << f;
  for (const char* arch : {"fcp", "ae"})
    for (const char* fig : {"fig2_", "fig4_", "fig5_", "fig6_"})
      for (const char* ext : {".png", ".svg", ".dat", ".gp"})
        EXPECT_TRUE(fs::exists(r + fig + arch + ext)) << fig << arch << ext;
  EXPECT_TRUE(fs::exists(*reference_ + "/manifest.json"));
  const std::string t1 = testing::read_file(r + "table1.csv");
  EXPECT_EQ(t1.rfind("arch,optimizer,train_loss,test_loss,n_params\nfcp,lbfgs,", 0), 0u) << t1;
  const std::string b = testing::read_file(r + "barriers.csv");
  EXPECT_NE(b.find("fcp,sgd-test,train,"), std::string::npos);
  EXPECT_NE(b.find("ae,lbfgs-train,test,"), std::string::npos);  // the mini preset asks for both
  const std::string html = testing::read_file(r + "index.html");
  EXPECT_NE(html.find("<img src=\"fig6_fcp.png\""), std::string::npos);
}

// The mini preset aligns the FCP's pairs (fcp.align = weight, docs/algorithms.md §14.6). Every pair
// of every set has its aligned path beside the plain one: alignment.csv's H_before is the plain
// run's H, weight matching never moved row j away from row i, and the aligned path's straight
// line is the one aligned.csv measured. The autoencoder (not aligned) has no such run.
TEST_F(Reproduce, AlignedPathsBesideThePlainOnes) {
  const std::string r = *reference_ + "/report/";
  const CsvTable a = read_csv(r + "alignment.csv");
  ASSERT_EQ(a.rows.size(), 4u);  // four sets, one pair each (2 runs kept)
  for (size_t k = 0; k < a.rows.size(); ++k) {
    EXPECT_EQ(a.rows[k][0], "fcp");
    const std::string set = a.rows[k][1], i = a.rows[k][2], j = a.rows[k][3];
    const std::string where = set + " " + i + "-" + j;
    const CsvTable plain = read_csv(*reference_ + "/fcp/paths/" + set + "-train/paths.csv");
    const CsvTable aligned = read_csv(*reference_ + "/fcp/paths/" + set + "-train-aligned/paths.csv");
    auto row_of = [&](const CsvTable& t) {
      for (size_t q = 0; q < t.rows.size(); ++q)
        if (t.rows[q][0] == i && t.rows[q][1] == j) return q;
      ADD_FAILURE() << where << " missing from " << t.path;
      return size_t(0);
    };
    EXPECT_EQ(a.number(k, "H_before"), plain.number(row_of(plain), "H")) << where;
    EXPECT_EQ(a.number(k, "H_after"), aligned.number(row_of(aligned), "H")) << where;
    EXPECT_LE(a.number(k, "distance_after"), a.number(k, "distance_before") * (1 + 1e-6)) << where;
    EXPECT_NEAR(aligned.number(row_of(aligned), "H_linear"), a.number(k, "H_linear_after"),
                1e-4 * a.number(k, "H_linear_after"))
        << where;
  }
  EXPECT_FALSE(fs::exists(*reference_ + "/ae/paths/sgd-train-train-aligned"));
  const std::string md = testing::read_file(r + "report.md");
  EXPECT_NE(md.find("## Barriers after permutation alignment"), std::string::npos);
  EXPECT_NE(md.find("barriers are lower after weight matching (train sets"), std::string::npos);
  EXPECT_TRUE(fs::exists(r + "connectivity_fcp/tree.csv"));
  EXPECT_TRUE(fs::exists(r + "connectivity_ae/minima.csv"));
}

// The mini preset's curvature_images = 50 (docs/algorithms.md §10.10): every vector of every set
// has its curvature row; the Gauss-Newton matrix is positive semi-definite and the worst case
// includes w itself, so both are >= 0; the report has the table and the finding.
TEST_F(Reproduce, CurvatureOfEveryVector) {
  for (const char* arch : {"fcp", "ae"}) {
    const CsvTable c = read_csv(*reference_ + "/" + arch + "/analysis/curvature.csv");
    ASSERT_EQ(c.rows.size(), 4u * 2u) << arch;  // four sets of two kept runs
    for (size_t r = 0; r < c.rows.size(); ++r) {
      EXPECT_GE(c.number(r, "ggn_lambda_max"), 0) << arch << r;
      EXPECT_GE(c.number(r, "adaptive_sharpness"), 0) << arch << r;
      EXPECT_GT(c.number(r, "hessian_lambda_max"), 0) << arch << r;
    }
  }
  const std::string md = testing::read_file(*reference_ + "/report/report.md");
  EXPECT_NE(md.find("## Curvature and sharpness of the minima"), std::string::npos);
  EXPECT_NE(md.find("L-BFGS-GSS minima are sharper (train sets"), std::string::npos);
}

TEST_F(Reproduce, ShardsCollectedEqualTheUnshardedStudy) {
  const std::string dir = testing::temp_dir();
  for (const char* stage : {"train", "paths"}) {
    for (const char* shard : {"0/2", "1/2"})
      ASSERT_EQ(run_command(reproduce(dir, {"--stage", stage, "--shard", shard})), 0) << stage << shard;
    ASSERT_EQ(run_command({binary(), "collect", dir}), 0) << stage;
  }
  for (const char* stage : {"analysis", "report"})
    ASSERT_EQ(run_command(reproduce(dir, {"--stage", stage})), 0);
  EXPECT_TRUE(study_files(*reference_) == study_files(dir));
  EXPECT_TRUE(fs::exists(dir + "/report/index.html"));
}

TEST_F(Reproduce, KilledAndRerunEndsWithTheSameFiles) {
  const std::string dir = testing::temp_dir();
  std::mt19937 rng(7);
  for (int k = 0; k < 4; ++k)
    testing::run_and_kill(reproduce(dir), std::chrono::milliseconds(300 + rng() % 2500));
  ASSERT_EQ(run_command(reproduce(dir)), 0);
  EXPECT_TRUE(study_files(*reference_) == study_files(dir));
}

TEST_F(Reproduce, RefusesAnotherPresetInTheSameDirectory) {
  EXPECT_NE(
      run_command({binary(), "reproduce", "--preset", "quick", "--out", *reference_, "--stage", "report"}),
      0);
}

}  // namespace
}  // namespace landscape
