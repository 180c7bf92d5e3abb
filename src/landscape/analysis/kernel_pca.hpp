// Kernel PCA of a stack of weight vectors (docs/algorithms.md §7.4; Bishop, Pattern Recognition and
// Machine Learning, §12.3, the formulation the paper cites). Figure 6 projects the 48 vectors of
// {w_BFGS^train} together with the 48 of {w_SGD^test} on PC1/PC2.
//
// Legend: N fitted vectors X [N, P], M new vectors Y [M, P], P components of a vector,
// C principal components kept.
//
// Fit:
//   K[N,N]    K_ij = k(x_i, x_j)                                   (kernels.hpp; BLAS Gram)
//   centring  K~ = K - 1_N K - K 1_N + 1_N K 1_N, 1_N the N x N matrix of 1/N: the kernel of
//             the feature vectors phi(x_i) less their mean, which is never formed.
//   eigen     K~ alpha_k = lambda_k alpha_k, |alpha_k| = 1, lambda_1 >= lambda_2 >= ...
//             (LAPACK dsyevd on the whole matrix, in double)
//   project   PC_k(x_i) = sqrt(lambda_k) alpha_ik, which equals sum_j a_jk K~_ij with Bishop's
//             feature-space normalisation a_k = alpha_k / sqrt(lambda_k); scikit-learn's
//             KernelPCA.fit_transform returns the same numbers.
// New vector y, centred with the statistics of the fit:
//   k~(y, x_j) = k(y, x_j) - mean_l k(y, x_l) - mean_l k(x_l, x_j) + mean_lm k(x_l, x_m)
//   PC_k(y)    = sum_j alpha_jk k~(y, x_j) / sqrt(lambda_k)          (scikit-learn's transform)
//
// As scikit-learn (sklearn.utils.validation._check_psd_eigenvalues, double precision): kept
// eigenvalues below 1e-12 of the largest, the small negative ones round-off makes included, are
// set to 0, and their components are 0. Sign: the entry of largest |alpha_ik| in each component
// is made positive (the first such entry on a tie), which is also scikit-learn's svd_flip rule;
// tests nevertheless compare components up to sign.
#pragma once

#include <vector>

#include "core/tensor.hpp"
#include "landscape/analysis/kernels.hpp"

namespace landscape {

// Centres K[N,N] in feature space, in place (K~ above). column_mean[N] = mean_l K_lj and
// mean = mean_lm K_lm of the uncentred K, kept to centre new vectors the same way.
void center_kernel(std::vector<double>& K, int N, std::vector<double>* column_mean, double* mean);

class KernelPCA {
 public:
  // X [N,P]: kept (shared, not copied) to project new vectors; a view must outlive the model.
  KernelPCA(const Tensor& X, const KernelParams& params, int components);

  const Kernel& kernel() const { return kernel_; }
  int components() const { return C_; }
  int fitted() const { return N_; }
  const std::vector<double>& eigenvalues() const { return eigenvalues_; }  // [C] descending
  double eigenvalue_sum() const { return eigenvalue_sum_; }                // all positive lambda of K~
  const std::vector<double>& eigenvectors() const { return alphas_; }      // [N,C] unit
  const std::vector<double>& projections() const { return projections_; }  // [N,C]

  std::vector<double> transform(const Tensor& Y /*[M,P]*/) const;  // [M,C]

 private:
  Tensor X_;  // [N,P]
  Kernel kernel_;
  int N_ = 0, C_ = 0;
  std::vector<double> K_column_mean_;  // [N] mean_l k(x_l, x_j)
  double K_mean_ = 0;                  //     mean_lm k(x_l, x_m)
  std::vector<double> eigenvalues_;    // [C]
  double eigenvalue_sum_ = 0;
  std::vector<double> alphas_;       // [N,C]
  std::vector<double> projections_;  // [N,C]
};

}  // namespace landscape
