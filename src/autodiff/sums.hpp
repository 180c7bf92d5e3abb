// Long sums in double for the losses, each fast version beside its plain twin.
#pragma once

#include <cstddef>

#include "core/scalar.hpp"

namespace landscape {

// sum_i (x_i - t_i)^2 over n elements, in double. Element i goes to partial sum i % 8 and the
// 8 partial sums are added in a fixed tree at the end: the same bits every run, and 8
// independent chains of additions instead of one long one (one chain was 12% of an autoencoder
// SGD step: every addition waited for the previous one; bench/README.md).
Accum squared_error_sum(const Scalar* x, const Scalar* t, size_t n);
// The plain twin: one running sum in element order.
Accum squared_error_sum_reference(const Scalar* x, const Scalar* t, size_t n);

}  // namespace landscape
