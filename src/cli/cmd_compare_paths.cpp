// landscape compare-paths: every path method on the same pairs with the same number of
// loss+gradient evaluations (docs/algorithms.md §13, experiments/paths/path_comparison.hpp), as
// a table and a plot of H against evaluations spent. Beyond the paper: is a barrier real, or an
// artefact of the method?
#include <cstdio>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/path_flags.hpp"
#include "core/error.hpp"
#include "experiments/paths/path_comparison.hpp"
#include "experiments/support/progress.hpp"
#include "io/provenance.hpp"
#include "io/run_directory.hpp"

namespace landscape {

int cmd_compare_paths(int argc, char** argv) {
  Args args("compare-paths",
            "Every path method (fourier, neb, bezier, polychain) on the same pairs, each held\n"
            "to the same number of loss+gradient evaluations, counted by a wrapper of the\n"
            "landscape. Each method runs afresh at --budget / 2^(L-1), ..., --budget / 2,\n"
            "--budget (L = --levels). Writes DIR/compare.csv (one row per pair, method and\n"
            "level), DIR/compare.png/.svg (H against evaluations spent) with compare.dat and\n"
            "compare.gp, and DIR/manifest.json. H_check adds the loss at the midpoints of the\n"
            "path's segments (not counted); --refine adds the barrier the highest point\n"
            "descends to (not counted).");
  add_path_landscape_flags(args);
  add_path_method_flags(args);
  const auto& table = ComparisonSettings::table();
  args.flag("budget", "", table.find("budget")->help, /*required=*/true)  // no default budget
      .declare(table, {}, {"budget", "lr", "points", "steps"})
      .flag("out", "", "output directory", true);
  if (!parse_with_threads(args, argc, argv)) return 0;

  ComparisonSettings settings = args.read(table);
  settings.check();
  PathMethodParams params = read_path_method_params(args);
  const PathProblem problem(read_path_problem(args));
  if (problem.analytic() && !args.given("lr")) use_surface_learning_rate(params, settings.refine_params);
  const RunDirectory run(args.str("out"));

  Progress progress;
  const std::vector<ComparisonRow> rows = compare_paths(
      problem.landscape(), problem.pairs(), [&](int64_t i) { return problem.row(i); }, problem.seed(), params,
      settings, [&](const std::string& line) { progress.update(line, true); });
  progress.finish();

  write_comparison_table(run, rows);
  const bool drawn =
      draw_comparison(run, rows, problem.landscape().describe() + ": H against evaluations spent");
  Settings fields;  // the manifest's: the comparison's table and the seed (docs/algorithms.md §17)
  fields.fields_except(table, settings, {}).add("seed", std::to_string(problem.seed()));
  run.write_manifest(provenance(args.command_line())
                         .add("landscape", problem.landscape().describe())
                         .add_settings(fields)
                         .add("figure", drawn ? "compare.png" : "not drawn (gnuplot missing or failed)"));

  std::printf("%-9s %-10s %8s %8s %8s %12s %12s %12s %12s\n", "pair", "method", "budget", "spent", "points",
              "H_linear", "H", "H_check", "H_refined");
  for (const ComparisonRow& r : rows) {
    const std::string pair = std::to_string(r.pair.i) + "-" + std::to_string(r.pair.j);
    std::printf("%-9s %-10s %8ld %8ld %8d %12.6g %12.6g %12.6g %12.6g\n", pair.c_str(),
                to_string(r.method).c_str(), r.budget, r.gradient_evaluations, r.points, r.H_linear, r.H,
                r.H_check, r.H_refined);
  }
  std::printf("written to %s/compare.csv%s\n", run.path().c_str(), drawn ? " and compare.png" : "");
  return 0;
}

}  // namespace landscape
