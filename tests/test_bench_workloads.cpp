// The workloads of `landscape bench` that scripts/bench.sh pairs ours-vs-ours (bench/README.md,
// "How to read the tables"): the table divides a path step by M full batches and a surface by
// side^2 forward passes, so each must report the images it ran over and the weight vectors
// it evaluated, and run on a tiny problem.
#include <gtest/gtest.h>

#include <string>

#include "experiments/bench/workloads.hpp"
#include "models/model.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

BenchOptions tiny(const std::string& arch) {
  BenchOptions o;
  o.arch = arch;
  o.images = 20;
  o.points = 3;
  o.terms = 2;
  o.data_dir = testing::mnist_dir();
  return o;
}

TEST(BenchWorkloads, SurfaceIsNamedAndUnknownNamesListIt) {
  EXPECT_STREQ(find_bench_workload("surface").name, "surface");
  const std::string message = testing::usage_error_of([] { find_bench_workload("grid"); });
  EXPECT_NE(message.find("surface"), std::string::npos) << message;
  EXPECT_NE(message.find("'grid'"), std::string::npos) << message;
}

class BenchWorkloadsOnMnist : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found in " << testing::mnist_dir();
  }
};

TEST_P(BenchWorkloadsOnMnist, SurfaceReportsItsGridAndImages) {
  const BenchOptions o = tiny(GetParam());
  const BenchResult r = run_bench(find_bench_workload("surface"), o, /*repeat=*/1, /*warmup=*/0);
  EXPECT_EQ(r.what, "surface");
  EXPECT_EQ(r.arch, GetParam());
  EXPECT_EQ(r.images, 20);
  EXPECT_EQ(r.points, 9);  // the 3 x 3 grid
  EXPECT_GT(r.median_s, 0);
  const double forward = make_model(GetParam())->forward_flops() * 20.0;
  EXPECT_DOUBLE_EQ(r.gflop, 9 * forward * 1e-9);  // forward passes only
  EXPECT_NE(bench_json(r).str(0).find("\"points\": 9"), std::string::npos) << bench_json(r).str(0);
}

TEST_P(BenchWorkloadsOnMnist, PathStepReportsItsPointsAndImages) {
  const BenchOptions o = tiny(GetParam());
  const BenchResult r = run_bench(find_bench_workload("path-step"), o, 1, 0);
  EXPECT_EQ(r.images, 20);
  EXPECT_EQ(r.points, 3);  // M
  const double forward = make_model(GetParam())->forward_flops() * 20.0;
  EXPECT_DOUBLE_EQ(r.gflop, 3 * 3 * forward * 1e-9);  // M loss+gradient evaluations
}

TEST_P(BenchWorkloadsOnMnist, SingleEvaluationsReportNoPoints) {
  const BenchOptions o = tiny(GetParam());
  for (const char* what : {"fullbatch", "forward"}) {
    const BenchResult r = run_bench(find_bench_workload(what), o, 1, 0);
    EXPECT_EQ(r.images, 20) << what;
    EXPECT_EQ(r.points, 0) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(AllModels, BenchWorkloadsOnMnist, ::testing::Values("fcp", "ae", "lenet", "lstm"));

}  // namespace
}  // namespace landscape
