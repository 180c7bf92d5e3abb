// Hutchinson's trace estimator (M. F. Hutchinson, "A stochastic estimator of the trace of the
// influence matrix for Laplacian smoothing splines", 1990), as PyHessian applies it to the loss
// Hessian (docs/algorithms.md §10.4): for Rademacher vectors z (entries +1 or -1 with equal
// chance), E[z^T A z] = tr A, since E[z_i z_j] = [i == j]. Each probe costs one product A z; the
// mean of P probes has standard error sd(z^T A z) / sqrt(P), which is reported beside it.
//
// Legend: n the dimension, P probes.
#pragma once

#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "landscape/spectra/symmetric_operator.hpp"

namespace landscape {

// z [n] with entries +1 / -1, one bit of rng.next() each.
std::vector<double> rademacher_vector(size_t n, Rng& rng);

struct TraceEstimate {
  double trace = 0;           // mean of the samples
  double standard_error = 0;  // sample sd / sqrt(P); NaN with a single probe
  std::vector<double> samples;  // [P] z_p^T A z_p
};

// P >= 1 probes from Rng(seed), drawn in order.
TraceEstimate hutchinson_trace(const SymmetricOperator& A, int probes, uint64_t seed);

}  // namespace landscape
