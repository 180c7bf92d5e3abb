// `landscape connectivity` (docs/algorithms.md §14.5): the map of minima (landscape/analysis/
// connectivity.hpp) from the path runs that computed barriers between them.
//
// Each --paths file is a path run's paths.csv. Beside it, profiles.csv gives each path's end
// losses (the minima's own), refined.csv (with --refine) the refined barrier, taken over H where
// present, and on a 2-D surface points.csv the ends' coordinates. A minimum is named "SET:ROW"
// (SET: --sets, else the run's directory name), or by its coordinates "(x, y)" on a surface,
// so runs over the same points join up.
//
//   DIR/minima.csv       name,loss
//   DIR/tree.csv         a,b,barrier            the minimum spanning tree, increasing barrier
//   DIR/minimax.csv      a,b,minimax            every pair: the lowest barrier any chain of paths crosses
//   DIR/suggestions.csv  a,b,minimax,room       pairs worth a direct path, most room first
//   DIR/disconnectivity.{png,svg,dat,gp}        the graph: minima at their loss, basins merging at barriers
#pragma once

#include <string>
#include <vector>

#include "landscape/analysis/connectivity.hpp"

namespace landscape {

MinimaGraph read_minima_graph(const std::vector<std::string>& paths_files,
                              const std::vector<std::string>& sets);

// Writes the files above into dir; whether gnuplot drew the figure.
bool write_connectivity(const std::string& dir, const MinimaGraph& g, const Connectivity& c);

}  // namespace landscape
