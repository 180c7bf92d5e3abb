// The line or plane of a loss-surface plot (Li et al. 2018, docs/algorithms.md §9.2): a centre w0
// and one or two directions; the plot shows the loss at
//   w(a, b) = w0 + a d1 + b d2          (1-D: b = 0, no d2)
// Three ways to choose them:
//   random      w0 = a solution, d1, d2 filter-normalised Gaussian directions (independent
//               draws; in high dimension nearly orthogonal, as Li et al. use them).
//   pair        w0 = w_i, d1 = w_j - w_i (so a = 1 is w_j), d2 a filter-normalised random
//               direction with its d1 component removed (Gram-Schmidt): the plane through both.
//   pca         d1, d2 the first two principal axes (unit vectors) of a set of weight vectors
//               (pca.hpp); for a training trajectory w_0 .. w_K (Li et al. section 7) the set is
//               w_k - w_K, k <= K (the final's own zero difference included), and w0 = w_K,
//               as in their code (plot_trajectory.py: scikit-learn's PCA, which centres the
//               set, on the differences). Each vector's place on the plot is its projection
//               ((w - w0).d1, (w - w0).d2).
//
// Legend: P parameters, N vectors of a set, D = 1 or 2 directions.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"
#include "models/model.hpp"

namespace landscape {

struct SurfacePlane {
  std::vector<Scalar> center;     // [P] w0
  std::vector<Scalar> d1, d2;     // [P] each; d2 empty for a line
  std::vector<double> explained;  // [D] pca: fraction of the set's variance along each axis

  int dims() const { return d2.empty() ? 1 : 2; }
  size_t size() const { return center.size(); }
  // w [P] = w0 + a d1 + b d2, each component computed in double and rounded once.
  void point(double a, double b, Scalar* w) const;
  // (w - w0).d_k for k < dims(): the coordinates of w when the directions are orthonormal
  // (pca planes). Returns [D].
  std::vector<double> project(const Scalar* w) const;
  // The directions as a stack [D, P] (directions.npy: others reuse the plane).
  std::vector<Scalar> stacked_directions() const;
};

// Centre w [P]; seeded filter-normalised Gaussian directions (d1 drawn first, then d2).
SurfacePlane random_plane(const Model& model, const Scalar* w, int dims, uint64_t seed,
                          bool include_biases = false);
// Centre w_i; d1 = w_j - w_i; d2 random around w_i, orthogonalised to d1. Error if w_i == w_j.
SurfacePlane pair_plane(const Model& model, const Scalar* w_i, const Scalar* w_j, int dims, uint64_t seed,
                        bool include_biases = false);
// Centre w0 [P]; directions the leading principal axes of the rows of X [N, P]. Error if the
// set spans fewer than `dims` directions.
SurfacePlane pca_plane(const Tensor& X, const Scalar* w0, int dims);
// A trajectory W [K, P] (rows in training order, the last one the final weights): pca_plane of
// all its rows around its last row (centring makes PCA of w_k - w_K that of w_k). K >= dims + 1.
SurfacePlane trajectory_plane(const Tensor& W, int dims);

}  // namespace landscape
