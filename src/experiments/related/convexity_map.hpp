// The |lambda_min / lambda_max| map of Li, Xu, Taylor, Studer & Goldstein (2018, section 6;
// docs/algorithms.md §10): on the plane of a loss-surface plot, w(a, b) = w0 + a d1 + b d2 with d1, d2
// filter-normalised Gaussian directions (surface_plane.hpp, the same plane `landscape surface`
// draws for the same seed), the ratio of the Hessian's extreme eigenvalues at every grid
// point. Near 0 the loss is locally convex there (negative curvature negligible); large
// values mark strong non-convexity. Each point's eigenvalues come from one Lanczos run
// (lanczos.hpp) of exact Hessian-vector products.
//
//   DIR/map.csv          a,b,loss,lambda_max,lambda_min,ratio   (b outer, a inner)
//   DIR/map.dat|.gp|.png|.svg   heat map of the ratio with the loss's contour lines over it
//   DIR/lines/line-J.csv one finished grid line (b index J) per file: a rerun resumes there
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/mnist.hpp"
#include "models/model.hpp"

namespace landscape {

struct ConvexityMapParams {
  int grid = 11;           // --grid points per axis
  double lo = -1, hi = 1;  // --range A:B for both axes
  int iterations = 20;     // --map-iterations: Lanczos steps per point
  uint64_t seed = 0;       // --seed of the directions (and of each point's Lanczos start)
};

// One grid point of the map.
struct ConvexityPoint {
  double a = 0, b = 0, loss = 0, lambda_max = 0, lambda_min = 0, ratio = 0;
};

// The map's points [G * G] (b outer, a inner): finished grid lines read back from DIR/lines,
// the others computed and written there line by line (settings are the caller's: a caller
// that changes them removes DIR first).
std::vector<ConvexityPoint> convexity_map(const Model& model, const Dataset& data, const Scalar* w0,
                                          const ConvexityMapParams& params, const std::string& dir);

// The map, then DIR/map.csv and the figure. w0 [P] the centre.
void run_convexity_map(const Model& model, const Dataset& data, const Scalar* w0,
                       const ConvexityMapParams& params, const std::string& dir);

}  // namespace landscape
