// The Lanczos process on a symmetric operator (Golub & Van Loan, "Matrix Computations",
// 4th ed., Algorithm 10.1.1), with full reorthogonalisation, and the extreme eigenvalues it
// gives (docs/algorithms.md §10.3: Li et al. 2018 take lambda_max and lambda_min of the loss
// Hessian from Hessian-vector products).
//
// k steps from a unit start vector q_1 build an orthonormal basis Q_k of the Krylov space
// span{q_1, A q_1, ..., A^{k-1} q_1} and the tridiagonal T_k = Q_k^T A Q_k:
//   w = A q_j - beta_{j-1} q_{j-1};   alpha_j = q_j.w;   w -= alpha_j q_j;
//   w -= Q_j (Q_j^T w), twice ("twice is enough": full reorthogonalisation, so no ghost copies
//   of converged eigenvalues appear; k vectors of n doubles, fine for n ~ 60,000, k ~ 100);
//   beta_j = |w|;  q_{j+1} = w / beta_j.
// The eigenvalues theta_i of T_k (Ritz values; LAPACK through blas::symmetric_eigen) approach
// A's extreme eigenvalues first, and |A y_i - theta_i y_i| = beta_k |s_{k,i}| (s_i the
// eigenvector of T_k, y_i = Q_k s_i) says how far each one still is.
//
// lambda_min, our choice: the smallest Ritz value of the same run, not a second run on the
// shifted operator H - c lambda_max I as Li et al. do. The Krylov space of H - cI is that of H
// (A q - c q adds nothing new), so with the same start the shifted run produces exactly the
// same Ritz values minus c: the shift only helps methods that keep a few wanted Ritz values
// (scipy's eigsh 'LA', restarted ARPACK) or power iteration. Full reorthogonalisation without
// restarts keeps both ends, halves the Hessian-vector products, and the residual of each end
// is reported so a slowly converging lambda_min is visible as such.
//
// Legend: n the dimension, k the steps taken.
#pragma once

#include <cstdint>
#include <vector>

#include "landscape/spectra/symmetric_operator.hpp"

namespace landscape {

struct LanczosResult {
  std::vector<double> alpha;         // [k] diagonal of T_k
  std::vector<double> beta;          // [k] beta_1..beta_k; beta_j couples q_j and q_{j+1}
  std::vector<double> ritz_values;   // [k] eigenvalues of T_k, ascending
  std::vector<double> ritz_weights;  // [k] squared first components s_{1,i}^2 (they sum to 1)
  std::vector<double> residuals;     // [k] beta_k |s_{k,i}| = |A y_i - theta_i y_i|
  bool invariant = false;            // stopped early: the Krylov space is invariant under A,
                                     // its Ritz values are exact eigenvalues
  int steps() const { return static_cast<int>(alpha.size()); }
};

// At most `iterations` steps from start [n] (any nonzero vector; normalised here). Stops early
// when beta_j <= 1e-12 |T| (an invariant subspace: nothing new to find). Error if start is 0.
LanczosResult lanczos(const SymmetricOperator& A, std::vector<double> start, int iterations);

// The run as it stood after its first j steps (1 <= j <= r.steps()): alpha, beta and the Ritz
// pairs of T_j, the leading j x j block of T_k. What `hessian --trace` writes per step
// (docs/algorithms.md §16); no product of A is needed.
LanczosResult lanczos_after(const LanczosResult& r, int j);

struct ExtremeEigenvalues {
  double lambda_max = 0, lambda_min = 0;      // largest and smallest Ritz values
  double residual_max = 0, residual_min = 0;  // their residual norms |A y - theta y|
  int steps = 0;                              // operator products spent
  LanczosResult run;                          // the whole run (a step trace's rows)
};

// lanczos() from a seeded Gaussian start vector (Rng(seed).normal() per entry).
ExtremeEigenvalues extreme_eigenvalues(const SymmetricOperator& A, int iterations, uint64_t seed);

}  // namespace landscape
