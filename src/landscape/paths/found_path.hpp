// A path as every path-finding method reports it (`landscape path --method ...`): its points in
// order from w_i to w_j with the loss at each, and the straight line measured at the same t
// beside it. The numbers are FourierPathFinder's PathResult (docs/algorithms.md §5.4), so every
// method fills the same columns of paths.csv and profiles.csv (experiments/paths/path_table.hpp):
//   H = max_k f(x_k), length = sum_k |x_{k+1} - x_k|, loss_sum = sum_k f(x_k),
//   H_linear, length_linear, loss_sum_linear: the same on (1 - t_k) w_i + t_k w_j.
// Between its points a path is taken to be the polygon through them.
//
// Legend: P = landscape dimension, K = points of a path.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/scalar.hpp"
#include "landscape/landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"

namespace landscape {

// How close a method's climbing image came to a saddle (NEB): |grad f| where it stopped, and the
// |grad f| it had to reach to stand on one (the refinement's test, saddle_refinement.hpp).
struct ClimbingCheck {
  double gradient_norm = 0, tolerance = 0;
  bool converged() const { return gradient_norm <= tolerance; }
};

struct FoundPath {
  PathResult result;                      // t [K], profiles [K], H, length, loss_sum, steps (b: Fourier only)
  std::vector<Scalar> points;             // [K, P] row 0 = w_i, row K-1 = w_j
  std::optional<ClimbingCheck> climbing;  // NEB's climbing image (none for the other methods)
  // The method's own parameters, [coefficient_rows, P] (`path --save-path`'s coefficients-I-J.npy):
  // FourierPathFinder's b_1 .. b_NF, the Bezier control point or the chain's bend theta (one
  // row); NEB's band is its points, so it leaves these empty.
  std::vector<Scalar> coefficients;
  std::size_t coefficient_rows = 0;
  std::size_t size() const { return result.t.size(); }
  const Scalar* point(std::size_t k, std::size_t P) const { return points.data() + k * P; }
};

// f at each row of W[K, P] into f[K] and, unless G is nullptr, the gradients into G[K, P], all
// points at once (Landscape::evaluate_many, docs/algorithms.md §2.6). A NaN or Inf is an Error
// naming `who` and the point.
void evaluate_points(const Landscape& f, const Scalar* W, std::size_t K, Scalar* G, double* fk,
                     const char* who);

// The excess barrier of the mode-connectivity literature (Frankle et al. 2020, Entezari et al.
// 2021): the highest rise of the path's loss above the straight blend of its end losses,
//   H_excess = max_m f(t_m) - ((1 - t_m) f(t_0) + t_m f(t_{M-1})),
// 0 for a path that never rises above the line between its ends' losses; docs/algorithms.md §14.4.
double excess_barrier(const PathResult& r);

// Error naming `who` and the point when a loss of fk[K] is NaN or Inf.
void require_finite_losses(const double* fk, std::size_t K, const char* who);

// The path through points[K, P] at parameters t[K] (t_0 = 0, t_{K-1} = 1), measured: f at
// every point and on the straight line from row 0 to row K-1 at the same t (2K loss-only
// evaluations). `steps` is what the method reports as its iterations.
FoundPath measure_path(const Landscape& f, std::vector<double> t, std::vector<Scalar> points, int steps);

// t_m = linspace(0, 1, M), exact at both ends.
std::vector<double> uniform_t(int M);

}  // namespace landscape
