#include "landscape/spectra/hutchinson_trace.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace landscape {

std::vector<double> rademacher_vector(size_t n, Rng& rng) {
  std::vector<double> z(n);
  for (double& x : z) x = (rng.next() >> 63) ? 1.0 : -1.0;  // the top bit: mt19937_64's best
  return z;
}

TraceEstimate hutchinson_trace(const SymmetricOperator& A, int probes, uint64_t seed) {
  if (probes < 1) throw Error("hutchinson_trace: needs at least one probe");
  Rng rng(seed);
  TraceEstimate t;
  std::vector<double> Az(A.n);
  for (int p = 0; p < probes; ++p) {
    const std::vector<double> z = rademacher_vector(A.n, rng);
    A.apply(z.data(), Az.data());
    double s = 0;  // z^T A z
    for (size_t i = 0; i < A.n; ++i) s += z[i] * Az[i];
    t.samples.push_back(s);
  }
  double sum = 0;
  for (double s : t.samples) sum += s;
  t.trace = sum / probes;
  if (probes < 2) {
    t.standard_error = std::numeric_limits<double>::quiet_NaN();
  } else {
    double q = 0;
    for (double s : t.samples) q += (s - t.trace) * (s - t.trace);
    t.standard_error = std::sqrt(q / (probes - 1) / probes);
  }
  return t;
}

}  // namespace landscape
