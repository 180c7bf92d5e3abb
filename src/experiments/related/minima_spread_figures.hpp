// What the minima spread draws (docs/algorithms.md §12), from the runs and summary in memory:
//   spread_hist   one panel per optimizer: a histogram of the final test losses per width
//   spread_width  the band (mean, min..max), its spread (std, IQR) and the train/test
//                 correlation against the width, one line per optimizer
#pragma once

#include <string>
#include <vector>

#include "experiments/related/minima_spread.hpp"

namespace landscape {

struct SpreadFigures {
  bool histograms = false, width = false;  // whether gnuplot drew each
};
// Both figures into fig_dir (NAME.dat, .gp, .png, .svg); nothing without a summary.
SpreadFigures draw_spread_figures(const std::vector<SpreadRun>& runs,
                                  const std::vector<SpreadSummary>& summary, const std::string& fig_dir);

}  // namespace landscape
