// Plain PCA of a stack of weight vectors: the comparison for kernel PCA (docs/algorithms.md §7.5,
// where only the RBF kernel separates the sets). Linear-kernel PCA is this PCA
// (tests/test_kernel_pca).
//
// Legend: N fitted vectors X [N, P], M new vectors Y [M, P], P components of a vector,
// C principal components kept.
//
//   mean        m[P] = (1/N) sum_i x_i,  Xc = X - m
//   axes        v_k[P], unit, with S v_k = lambda_k v_k, S = Xc^T Xc the scatter matrix,
//               lambda_1 >= lambda_2 >= ...
//   projection  PC_k(x) = (x - m).v_k
//   variance    lambda_k / (N - 1), scikit-learn's PCA.explained_variance_
// Two routes to the same eigenproblem; Auto takes the smaller one:
//   Covariance  S[P,P] through LAPACK (P <= N: MNIST-sized inputs, tests).
//   Gram        G = Xc Xc^T [N,N], G u_k = lambda_k u_k, v_k = Xc^T u_k / sqrt(lambda_k),
//               PC_k(x_i) = sqrt(lambda_k) u_ik (P > N: 60,000 weights, 96 vectors). G is the
//               linear kernel centred in feature space, hence linear kPCA == PCA.
// Eigenvalues below 1e-12 of the largest are 0 (eigenpairs.hpp); such a component has a zero
// axis and zero projections. Sign: the projection of largest |.| over the fitted vectors is
// positive in each component (first on a tie), scikit-learn's PCA rule (svd_flip on U).
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace landscape {

enum class PcaRoute { Auto, Covariance, Gram };

class PCA {
 public:
  PCA(const Tensor& X /*[N,P]*/, int components, PcaRoute route = PcaRoute::Auto);

  int components() const { return C_; }
  PcaRoute route() const { return route_; }                                // Covariance or Gram
  const std::vector<double>& mean() const { return mean_; }                // [P]
  const std::vector<double>& axes() const { return axes_; }                // [C,P] unit rows
  const std::vector<double>& eigenvalues() const { return eigenvalues_; }  // [C] of S
  double eigenvalue_sum() const { return eigenvalue_sum_; }                // positive lambdas: trace S
  std::vector<double> explained_variance() const;                          // [C] lambda/(N-1)
  const std::vector<double>& projections() const { return projections_; }  // [N,C]

  std::vector<double> transform(const Tensor& Y /*[M,P]*/) const;  // [M,C]

 private:
  int N_ = 0, P_ = 0, C_ = 0;
  PcaRoute route_ = PcaRoute::Auto;
  std::vector<double> mean_, axes_, eigenvalues_, projections_;
  double eigenvalue_sum_ = 0;
};

}  // namespace landscape
