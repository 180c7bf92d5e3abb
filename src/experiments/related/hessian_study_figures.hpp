// What the Hessian study draws (docs/algorithms.md §10): every row's SLQ eigenvalue density on
// a log scale, from the results in memory (DIR/density.dat, .gp, .png, .svg).
#pragma once

#include <string>
#include <vector>

#include "experiments/related/hessian_study.hpp"

namespace landscape {

// Whether gnuplot drew it.
bool draw_hessian_density(const std::string& dir, const HessianStudyParams& params,
                          const std::vector<HessianRowResult>& rows);

}  // namespace landscape
