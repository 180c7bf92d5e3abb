// Loss-surface plots of Li, Xu, Taylor, Studer & Goldstein (2018) (docs/algorithms.md §9): the
// loss and accuracy of a model on a 1-D line or a 2-D grid of a plane through weight space
// (surface_plane.hpp: random filter-normalised directions around a solution, the plane through
// a pair of solutions, or the first principal axes of a weight set or a training trajectory,
// with the set's vectors / the trajectory drawn over the loss contours).
//
//   DIR/surface.csv      a,b,loss,accuracy (2-D: b outer, a inner) or a,loss,accuracy (1-D);
//                        accuracy empty for the autoencoder
//   DIR/surface.dat|.gp|.png|.svg  the figure (line plot or contour plot) with data and script
//   DIR/projections.csv  k,a,b: the vectors of the set (pca), the trajectory, or the pair's ends
//   DIR/center.npy [P], DIR/directions.npy [D, P]: the plane, to reuse (e.g. a Hessian map)
//   DIR/settings.txt     what defines the results;  DIR/manifest.json  provenance, numbers
// Resumable: surface.csv is rewritten atomically after every grid row; rerunning with the same
// settings keeps the rows already there; other settings start afresh, removing surface.csv and
// manifest.json with a message (io/run_directory.hpp). Three parts: this file computes,
// surface_study_files.hpp writes the CSV files, surface_study_figures.hpp draws the result.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/mnist.hpp"
#include "landscape/surfaces/surface_grid.hpp"
#include "landscape/surfaces/surface_plane.hpp"
#include "models/model.hpp"

namespace landscape {

struct AxisRange {
  double lo = -1, hi = 1;
};
// "A:B" with A < B, both finite; else UsageError naming `flag`.
AxisRange parse_axis_range(const std::string& text, const std::string& flag);

struct SurfaceParams {
  std::string arch = "fcp";                   // --arch
  Activation activation = Activation::Softplus;  // --activation
  std::string weights;                        // --weights W.npy (rows: solutions, or a set)
  int row = 0;                                // --row K: the centre (pair: w_i)
  std::string weights2;                       // --weights2 (pair: file of w_j; default weights)
  int row2 = -1;                              // --row2 J (pair: w_j)
  std::string trajectory;                     // --trajectory SNAPS.npy [K, P] (pca of w_k - w_K)
  std::string directions = "random";         // --directions random | pca | pair
  int dims = 2;                               // --dims 1 | 2
  // --range A:B (a axis) and --yrange (b axis); empty = default: random -1:1 (b as a); pair
  // -0.5:1.5 (b: -1:1); pca and trajectory: the projected vectors plus a 10% margin.
  std::string range, yrange;
  int grid = 51;                              // --grid points per axis (Li et al.: 51)
  uint64_t seed = 0;                          // --seed of the random directions
  bool include_biases = false;                // --include-biases (Li et al.: zeroed)
  Split split = Split::Train;                 // --split
  int images = 0;                             // --images: first N of the split (0 = all)
  std::string data_dir;                       // --data
  void check() const;                         // UsageError naming the flag
  std::string settings() const;               // "key=value" lines, the identity of the results
};

struct SurfaceResult {
  SurfacePlane plane;
  AxisRange x, y;                    // y = {0, 0} on a line
  std::vector<double> xs, ys;        // [nx], [ny] (ys = {0} on a line)
  std::vector<SurfacePoint> points;  // [ny * nx], b outer, a inner
  std::vector<double> projections;   // [V, D] the set / trajectory / pair ends on the plane
  double center_loss = 0, center_accuracy = 0;  // at (0, 0)
  int points_resumed = 0;            // found finished in DIR
  bool drawn = false;                // gnuplot made the PNG
};

// Builds the plane, evaluates the grid (points in parallel), writes DIR's files and the figure.
// command_line goes into the manifest.
SurfaceResult run_surface(const SurfaceParams& params, const std::string& out_dir,
                          const std::string& command_line = "");

}  // namespace landscape
