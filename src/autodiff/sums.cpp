#include "autodiff/sums.hpp"

namespace landscape {

Accum squared_error_sum(const Scalar* x, const Scalar* t, size_t n) {
  constexpr size_t kLanes = 8;
  Accum part[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
#pragma omp simd
    for (size_t k = 0; k < kLanes; ++k) {
      const Accum d = Accum(x[i + k]) - Accum(t[i + k]);
      part[k] += d * d;
    }
  for (size_t k = 0; i < n; ++i, ++k) {  // the last n % 8 elements, still to lane i % 8
    const Accum d = Accum(x[i]) - Accum(t[i]);
    part[k] += d * d;
  }
  return ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
}

Accum squared_error_sum_reference(const Scalar* x, const Scalar* t, size_t n) {
  Accum total = 0;
  for (size_t i = 0; i < n; ++i) {
    const Accum d = Accum(x[i]) - Accum(t[i]);
    total += d * d;
  }
  return total;
}

}  // namespace landscape
