// landscape connectivity: the map of a set of minima from the barriers computed between them
// (docs/algorithms.md §14.5; experiments/analysis/connectivity_files.hpp): the minimum
// spanning tree, the minimax barrier of every pair, the disconnectivity graph, and the pairs
// worth a path next. Beyond the paper.
#include <cstdio>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "core/strings.hpp"
#include "experiments/analysis/connectivity_files.hpp"

namespace landscape {

int cmd_connectivity(int argc, char** argv) {
  Args args("connectivity",
            "The map of minima from path runs: --paths A/paths.csv,B/paths.csv,... (each with its\n"
            "profiles.csv; refined.csv's barriers are taken where present). Writes DIR/minima.csv,\n"
            "tree.csv (the minimum spanning tree under the barrier), minimax.csv (every pair's\n"
            "lowest barrier through the others), suggestions.csv (pairs worth a direct path) and\n"
            "disconnectivity.png (minima at their loss, basins merging at the barriers).");
  args.flag("paths", "", "paths.csv files of path runs, comma-separated", true)
      .flag("sets", "", "a name per --paths file for its minima (default: each run's directory name)")
      .flag("suggest", "10", "pairs to suggest")
      .flag("out", "", "output directory", true);
  if (!args.parse(argc, argv)) return 0;
  const std::vector<std::string> files = split_commas(args.str("paths"));
  const std::vector<std::string> sets =
      args.str("sets").empty() ? std::vector<std::string>{} : split_commas(args.str("sets"));
  const MinimaGraph g = read_minima_graph(files, sets);
  const Connectivity c = connectivity(g, int(args.integer("suggest", 0, 1000000)));
  const bool drawn = write_connectivity(args.str("out"), g, c);
  std::fprintf(stderr, "connectivity: %zu minima, %zu barriers, a tree of %zu edges in %s%s\n",
               g.names.size(), g.edges.size(), c.tree.size(), args.str("out").c_str(),
               drawn ? "" : " (gnuplot did not draw the graph)");
  return 0;
}

}  // namespace landscape
