// A parallel, vectorised loop for element-wise work (see core/vector_math.hpp): threads only pay off on large tensors, and inside an
// outer parallel region (one chunk of data per thread) the loop runs on the calling thread.
#pragma once

#include <cstddef>

namespace landscape {

inline constexpr std::ptrdiff_t kParallelMinElements = 1 << 16;

template <class F>
inline void for_each_index(std::ptrdiff_t n, F&& f) {
#pragma omp parallel for simd schedule(static) if (n >= kParallelMinElements)
  for (std::ptrdiff_t i = 0; i < n; ++i) f(i);
}

}  // namespace landscape
