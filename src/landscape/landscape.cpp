#include "landscape/landscape.hpp"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <vector>

namespace landscape {

namespace {
// Below this dimension a point costs less than starting a thread team (FourierPathFinder
// measured 14x slower on 2 threads for the 2-D surfaces).
constexpr std::size_t kMinParallelDimension = 256;
}  // namespace

void Landscape::evaluate_many(const Scalar* X, std::size_t K, double* f, Scalar* G, const PointBasis*) const {
  const std::size_t P = dimension();
  const bool in_parallel =
      P >= kMinParallelDimension && K > 1 && K >= std::size_t(omp_get_max_threads()) && !omp_in_parallel();
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) if (in_parallel)
  for (std::size_t k = 0; k < K; ++k) {
    try {
      f[k] = evaluate(X + k * P, G ? G + k * P : nullptr);
    } catch (...) {
#pragma omp critical(landscape_point_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
}

void Landscape::evaluate_many_combined(const Scalar* X, std::size_t M, double* f,
                                       const GradientCombination& combination,
                                       const PointBasis* basis) const {
  const std::size_t P = dimension(), R = combination.size;
  std::vector<Scalar> G(M * P);
  evaluate_many(X, M, f, G.data(), basis);
  std::vector<double> sum(P);
  for (std::size_t r = 0; r < R; ++r) {
    std::fill(sum.begin(), sum.end(), 0.0);
    for (std::size_t m = 0; m < M; ++m) {  // in point order
      const double d = combination.weights[m * R + r];
      if (d == 0) continue;
      const Scalar* g = G.data() + m * P;
      for (std::size_t i = 0; i < P; ++i) sum[i] += d * g[i];
    }
    for (std::size_t i = 0; i < P; ++i) combination.out[r * P + i] = static_cast<Scalar>(sum[i]);
  }
}

}  // namespace landscape
