// How a many-point evaluation is told what its points are and which gradients it must give.
//
// PointBasis: points given as combinations of a few vectors: x_m = sum_k coefficients[m*K + k] vectors_k.
// A path's points are (1 - t) w_i + t w_j + sum_n sin(n pi t) b_n (K = NF + 2), a surface's
// origin + a d_1 + b d_2 (K = 3). A model's first layer is linear in its weight and bias, so
// its output at every point is the same combination of its outputs at the K vectors: K
// products with the data instead of M (docs/algorithms.md §2.6).
#pragma once

#include <cstddef>

#include "core/scalar.hpp"

namespace landscape {

struct PointBasis {
  const Scalar* vectors = nullptr;       // [K,P]
  std::size_t size = 0;                  // K
  const double* coefficients = nullptr;  // [M,K]
};

// Weights D [M,R] of R combinations of the M points' gradients: out [R,P], row r =
// sum_m D[m*R + r] grad f(x_m). FourierPathFinder needs only these, dL/db_n's loss part
// sum_m sin(n pi t_m) grad f(w_m) (docs/algorithms.md §5.1), never the M gradients; a model
// then forms its first layer's part of them from R products instead of M (§2.6).
struct GradientCombination {
  const double* weights = nullptr;  // [M,R]
  std::size_t size = 0;             // R
  Scalar* out = nullptr;            // [R,P]
};

}  // namespace landscape
