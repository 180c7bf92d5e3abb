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

#include "core/parameter_table.hpp"
#include "core/settings_text.hpp"
#include "experiments/support/model_on_data.hpp"
#include "landscape/surfaces/surface_grid.hpp"
#include "landscape/surfaces/surface_plane.hpp"
#include "models/model.hpp"

namespace landscape {

struct AxisRange {
  double lo = -1, hi = 1;
};
// "A:B" with A < B, both finite; else UsageError naming `flag`.
AxisRange parse_axis_range(const std::string& text, const std::string& flag);

// Flags and preset keys (surface_<name>): table() below (docs/algorithms.md §9).
// The model, --weights (rows: solutions, or a set) and the examples are ModelOnData's.
struct SurfaceParams : ModelOnData {
  int row = 0;                        // K: the centre (pair: w_i)
  std::string weights2;               // pair: file of w_j (default weights)
  int row2 = -1;                      // J (pair: w_j); -1: none
  std::string trajectory;             // SNAPS.npy [K, P] (pca of w_k - w_K)
  std::string directions = "random";  // random | pca | pair
  int dims = 2;                       // 1 | 2
  // range A:B (a axis) and yrange (b axis); empty = default: random -1:1 (b as a); pair
  // -0.5:1.5 (b: -1:1); pca and trajectory: the projected vectors plus a 10% margin.
  std::string range, yrange;
  int grid = 51;                // points per axis (Li et al.: 51)
  uint64_t seed = 0;            // of the random directions
  bool include_biases = false;  // (Li et al.: zeroed)
  static const ParameterTable<SurfaceParams>& table();
  void check() const;  // UsageError naming the flag
  // The identity of the results (docs/algorithms.md §17), with the examples' fingerprint
  // (--data is not part of it: the fingerprint is).
  Settings settings(const std::string& data_fingerprint) const;
};

inline const ParameterTable<SurfaceParams>& SurfaceParams::table() {
  using P = SurfaceParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .include_base(ModelOnData::table())
      .field("row", &P::row, "row of --weights at the centre (pair: w_i)").range(0, 1 << 30)
      .field("trajectory", &P::trajectory, ".npy stack of iterates, last = final (implies --directions pca)")
      .field("directions", &P::directions, "random (filter-normalised) | pca | pair")
          .one_of({"random", "pca", "pair"})
      .field("row2", &P::row2, "pair: row J of w_j (-1: none)").range(-1, 1 << 30)
      .field("weights2", &P::weights2, "pair: file of w_j (none: --weights)")
      .field("dims", &P::dims, "1 (line plot) or 2 (contour plot)").range(1, 2)
      .field("range", &P::range, "A:B of the first axis (none: random -1:1, pair -0.5:1.5, pca: fit)")
      .field("yrange", &P::yrange, "A:B of the second axis (none: random as --range, pair -1:1, pca: fit)")
      .field("grid", &P::grid, "points per axis").range(2, 1001)
      .field("seed", &P::seed, "seed of the random directions").range(0, double(1LL << 62))
      .field("include-biases", &P::include_biases, "random directions move the biases too (Li et al.: zeroed)");
  // clang-format on
  return t;
}

struct SurfaceResult {
  SurfacePlane plane;
  AxisRange x, y;                               // y = {0, 0} on a line
  std::vector<double> xs, ys;                   // [nx], [ny] (ys = {0} on a line)
  std::vector<SurfacePoint> points;             // [ny * nx], b outer, a inner
  std::vector<double> projections;              // [V, D] the set / trajectory / pair ends on the plane
  double center_loss = 0, center_accuracy = 0;  // at (0, 0)
  int points_resumed = 0;                       // found finished in DIR
  bool drawn = false;                           // gnuplot made the PNG
};

// Builds the plane, evaluates the grid (points in parallel), writes DIR's files and the figure.
// command_line goes into the manifest.
SurfaceResult run_surface(const SurfaceParams& params, const std::string& out_dir,
                          const std::string& command_line = "");

}  // namespace landscape
