#include "landscape/analysis/eigenpairs.hpp"

#include <cmath>
#include <string>

#include "core/blas.hpp"
#include "core/error.hpp"

namespace landscape {

namespace {
// scikit-learn's small_pos_ratio for float64 eigenvalues (utils/validation.py).
constexpr double kSmallRatio = 1e-12;
}  // namespace

double fix_column_sign(std::vector<double>& V, int N, int C, int k) {
  int best = 0;
  for (int i = 1; i < N; ++i)
    if (std::fabs(V[static_cast<size_t>(i) * C + k]) > std::fabs(V[static_cast<size_t>(best) * C + k]))
      best = i;
  const double sign = V[static_cast<size_t>(best) * C + k] < 0 ? -1.0 : 1.0;
  if (sign < 0)
    for (int i = 0; i < N; ++i) V[static_cast<size_t>(i) * C + k] = -V[static_cast<size_t>(i) * C + k];
  return sign;
}

Eigenpairs leading_eigenpairs(std::vector<double>& A, int N, int C) {
  require(C >= 1 && C <= N,
          "eigenpairs: " + std::to_string(C) + " components asked of a matrix of order " + std::to_string(N));
  std::vector<double> w(N);
  blas::symmetric_eigen(N, A.data(), w.data());  // ascending; column j of A is vector j
  Eigenpairs e;
  for (double v : w)
    if (v > 0) e.positive_sum += v;
  const double largest = w[N - 1];
  require(largest > 0, "eigenpairs: the matrix has no positive eigenvalue (largest " +
                           std::to_string(largest) + "); is the kernel positive semi-definite?");
  e.values.resize(C);
  e.vectors.resize(static_cast<size_t>(N) * C);
  for (int k = 0; k < C; ++k) {
    const int j = N - 1 - k;  // descending
    e.values[k] = w[j] < kSmallRatio * largest ? 0.0 : w[j];
    for (int i = 0; i < N; ++i) e.vectors[static_cast<size_t>(i) * C + k] = A[static_cast<size_t>(i) * N + j];
    fix_column_sign(e.vectors, N, C, k);
  }
  return e;
}

}  // namespace landscape
