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

namespace {

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// v minus its projection on the orthonormal vectors Q (twice: classical Gram-Schmidt repeated
// keeps v orthogonal to Q to rounding).
void project_out(const std::vector<std::vector<double>>& Q, std::vector<double>& v) {
  for (int pass = 0; pass < 2; ++pass)
    for (const std::vector<double>& q : Q) {
      const double c = dot(q, v);
      for (size_t i = 0; i < v.size(); ++i) v[i] -= c * q[i];
    }
}

}  // namespace

TraceEstimate hutchpp_trace(const SymmetricOperator& A, int products, uint64_t seed) {
  if (products < 3 || products % 3) throw Error("hutchpp_trace: needs a multiple of 3 products, at least 3");
  const int k = products / 3;
  Rng rng(seed);
  // Q: an orthonormal basis of A S (columns that vanish after projection are dropped).
  std::vector<std::vector<double>> Q;
  std::vector<double> y(A.n);
  for (int j = 0; j < k; ++j) {
    const std::vector<double> s = rademacher_vector(A.n, rng);
    A.apply(s.data(), y.data());
    std::vector<double> q = y;
    const double before = std::sqrt(dot(q, q));
    project_out(Q, q);
    const double norm = std::sqrt(dot(q, q));
    if (!(norm > 1e-12 * before)) continue;
    for (double& x : q) x /= norm;
    Q.push_back(std::move(q));
  }
  double exact = 0;  // tr(Q^T A Q)
  for (const std::vector<double>& q : Q) {
    A.apply(q.data(), y.data());
    exact += dot(q, y);
  }
  TraceEstimate t;
  for (int p = 0; p < k; ++p) {  // Hutchinson on (I - QQ^T) A (I - QQ^T)
    std::vector<double> g = rademacher_vector(A.n, rng);
    project_out(Q, g);
    A.apply(g.data(), y.data());
    t.samples.push_back(dot(g, y));
  }
  double sum = 0;
  for (double v : t.samples) sum += v;
  const double mean = sum / k;
  t.trace = exact + mean;
  if (k < 2) {
    t.standard_error = std::numeric_limits<double>::quiet_NaN();
  } else {
    double q = 0;
    for (double v : t.samples) q += (v - mean) * (v - mean);
    t.standard_error = std::sqrt(q / (k - 1) / k);
  }
  return t;
}

}  // namespace landscape
