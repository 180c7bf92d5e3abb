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
  double trace = 0;             // mean of the samples
  double standard_error = 0;    // sample sd / sqrt(P); NaN with a single probe
  std::vector<double> samples;  // [P] z_p^T A z_p
};

// P >= 1 probes from Rng(seed), drawn in order.
TraceEstimate hutchinson_trace(const SymmetricOperator& A, int probes, uint64_t seed);

// Hutch++ (Meyer, Musco, Musco and Woodruff, "Hutch++: optimal stochastic trace estimation",
// SOSA 2021; docs/algorithms.md §10.4): with k = products / 3 Rademacher vectors in each of S and
// G, Q an orthonormal basis of A S, the trace is the exact trace of A on span(Q) plus
// Hutchinson's estimate of the rest:
//   tr A ~ tr(Q^T A Q) + (1/k) sum_p g_p^T (I - Q Q^T) A (I - Q Q^T) g_p.
// The top of a decaying spectrum, which dominates Hutchinson's variance, is then counted exactly:
// for the same error it needs O(1/eps) products instead of O(1/eps^2). `products` (a multiple
// of 3, >= 3) products of A in all: k for A S, k for A Q, k for the deflated probes. trace and
// standard_error as hutchinson_trace's, the error that of the second term (the first is exact
// for the Q drawn); samples are its k terms.
TraceEstimate hutchpp_trace(const SymmetricOperator& A, int products, uint64_t seed);

}  // namespace landscape
