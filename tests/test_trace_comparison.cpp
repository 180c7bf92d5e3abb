// compare-trace (experiments/support/trace_comparison.hpp): an injected change in one row is
// found at that step and column; tolerances follow numpy.isclose; NaN agrees with NaN only;
// different columns are named, different steps compared where common; exit 0 / 1 / 2.
#include <cmath>
#include <cstdio>

#include "experiments/support/trace_comparison.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

std::string number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

CsvTable table(const std::string& path, std::vector<std::string> header,
               std::vector<std::vector<std::string>> rows) {
  CsvTable t;
  t.path = path;
  t.header = std::move(header);
  t.rows = std::move(rows);
  return t;
}

// A trace of `steps` rows: step, loss = 1 / (1 + step), gamma = 0.5 + step / 100.
CsvTable trace(const std::string& path, int steps) {
  std::vector<std::vector<std::string>> rows;
  for (int s = 0; s < steps; ++s)
    rows.push_back({std::to_string(s), number_text(1.0 / (1 + s)), number_text(0.5 + s / 100.0)});
  return table(path, {"step", "loss", "gamma"}, rows);
}

TEST(TraceComparison, AnInjectedChangeIsFoundAtItsStepAndColumn) {
  const CsvTable a = trace("a.csv", 20);
  CsvTable b = a;
  EXPECT_TRUE(compare_traces(a, b, {}).agree());
  b.rows[13][2] = number_text((0.5 + 13 / 100.0) * (1 + 1e-5));  // gamma at step 13
  b.rows[17][1] = "0.5";                                         // loss at step 17
  const TraceComparison c = compare_traces(a, b, {});
  EXPECT_FALSE(c.agree());
  ASSERT_TRUE(c.first);
  EXPECT_EQ(c.first->step, "13");
  EXPECT_EQ(c.first->column, "gamma");
  ASSERT_EQ(c.columns.size(), 2u);
  EXPECT_EQ(c.columns[0].first_step.value_or(""), "17");
  EXPECT_EQ(c.columns[0].differing_rows, 1);
  EXPECT_NEAR(c.columns[1].largest_rel, 1e-5, 1e-9);
  EXPECT_EQ(c.columns[1].step_of_largest, "13");
  // Within a looser tolerance the gamma change is rounding; the loss change is not.
  const TraceComparison loose = compare_traces(a, b, {1e-4, 0});
  ASSERT_TRUE(loose.first);
  EXPECT_EQ(loose.first->step, "17");
  EXPECT_EQ(loose.first->column, "loss");
}

TEST(TraceComparison, TheToleranceIsNumpysIscloseRule) {
  EXPECT_TRUE(cells_agree("1.0000001", "1", {1e-6, 0}));
  EXPECT_FALSE(cells_agree("1.000002", "1", {1e-6, 0}));
  EXPECT_TRUE(cells_agree("1e-9", "0", {0, 1e-8}));
  EXPECT_FALSE(cells_agree("1e-9", "0", {1e-6, 0}));
  EXPECT_TRUE(cells_agree("nan", "nan", {}));
  EXPECT_FALSE(cells_agree("nan", "1", {1, 1}));
  EXPECT_FALSE(cells_agree("1", "nan", {1, 1}));
  EXPECT_TRUE(cells_agree("inf", "inf", {}));
  EXPECT_FALSE(cells_agree("inf", "-inf", {1, 1}));
  EXPECT_TRUE(cells_agree("reset", "reset", {}));
  EXPECT_FALSE(cells_agree("reset", "", {}));
}

TEST(TraceComparison, DifferentColumnsAreNamedAndDifferentStepsComparedWhereCommon) {
  const CsvTable a = trace("a.csv", 10);
  CsvTable b = table("b.csv", {"step", "loss", "beta"}, {});
  for (const auto& row : a.rows) b.rows.push_back({row[0], row[1], "1"});
  TraceComparison c = compare_traces(a, b, {});
  EXPECT_EQ(c.only_in_a, std::vector<std::string>{"gamma"});
  EXPECT_EQ(c.only_in_b, std::vector<std::string>{"beta"});
  EXPECT_FALSE(c.agree());
  EXPECT_FALSE(c.first);  // the common column agrees
  EXPECT_TRUE(compare_traces(a, b, {}, {"loss"}).agree());
  testing::expect_error([&] { compare_traces(a, b, {}, {"gamma"}); },
                        {"b.csv: has no column 'gamma'", "step, loss, beta"});

  const CsvTable shorter = trace("s.csv", 6);
  c = compare_traces(a, shorter, {});
  EXPECT_EQ(c.common_steps, 6u);
  EXPECT_TRUE(c.agree());
  EXPECT_NE(trace_comparison_text(c, "a.csv", "s.csv", {}).find("the files have different steps"),
            std::string::npos);
  // Steps match by value: "3" and "3.0" are one step.
  CsvTable floats = a;
  for (auto& row : floats.rows) row[0] += ".0";
  EXPECT_EQ(compare_traces(a, floats, {}).common_steps, 10u);
  CsvTable repeated = a;
  repeated.rows[4][0] = "3";
  testing::expect_error([&] { compare_traces(a, repeated, {}); }, {"a.csv: step 3 appears twice"});
}

TEST(TraceComparison, TheCommandExitsZeroOneOrTwo) {
  const std::string dir = testing::temp_dir(), bin = testing::binary();
  testing::write_bytes(dir + "/a.csv", "step,loss\n0,1\n1,0.5\n2,0.25\n");
  testing::write_bytes(dir + "/b.csv", "step,loss\n0,1\n1,0.5000001\n2,0.26\n");
  testing::write_bytes(dir + "/nostep.csv", "iteration,loss\n0,1\n");
  testing::CommandResult r = testing::run_capture({bin, "compare-trace", dir + "/a.csv", dir + "/a.csv"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("agree"), std::string::npos) << r.out;
  r = testing::run_capture({bin, "compare-trace", dir + "/a.csv", dir + "/b.csv"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("first difference: step 2, column loss: 0.25 against 0.26"), std::string::npos)
      << r.out;
  r = testing::run_capture({bin, "compare-trace", dir + "/a.csv", dir + "/b.csv", "--atol", "0.02"});
  EXPECT_EQ(r.status, 0) << r.out;
  r = testing::run_capture({bin, "compare-trace", dir + "/a.csv", dir + "/missing.csv"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("missing.csv"), std::string::npos) << r.err;
  r = testing::run_capture({bin, "compare-trace", dir + "/a.csv", dir + "/nostep.csv"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("nostep.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("step"), std::string::npos) << r.err;
  r = testing::run_capture({bin, "compare-trace", dir + "/a.csv"});
  EXPECT_EQ(r.status, 2);
}

}  // namespace
}  // namespace landscape
