// Two step traces side by side (issue "Validating another implementation"; docs/algorithms.md
// §15): CSV files with a `step` column and one named column per quantity, ours from --trace or
// a user's own implementation writing the same columns. Rows are matched by their step value;
// two cells agree when |a - b| <= atol + rtol |b| (numpy.isclose's rule, b the reference), NaN
// agrees with NaN only, and cells that are not numbers agree when their text is equal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "io/csv.hpp"

namespace landscape {

struct TraceTolerance {
  double rtol = 1e-6, atol = 0;
};

// One column over the common steps.
struct ColumnDifference {
  std::string column;
  double largest_abs = 0, largest_rel = 0;  // |a - b| and |a - b| / |b| at their largest
  std::string step_of_largest;              // where largest_abs is ("" when every cell agrees exactly)
  std::optional<std::string> first_step;    // the first step where the column differs beyond tolerance
  long differing_rows = 0;
};

struct TraceComparison {
  std::vector<std::string> only_in_a, only_in_b;  // columns one file lacks (compared: the common ones)
  size_t steps_a = 0, steps_b = 0, common_steps = 0;
  std::vector<ColumnDifference> columns;  // in A's column order
  // The first difference in step order (then column order): step, column and both cells.
  struct First {
    std::string step, column, a, b;
  };
  std::optional<First> first;
  bool agree() const { return !first && only_in_a.empty() && only_in_b.empty() && common_steps > 0; }
};

// `columns` empty: every column both files have (a column only one has is a difference);
// otherwise only these, each of which both must have (an Error naming the file that lacks it).
TraceComparison compare_traces(const CsvTable& a, const CsvTable& b, const TraceTolerance& tol,
                               const std::vector<std::string>& columns = {});

// Do two cells agree under tol (the rule above)?
bool cells_agree(const std::string& a, const std::string& b, const TraceTolerance& tol);

// The report compare-trace prints: the files' steps, the first difference, every column's
// largest difference and the verdict.
std::string trace_comparison_text(const TraceComparison& c, const std::string& a_name,
                                  const std::string& b_name, const TraceTolerance& tol);

}  // namespace landscape
