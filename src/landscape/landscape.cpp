#include "landscape/landscape.hpp"

#include <omp.h>

#include <exception>

namespace landscape {

namespace {
// Below this dimension a point costs less than starting a thread team (FourierPathFinder
// measured 14x slower on 2 threads for the 2-D surfaces).
constexpr std::size_t kMinParallelDimension = 256;
}  // namespace

void Landscape::evaluate_many(const Scalar* X, std::size_t K, double* f, Scalar* G) const {
  const std::size_t P = dimension();
  const bool in_parallel = P >= kMinParallelDimension && K > 1 &&
                           K >= std::size_t(omp_get_max_threads()) && !omp_in_parallel();
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

}  // namespace landscape
