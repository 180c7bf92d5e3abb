// A symmetric linear operator known only through its products A v: the Hessian of a loss
// (hessian_operator.hpp), or a dense matrix in tests. What Lanczos, Hutchinson's trace and
// stochastic Lanczos quadrature need (lanczos.hpp, hutchinson_trace.hpp, spectral_density.hpp).
//
// Legend: n the dimension.
#pragma once

#include <cstddef>
#include <functional>

namespace landscape {

struct SymmetricOperator {
  size_t n = 0;
  // Av [n] = A v [n]; the two never overlap.
  std::function<void(const double* v, double* Av)> apply;
};

}  // namespace landscape
