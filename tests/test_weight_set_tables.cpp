// The analysis of weight sets as tables (experiments/analysis/weight_sets.hpp), which the stats
// and kpca commands and the paper study share (docs/algorithms.md §7), and the curve table that
// training runs and the related study's brief run share (docs/algorithms.md §3).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "experiments/analysis/weight_sets.hpp"
#include "experiments/paper/figure3.hpp"
#include "experiments/training/training_run.hpp"
#include "io/npy.hpp"
#include "landscape/analysis/weight_stats.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::random_tensor;

std::vector<WeightSet> three_sets() {
  return {{"a", "", random_tensor({3, 5}, 1)},
          {"b", "", random_tensor({2, 5}, 2, 0, 2)},
          {"c", "", random_tensor({4, 5}, 3, -2, 0)}};
}

TEST(WeightSetTables, StatisticsOfEverySetAndLengthsAroundTheChosenSets) {
  const std::vector<WeightSet> sets = three_sets();
  const SetStatisticsTables t = set_statistics_tables(sets, {0, 2});
  ASSERT_EQ(t.stats.size(), 3u);
  for (size_t s = 0; s < 3; ++s) {
    const SetStatistics st = set_statistics(sets[s].vectors);
    EXPECT_EQ(t.stats[s].set, sets[s].label);
    EXPECT_EQ(t.stats[s].mean, st.mean);
    EXPECT_EQ(t.stats[s].std, st.std);
    EXPECT_EQ(t.stats[s].centroid_norm, st.centroid_norm);
  }
  // Sets 0 and 2 only, around the midpoint of their centroids, rows numbered within the set.
  const std::vector<double> origin =
      common_origin({set_statistics(sets[0].vectors).centroid, set_statistics(sets[2].vectors).centroid});
  ASSERT_EQ(t.lengths.size(), 7u);
  const std::vector<double> d0 = distances_to(sets[0].vectors, origin),
                            d2 = distances_to(sets[2].vectors, origin);
  for (size_t r = 0; r < 3; ++r) EXPECT_EQ(t.lengths[r].distance, d0[r]);
  for (size_t r = 0; r < 4; ++r) {
    EXPECT_EQ(t.lengths[3 + r].set, "c");
    EXPECT_EQ(t.lengths[3 + r].row, r);
    EXPECT_EQ(t.lengths[3 + r].distance, d2[r]);
  }
}

TEST(WeightSetTables, ProjectionRowsFollowTheStackAndTheTableHasAColumnPerComponent) {
  const std::vector<WeightSet> sets = three_sets();
  std::vector<double> pcs(9 * 2);
  for (size_t i = 0; i < pcs.size(); ++i) pcs[i] = 0.5 * double(i);
  const std::vector<ProjectionRow> rows = projection_rows(sets, pcs, 2);
  ASSERT_EQ(rows.size(), 9u);
  EXPECT_EQ(rows[3].set, "b");
  EXPECT_EQ(rows[3].row, 0);
  EXPECT_EQ(rows[3].pc, (std::vector<double>{3.0, 3.5}));
  EXPECT_EQ(projection_table(2, "%.3g").text({rows[3], rows[8]}), "set,row,pc1,pc2\nb,0,3,3.5\nc,3,8,8.5\n");
  EXPECT_EQ(projection_table(3, "%.3g").header(), "set,row,pc1,pc2,pc3");
}

TEST(WeightSetTables, NumbersKeepTheCallersPrecision) {
  const SetRow s{"x", 1.0 / 3, 2.0 / 3, std::nan("")};
  EXPECT_EQ(set_statistics_table("%.10g").text({s}),
            "set,mean,std,centroid_norm\nx,0.3333333333,0.6666666667,nan\n");
  EXPECT_EQ(set_statistics_table("%.17g").line(s), "x,0.33333333333333331,0.66666666666666663,nan");
  EXPECT_EQ(distance_table("%.4g").text({{"y", 7, 0.123456}}), "set,row,distance\ny,7,0.1235\n");
  const std::vector<EigenvalueRow> e = eigenvalue_rows({3, 1}, 8);
  EXPECT_EQ(eigenvalue_table("%g").text(e), "component,eigenvalue,fraction\npc1,3,0.375\npc2,1,0.125\n");
}

TEST(WeightSetTables, ReadingChecksEverySetAndNamesTheFile) {
  const std::string dir = testing::temp_dir();
  const Tensor a = random_tensor({2, 3}, 4), b = random_tensor({1, 4}, 5);
  write_npy(dir + "/a.npy", a.data(), 2, 3);
  write_npy(dir + "/b.npy", b.data(), 1, 4);
  const std::vector<WeightSet> sets = read_weight_sets({dir + "/a.npy", dir + "/a.npy"}, {"x", "y"});
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[1].label, "y");
  EXPECT_EQ(stack_weight_sets(sets).dim(0), 4);
  EXPECT_EQ(sets[0].vectors.data()[5], a.data()[5]);
  testing::expect_error(
      [&] {
        read_weight_sets({dir + "/a.npy", dir + "/b.npy"}, {"x", "y"});
      },
      {"different widths", dir + "/a.npy", dir + "/b.npy"});
  testing::expect_error([&] { read_weight_sets({dir + "/none.npy"}, {"x"}); }, {dir + "/none.npy"});
}

TEST(CurveTable, LossesInTheGivenFormat) {
  const std::vector<EpochRecord> curve{{1, 0.123456789, 2.5}, {2, 1.0 / 3, 0}};
  EXPECT_EQ(curve_table().text(curve), "epoch,train_loss,test_loss\n1,0.123456789,2.5\n2,0.333333333333,0\n");
  EXPECT_EQ(curve_table("%g").text(curve), "epoch,train_loss,test_loss\n1,0.123457,2.5\n2,0.333333,0\n");
}

TEST(Figure3Manifest, NamesTheProcedureTheSeedAndTheSaddle) {
  const std::string m = figure3_manifest(7, "landscape fig3 --seed 7").str();
  EXPECT_NE(m.find("\"seed\": 7"), std::string::npos) << m;
  EXPECT_NE(m.find("published toy notebook"), std::string::npos) << m;
  EXPECT_NE(m.find("lowest_saddle"), std::string::npos) << m;
  EXPECT_NE(m.find("landscape fig3 --seed 7"), std::string::npos) << m;
}

}  // namespace
}  // namespace landscape
