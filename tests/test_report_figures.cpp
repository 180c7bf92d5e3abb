// The report's figures fit their data (experiments/support/distribution_figure.hpp): a few
// values become a strip plot with every value, many a histogram whose counts add up; a log axis
// exactly when positive values span more than a decade. And its tables: text columns
// left-aligned, numbers right-aligned, verdicts marked.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "experiments/support/distribution_figure.hpp"
#include "experiments/support/report_document.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

std::vector<double> geometric(double lo, double ratio, size_t n) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = lo * std::pow(ratio, double(i));
  return v;
}

TEST(DistributionStyle, FewValuesGiveAStripPlotManyAHistogram) {
  EXPECT_TRUE(choose_distribution_style({{"a", "red", {0.1, 0.2, 0.3, 0.4}}}).strip);
  std::vector<double> nineteen(kStripPlotBelow - 1, 0.5), twenty(kStripPlotBelow, 0.5);
  EXPECT_TRUE(choose_distribution_style({{"a", "red", nineteen}, {"b", "blue", nineteen}}).strip);
  EXPECT_FALSE(choose_distribution_style({{"a", "red", {0.1}}, {"b", "blue", twenty}}).strip);
  // NaNs are not values: 19 numbers and a NaN stay a strip plot.
  nineteen.push_back(NAN);
  EXPECT_TRUE(choose_distribution_style({{"a", "red", nineteen}}).strip);
}

TEST(DistributionStyle, LogAxisExactlyWhenPositiveValuesSpanMoreThanADecade) {
  EXPECT_TRUE(choose_distribution_style({{"a", "r", {0.009}}, {"b", "b", {0.218}}}).log_axis);
  EXPECT_FALSE(choose_distribution_style({{"a", "r", {0.1, 0.9}}}).log_axis);
  EXPECT_FALSE(choose_distribution_style({{"a", "r", {0.1, 1.0}}}).log_axis);         // exactly a decade
  EXPECT_FALSE(choose_distribution_style({{"a", "r", {-0.01, 0.5, 3.0}}}).log_axis);  // not all positive
  EXPECT_FALSE(choose_distribution_style({{"a", "r", {0.0, 0.5}}}).log_axis);
}

TEST(Histogram, EdgesCoverTheRangeEquallyOnTheChosenAxis) {
  const std::vector<double> lin = histogram_edges(0.0, 3.0, 3, false);
  ASSERT_EQ(lin.size(), 4u);
  EXPECT_DOUBLE_EQ(lin[1], 1.0);
  EXPECT_DOUBLE_EQ(lin[2], 2.0);
  const std::vector<double> log = histogram_edges(1e-3, 1.0, 3, true);
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log.front(), 1e-3);
  EXPECT_EQ(log.back(), 1.0);
  EXPECT_NEAR(log[1], 1e-2, 1e-15);
  EXPECT_NEAR(log[2], 1e-1, 1e-14);
  const std::vector<double> one = histogram_edges(2.0, 2.0, 4, false);  // a single value
  EXPECT_LT(one.front(), 2.0);
  EXPECT_GT(one.back(), 2.0);
}

TEST(Histogram, EveryFiniteValueInRangeIsCountedOnce) {
  const std::vector<double> edges = {0.0, 1.0, 2.0, 3.0};
  const std::vector<size_t> c = histogram_counts({0.0, 0.5, 1.0, 2.999, 3.0, -1.0, 4.0, NAN}, edges);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], 2u);  // 0, 0.5
  EXPECT_EQ(c[1], 1u);  // 1 (left edge belongs to its bin)
  EXPECT_EQ(c[2], 2u);  // 2.999 and the closed last edge 3
  const std::vector<double> v = geometric(1e-4, 1.3, 40);
  const std::vector<size_t> all =
      histogram_counts(v, histogram_edges(v.front(), v.back(), kHistogramBins, true));
  EXPECT_EQ(std::accumulate(all.begin(), all.end(), size_t(0)), v.size());
  // On a log axis geometric values spread evenly: no bin holds more than a few.
  for (size_t k : all) EXPECT_LE(k, 4u);
}

TEST(DistributionFigure, StripPlotDataHoldEveryValueAndTheMedian) {
  const std::string dir = testing::temp_dir();
  draw_distribution_figure(
      dir, "f", {{"lbfgs-train", "#c0392b", {0.3, 0.1, 0.2}}, {"sgd-train", "#2471a3", {0.5}}}, "H", "title");
  const std::string data = testing::read_file(dir + "/f.dat"), script = testing::read_file(dir + "/f.gp");
  EXPECT_NE(data.find("strip plot"), std::string::npos);
  for (const char* v : {"\n0.1 ", "\n0.2 ", "\n0.3 ", "\n0.5 "})
    EXPECT_NE(data.find(v), std::string::npos) << v;
  EXPECT_NE(data.find("0.2 -0.35 0 0.7"), std::string::npos) << data;  // the first set's median bar
  EXPECT_EQ(script.find("logscale"), std::string::npos);
  EXPECT_NE(script.find("'lbfgs-train (3)' 0"), std::string::npos) << script;
  EXPECT_EQ(script.find("kdensity"), std::string::npos);
}

TEST(DistributionFigure, HistogramOfManyValuesSpanningDecadesIsOnALogAxis) {
  const std::string dir = testing::temp_dir();
  draw_distribution_figure(dir, "h", {{"a", "#c0392b", geometric(1e-3, 1.2, 30)}}, "H", "title");
  const std::string data = testing::read_file(dir + "/h.dat"), script = testing::read_file(dir + "/h.gp");
  EXPECT_NE(data.find("histogram, log axis"), std::string::npos);
  EXPECT_NE(script.find("set logscale x"), std::string::npos);
  // The outline's counts: every bin twice (its two corners), adding up to twice the values.
  size_t total = 0, rows = 0;
  std::istringstream in(data);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    double x = 0;
    size_t count = 0;
    std::istringstream(line) >> x >> count;
    total += count;
    ++rows;
  }
  EXPECT_EQ(rows, 2 * kHistogramBins + 2);
  EXPECT_EQ(total, 2 * 30u);
}

TEST(DocumentTable, TextLeftNumbersRightVerdictsMarked) {
  const DocumentTable t{{"model", "shows here", "H", "range"},
                        {{"FCP", "yes", "0.218", "1e-3..0.5"}, {"LeNet", "no", "n/a", "2..3"}}};
  EXPECT_EQ(t.numeric_columns(), (std::vector<bool>{false, false, true, true}));
  const std::string html = t.html(), md = t.markdown();
  EXPECT_NE(html.find("<td>FCP</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td class=\"yes\">yes</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"no\">no</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">0.218</td>"), std::string::npos);
  EXPECT_NE(md.find("|:---|:---|---:|---:|"), std::string::npos) << md;
  EXPECT_NE(md.find("| **no** "), std::string::npos);
}

}  // namespace
}  // namespace landscape
