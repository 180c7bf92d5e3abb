// The loss on a surface plane (surface_plane.hpp): the grid's coordinates and the evaluation of
// its points. Every point is a forward pass of its own (docs/algorithms.md §9.3); the points of
// a call go to dataset_loss_many together, with the plane as their basis, so each chunk of the
// data is read once for many points and the first layer is 2 or 3 products for all of them
// (§2.6). Forward passes only: no gradient.
#pragma once

#include <vector>

#include "io/mnist.hpp"
#include "landscape/surfaces/surface_plane.hpp"
#include "models/model.hpp"

namespace landscape {

struct SurfacePoint {
  double a = 0, b = 0;  // coordinates on the plane (b = 0 on a line)
  double loss = 0;      // mean loss over the dataset at w0 + a d1 + b d2
  double accuracy = 0;  // fraction classified right; NaN for the autoencoder
};

// n >= 2 points from lo to hi: lo + (hi - lo) i / (n - 1), both ends exact; an odd n centred
// on 0 (lo = -hi) has 0 exactly in the middle.
std::vector<double> grid_coordinates(double lo, double hi, int n);

// Fills loss and accuracy of every point (its a, b already set).
void evaluate_surface_points(const Model& model, const Dataset& data, const SurfacePlane& plane,
                             std::vector<SurfacePoint>& points);

}  // namespace landscape
