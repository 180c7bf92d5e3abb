// The scalar type of every tensor, chosen at build time (meson option `precision`).
// float32 is the default, as in the paper; float64 is for auditing and conformance.
#pragma once

#include <cstddef>
#include <cstdint>

namespace landscape {

#if defined(LANDSCAPE_FLOAT64)
using Scalar = double;
inline constexpr const char* kPrecisionName = "float64";
#else
using Scalar = float;
inline constexpr const char* kPrecisionName = "float32";
#endif

// Accumulators for long sums (a mean over 60,000 losses) are always double.
using Accum = double;

}  // namespace landscape
