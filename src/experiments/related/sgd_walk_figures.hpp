// What the walk with SGD draws (docs/algorithms.md §11), from the sweep in memory:
//   walk_valley  the evaluation loss along the last recorded segments of each run, floors marked
//   walk_story   height above the floor, floor position, distance from w0, cosine of steps
// The figures plot the numbers as the CSV files hold them (sgd_walk_files.hpp: as_written), so
// a figure reads the same as one drawn from the files.
#pragma once

#include <string>
#include <vector>

#include "experiments/related/sgd_walk.hpp"

namespace landscape {

struct WalkFigures {
  bool valley = false, story = false;  // whether gnuplot drew each
};
// Both figures into fig_dir (NAME.dat, .gp, .png, .svg); nothing without runs.
WalkFigures draw_walk_figures(const std::vector<WalkRun>& runs, const std::string& fig_dir);

}  // namespace landscape
