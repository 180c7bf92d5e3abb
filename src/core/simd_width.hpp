// The width of the machine's vector registers, for loops that ask for it with
// `#pragma omp simd simdlen(kSimdLanes)`.
//
// GCC vectorises for 256-bit registers on Intel CPUs even when they have AVX-512
// (-mprefer-vector-width=256 is its tuning for them), and then calls the 8-wide AVX2 versions of
// glibc's vector exp and log1p (core/vector_math.hpp). A loop that asks for the full width gets
// 512-bit operations and the 16-wide AVX-512 versions: LeNet's convolutions and softplus on this
// project's Intel machine (bench/README.md, "LeNet on AVX-512"). On AMD Zen 4 a 512-bit
// operation runs as two 256-bit halves, so the wider form costs nothing there; without AVX-512
// the width is AVX2's.
#pragma once

#include "core/scalar.hpp"

namespace landscape {

#if defined(__AVX512F__)
inline constexpr int kSimdBytes = 64;
#else
inline constexpr int kSimdBytes = 32;
#endif
inline constexpr int kSimdLanes = kSimdBytes / int(sizeof(Scalar));  // Scalars per register

}  // namespace landscape
