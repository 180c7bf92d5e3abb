// The leading eigenpairs of a symmetric matrix, as kernel PCA and PCA need them
// (docs/algorithms.md §7.4): descending, round-off zeros made exact, and a deterministic sign.
//
// Legend: N the order of the matrix, C the eigenpairs kept.
#pragma once

#include <vector>

namespace landscape {

struct Eigenpairs {
  std::vector<double> values;   // [C] descending
  std::vector<double> vectors;  // [N,C] unit columns, row-major
  double positive_sum = 0;      // sum of all positive eigenvalues of the matrix (all N of them)
};

// A[N,N] symmetric (destroyed): its whole spectrum through LAPACK dsyevd, the C largest kept.
// As scikit-learn's _check_psd_eigenvalues (double precision), kept values below 1e-12 of the
// largest, negative round-off included, are set to 0; an Error if none is positive. Sign: each
// column's entry of largest |.| (the first on a tie) is positive, scikit-learn's svd_flip rule.
Eigenpairs leading_eigenpairs(std::vector<double>& A, int N, int C);

// Makes the largest-|.| entry (first on a tie) of column k of V[N,C] positive; returns the sign
// applied (+1 or -1) so a caller can flip what goes with the column.
double fix_column_sign(std::vector<double>& V, int N, int C, int k);

}  // namespace landscape
