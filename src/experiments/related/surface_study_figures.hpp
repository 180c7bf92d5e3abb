// What a loss-surface plot draws (docs/algorithms.md §9), from the result in memory: the loss
// (and accuracy) along a line, or the log loss over the plane with its contours and the marked
// vectors (DIR/surface.dat, surface_marks.dat, surface_contours.dat, surface.gp, .png, .svg).
#pragma once

#include <string>

#include "experiments/related/surface_study.hpp"

namespace landscape {

// Whether gnuplot drew it.
bool draw_surface(const std::string& dir, const SurfaceParams& params, const SurfaceResult& result,
                  bool classifier);

}  // namespace landscape
