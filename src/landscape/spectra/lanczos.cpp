#include "landscape/spectra/lanczos.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/blas.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

namespace landscape {

namespace {
double dot(const std::vector<double>& a, const double* b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// w -= Q (Q^T w) over the basis vectors so far (classical Gram-Schmidt, one pass).
void orthogonalise(const std::vector<std::vector<double>>& Q, std::vector<double>& w) {
  std::vector<double> c(Q.size());
  for (size_t j = 0; j < Q.size(); ++j) c[j] = dot(Q[j], w.data());
  for (size_t j = 0; j < Q.size(); ++j)
    for (size_t i = 0; i < w.size(); ++i) w[i] -= c[j] * Q[j][i];
}

// Ritz values, weights and residuals from T_k (alpha [k], beta [k]).
void ritz_pairs(LanczosResult& r) {
  const int k = r.steps();
  std::vector<double> T(size_t(k) * k, 0.0);  // [k,k] row-major; the eigenvectors afterwards
  for (int j = 0; j < k; ++j) {
    T[size_t(j) * k + j] = r.alpha[j];
    if (j + 1 < k) T[size_t(j) * k + j + 1] = T[size_t(j + 1) * k + j] = r.beta[j];
  }
  r.ritz_values.assign(k, 0.0);
  blas::symmetric_eigen(k, T.data(), r.ritz_values.data());
  r.ritz_weights.resize(k);
  r.residuals.resize(k);
  for (int i = 0; i < k; ++i) {
    const double first = T[i], last = T[size_t(k - 1) * k + i];  // s_{1,i}, s_{k,i}
    r.ritz_weights[i] = first * first;
    r.residuals[i] = r.invariant ? 0.0 : std::abs(r.beta[k - 1] * last);
  }
}
}  // namespace

LanczosResult lanczos(const SymmetricOperator& A, std::vector<double> start, int iterations) {
  const size_t n = A.n;
  if (start.size() != n)
    throw Error("lanczos: start vector of " + std::to_string(start.size()) +
                " entries for an operator of dimension " + std::to_string(n));
  if (iterations < 1) throw Error("lanczos: needs at least one iteration");
  const double norm = std::sqrt(dot(start, start.data()));
  if (!(norm > 0) || !std::isfinite(norm)) throw Error("lanczos: start vector is zero or not finite");
  for (double& x : start) x /= norm;

  LanczosResult r;
  std::vector<std::vector<double>> Q;  // [k][n] the basis q_1..q_k
  Q.push_back(std::move(start));
  std::vector<double> w(n);
  double scale = 0;  // the largest |alpha|, |beta| so far: the size of T
  const int k_max = int(std::min<size_t>(size_t(iterations), n));
  for (int j = 0; j < k_max; ++j) {
    const std::vector<double>& q = Q.back();
    A.apply(q.data(), w.data());  // w = A q_j
    for (double x : w)
      if (!std::isfinite(x)) throw Error("lanczos: the operator returned a non-finite product");
    if (j > 0)  // w -= beta_{j-1} q_{j-1}
      for (size_t i = 0; i < n; ++i) w[i] -= r.beta[j - 1] * Q[j - 1][i];
    const double alpha = dot(q, w.data());  // alpha_j = q_j.w
    for (size_t i = 0; i < n; ++i) w[i] -= alpha * q[i];
    orthogonalise(Q, w);  // full reorthogonalisation, twice
    orthogonalise(Q, w);
    const double beta = std::sqrt(dot(w, w.data()));
    r.alpha.push_back(alpha);
    r.beta.push_back(beta);
    scale = std::max({scale, std::abs(alpha), beta});
    if (beta <= 1e-12 * scale) {  // invariant subspace: T_k holds exact eigenvalues
      r.invariant = true;
      break;
    }
    if (j + 1 == k_max) break;
    std::vector<double> next(n);
    for (size_t i = 0; i < n; ++i) next[i] = w[i] / beta;
    Q.push_back(std::move(next));
  }
  // k = n steps exhaust the space: T_n is similar to A (beta_n is round-off).
  if (r.steps() == int(n)) r.invariant = true;
  ritz_pairs(r);
  return r;
}

LanczosResult lanczos_after(const LanczosResult& r, int j) {
  if (j < 1 || j > r.steps())
    throw Error("lanczos_after: step " + std::to_string(j) + " of a run of " + std::to_string(r.steps()));
  LanczosResult t;
  t.alpha.assign(r.alpha.begin(), r.alpha.begin() + j);
  t.beta.assign(r.beta.begin(), r.beta.begin() + j);
  t.invariant = j == r.steps() && r.invariant;
  ritz_pairs(t);
  return t;
}

ExtremeEigenvalues extreme_eigenvalues(const SymmetricOperator& A, int iterations, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> start(A.n);
  for (double& x : start) x = rng.normal();
  const LanczosResult r = lanczos(A, std::move(start), iterations);
  ExtremeEigenvalues e;
  e.lambda_min = r.ritz_values.front();
  e.lambda_max = r.ritz_values.back();
  e.residual_min = r.residuals.front();
  e.residual_max = r.residuals.back();
  e.steps = r.steps();
  e.run = r;
  return e;
}

}  // namespace landscape
