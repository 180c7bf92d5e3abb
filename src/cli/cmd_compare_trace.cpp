// landscape compare-trace A.csv B.csv: where two step traces part (experiments/support/
// trace_comparison.hpp). Exit 0 when they agree within tolerance, 1 when not, 2 for unusable
// input (named). Any two CSV files with a `step` column: a user's own implementation only has
// to write the same columns as ours.
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "experiments/support/trace_comparison.hpp"

namespace landscape {

namespace {
// The table, or a UsageError (exit 2) naming the file.
CsvTable read_trace(const std::string& path) {
  try {
    CsvTable t = read_csv(path);
    t.column("step");
    return t;
  } catch (const Error& e) {
    throw UsageError(std::string("compare-trace: ") + e.what());
  }
}
}  // namespace

int cmd_compare_trace(int argc, char** argv) {
  Args args("compare-trace",
            "compare-trace A.csv B.csv [flags]: two step traces (a `step` column and one named\n"
            "column per quantity) matched by step. Prints the first step and column where they\n"
            "differ beyond tolerance (|a - b| > atol + rtol |b|; NaN agrees with NaN only), then\n"
            "every column's largest difference. Exit 0: they agree; 1: they differ; 2: unusable input.");
  args.flag("rtol", "1e-6", "relative tolerance")
      .flag("atol", "0", "absolute tolerance")
      .flag("columns", "", "compare only these columns, e.g. loss,gamma (default: every column both have)");
  int first = 2;
  std::vector<std::string> files;
  while (first < argc && files.size() < 2 && std::string(argv[first]).rfind("--", 0) != 0)
    files.push_back(argv[first++]);
  if (!args.parse(argc, argv, first)) return 0;
  if (files.size() != 2) throw UsageError("compare-trace: give two CSV files: compare-trace A.csv B.csv");
  TraceTolerance tol;
  tol.rtol = args.real("rtol", 0, 1e300);
  tol.atol = args.real("atol", 0, 1e300);
  const CsvTable a = read_trace(files[0]), b = read_trace(files[1]);
  TraceComparison c;
  try {
    c = compare_traces(a, b, tol, args.list("columns"));
  } catch (const Error& e) {
    throw UsageError(std::string("compare-trace: ") + e.what());
  }
  std::cout << trace_comparison_text(c, files[0], files[1], tol);
  return c.agree() ? 0 : 1;
}

}  // namespace landscape
