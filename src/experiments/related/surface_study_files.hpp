// What a loss-surface plot writes (docs/algorithms.md §9): each CSV declared once by its
// columns (io/table_writer.hpp). Coordinates keep 10 significant digits, losses all 17.
//   DIR/surface.csv      a,b,loss,accuracy (2-D) or a,loss,accuracy (1-D); accuracy empty for
//                        the autoencoder
//   DIR/projections.csv  k,a,b (2-D) or k,a: the marked vectors on the plane
#pragma once

#include <vector>

#include "experiments/related/surface_study.hpp"
#include "io/table_writer.hpp"

namespace landscape {

Table<SurfacePoint> surface_table(int dims, bool classifier);

// One marked vector k on the plane.
struct PlaneMark {
  size_t k = 0;
  double a = 0, b = 0;  // b unused on a line
};
std::vector<PlaneMark> plane_marks(const std::vector<double>& projections, int dims);  // [V, D] -> V
Table<PlaneMark> projections_table(int dims);

}  // namespace landscape
