#include "landscape/analysis/kernel_pca.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "landscape/analysis/eigenpairs.hpp"

namespace landscape {

void center_kernel(std::vector<double>& K, int N, std::vector<double>* column_mean, double* mean) {
  // column_mean_j = mean_l K_lj (= row means: K is symmetric); mean = mean of all entries.
  std::vector<double> cm(N, 0.0);
  for (int l = 0; l < N; ++l)
    for (int j = 0; j < N; ++j) cm[j] += K[static_cast<size_t>(l) * N + j];
  double all = 0;
  for (double& c : cm) {
    c /= N;
    all += c;
  }
  all /= N;
  // K~_ij = K_ij - mean_l K_lj - mean_l K_il + mean_lm K_lm
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) K[static_cast<size_t>(i) * N + j] += all - cm[i] - cm[j];
  if (column_mean) *column_mean = std::move(cm);
  if (mean) *mean = all;
}

KernelPCA::KernelPCA(const Tensor& X, const KernelParams& params, int components) : X_(X) {
  require(X.rank() == 2 && X.dim(0) >= 1 && X.dim(1) >= 1,
          "kernel PCA needs a stack [N, P] of vectors, got " + shape_string(X.shape()));
  N_ = X.dim(0);
  C_ = components;
  if (C_ < 1 || C_ > N_)
    throw UsageError("--components " + std::to_string(C_) + " must lie in [1, " + std::to_string(N_) +
                     "], the number of vectors");
  kernel_ = make_kernel(params, X.dim(1));

  std::vector<double> K = kernel_matrix(kernel_, X);  // K[N,N]
  center_kernel(K, N_, &K_column_mean_, &K_mean_);    // K~[N,N]
  Eigenpairs e = leading_eigenpairs(K, N_, C_);       // K~ alpha = lambda alpha
  eigenvalues_ = std::move(e.values);
  alphas_ = std::move(e.vectors);
  eigenvalue_sum_ = e.positive_sum;

  // PC_k(x_i) = sqrt(lambda_k) alpha_ik
  projections_.resize(static_cast<size_t>(N_) * C_);
  for (int i = 0; i < N_; ++i)
    for (int k = 0; k < C_; ++k)
      projections_[static_cast<size_t>(i) * C_ + k] =
          std::sqrt(eigenvalues_[k]) * alphas_[static_cast<size_t>(i) * C_ + k];
}

std::vector<double> KernelPCA::transform(const Tensor& Y) const {
  require(Y.rank() == 2 && Y.dim(1) == X_.dim(1), "kernel PCA: new vectors " + shape_string(Y.shape()) +
                                                      " do not match the fitted " + shape_string(X_.shape()));
  const int M = Y.dim(0);
  std::vector<double> K = cross_kernel_matrix(kernel_, Y, X_);  // K[M,N] = k(y_a, x_j)
  // k~(y, x_j) = k(y, x_j) - mean_l k(y, x_l) - mean_l k(x_l, x_j) + mean_lm k(x_l, x_m)
  for (int a = 0; a < M; ++a) {
    double* row = K.data() + static_cast<size_t>(a) * N_;
    double row_mean = 0;
    for (int j = 0; j < N_; ++j) row_mean += row[j];
    row_mean /= N_;
    for (int j = 0; j < N_; ++j) row[j] += K_mean_ - row_mean - K_column_mean_[j];
  }
  // PC_k(y) = sum_j alpha_jk k~(y, x_j) / sqrt(lambda_k); 0 for a zero eigenvalue (the null
  // space carries no component, as scikit-learn).
  std::vector<double> out(static_cast<size_t>(M) * C_, 0.0);
  for (int k = 0; k < C_; ++k) {
    if (eigenvalues_[k] == 0) continue;
    const double scale = 1.0 / std::sqrt(eigenvalues_[k]);
    for (int a = 0; a < M; ++a) {
      const double* row = K.data() + static_cast<size_t>(a) * N_;
      double sum = 0;
      for (int j = 0; j < N_; ++j) sum += alphas_[static_cast<size_t>(j) * C_ + k] * row[j];
      out[static_cast<size_t>(a) * C_ + k] = sum * scale;
    }
  }
  return out;
}

}  // namespace landscape
