// Weight-set statistics (docs/algorithms.md §7: Table S1 and Figure 5) on sets whose answers are known.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/tensor.hpp"
#include "landscape/analysis/weight_stats.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

TEST(WeightStats, MeanStdAndCentroidOfASmallSet) {
  // All components {1, 2, 3, 6}: mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5.
  const Tensor W({2, 2}, {1, 2, 3, 6});
  const SetStatistics s = set_statistics(W);
  EXPECT_DOUBLE_EQ(s.mean, 3);
  EXPECT_DOUBLE_EQ(s.std, std::sqrt(3.5));
  ASSERT_EQ(s.centroid.size(), 2u);
  EXPECT_DOUBLE_EQ(s.centroid[0], 2);
  EXPECT_DOUBLE_EQ(s.centroid[1], 4);
  EXPECT_DOUBLE_EQ(s.centroid_norm, std::sqrt(20.0));
}

TEST(WeightStats, StdIsTwoPassAndExactFarFromZero) {
  // 1024 +- 1/16 (exact in float32): std exactly 1/16, the deviations from the mean summed in
  // double (E[w^2] - mean^2 would subtract two numbers near 2^20).
  Tensor W({4, 1000});
  for (size_t i = 0; i < W.size(); ++i) W[i] = Scalar(1024 + (i % 2 ? 0.0625 : -0.0625));
  const SetStatistics s = set_statistics(W);
  EXPECT_DOUBLE_EQ(s.mean, 1024);
  EXPECT_DOUBLE_EQ(s.std, 0.0625);
}

TEST(WeightStats, CommonOriginIsTheMidpointAndDistancesAreToIt) {
  // Figure 5: centroids (0, 0) and (2, 0), origin (1, 0).
  const Tensor A({2, 2}, {-1, 0, 1, 0}), B({2, 2}, {2, 3, 2, -3});
  const std::vector<double> origin = common_origin({set_statistics(A).centroid, set_statistics(B).centroid});
  ASSERT_EQ(origin.size(), 2u);
  EXPECT_DOUBLE_EQ(origin[0], 1);
  EXPECT_DOUBLE_EQ(origin[1], 0);
  const std::vector<double> da = distances_to(A, origin), db = distances_to(B, origin);
  EXPECT_DOUBLE_EQ(da[0], 2);
  EXPECT_DOUBLE_EQ(da[1], 0);
  EXPECT_DOUBLE_EQ(db[0], std::sqrt(10.0));
  EXPECT_DOUBLE_EQ(db[1], std::sqrt(10.0));
  // Three sets: each centroid counts once.
  const std::vector<double> o3 = common_origin({{0.0}, {3.0}, {6.0}});
  EXPECT_DOUBLE_EQ(o3[0], 3);
}

TEST(WeightStats, SameBitsWhateverTheThreadCount) {
  const Tensor W = testing::random_tensor({64, 2048}, 21);  // large enough for the parallel path
  const std::vector<double> origin(2048, 0.01);
  set_num_threads(1);
  const SetStatistics one = set_statistics(W);
  const std::vector<double> d_one = distances_to(W, origin);
  set_num_threads(2);
  const SetStatistics two = set_statistics(W);
  const std::vector<double> d_two = distances_to(W, origin);
  EXPECT_EQ(one.mean, two.mean);
  EXPECT_EQ(one.std, two.std);
  EXPECT_EQ(one.centroid, two.centroid);
  EXPECT_EQ(d_one, d_two);
}

TEST(WeightStats, WidthMismatchesAreErrors) {
  const Tensor W({2, 3});
  EXPECT_THROW(distances_to(W, {0.0, 0.0}), Error);
  EXPECT_THROW(common_origin({{0.0, 1.0}, {0.0}}), Error);
  EXPECT_THROW(common_origin({}), Error);
  EXPECT_THROW(set_statistics(Tensor({6})), Error);
}

}  // namespace
}  // namespace landscape
