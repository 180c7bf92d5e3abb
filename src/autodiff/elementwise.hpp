// A parallel, vectorised loop for element-wise work (see core/vector_math.hpp): threads only pay
// off on large tensors, and inside an outer parallel region (one chunk of data per thread) the
// loop runs on the calling thread.
//
// Two things keep the loop vectorised, both measured (bench/README.md):
// - the `if` applies to `parallel` only. A bare `if(...)` on a combined `parallel for simd`
//   also switches the `simd` part off when false (OpenMP 5.0), so every tensor below the
//   threshold ran one element at a time through the scalar exp/tanh.
// - callers read and write through raw pointers taken before the loop, not through Tensor
//   references: otherwise GCC reloads each tensor's data pointer per element and vectorises
//   that as gathers and scatters.
#pragma once

#include <cstddef>

namespace landscape {

inline constexpr std::ptrdiff_t kParallelMinElements = 1 << 16;

template <class F>
inline void for_each_index(std::ptrdiff_t n, F&& f) {
#pragma omp parallel for simd schedule(static) if (parallel : n >= kParallelMinElements)
  for (std::ptrdiff_t i = 0; i < n; ++i) f(i);
}

}  // namespace landscape
