#include "landscape/analysis/pca.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "landscape/analysis/eigenpairs.hpp"
#include "landscape/analysis/gram.hpp"

namespace landscape {

PCA::PCA(const Tensor& X, int components, PcaRoute route) {
  require(X.rank() == 2 && X.dim(0) >= 2 && X.dim(1) >= 1,
          "PCA needs a stack [N, P] of at least two vectors, got " + shape_string(X.shape()));
  N_ = X.dim(0);
  P_ = X.dim(1);
  C_ = components;
  if (C_ < 1 || C_ > N_ || C_ > P_)
    throw UsageError("--components " + std::to_string(C_) + " must lie in [1, " +
                     std::to_string(std::min(N_, P_)) + "] for PCA of " + std::to_string(N_) +
                     " vectors of " + std::to_string(P_) + " components");
  route_ = route != PcaRoute::Auto ? route : (P_ <= N_ ? PcaRoute::Covariance : PcaRoute::Gram);
  mean_ = column_mean(X);
  axes_.assign(static_cast<size_t>(C_) * P_, 0.0);

  if (route_ == PcaRoute::Covariance) {
    std::vector<double> S = scatter(X, mean_);     // S[P,P] = Xc^T Xc
    Eigenpairs e = leading_eigenpairs(S, P_, C_);  // S v = lambda v
    eigenvalues_ = std::move(e.values);
    eigenvalue_sum_ = e.positive_sum;
    for (int k = 0; k < C_; ++k)
      for (int p = 0; p < P_; ++p)
        axes_[static_cast<size_t>(k) * P_ + p] =
            eigenvalues_[k] == 0 ? 0.0 : e.vectors[static_cast<size_t>(p) * C_ + k];
    projections_ = transform(X);  // PC_k(x_i) = (x_i - m).v_k
  } else {
    std::vector<double> G = gram(X, mean_);        // G[N,N] = Xc Xc^T
    Eigenpairs e = leading_eigenpairs(G, N_, C_);  // G u = lambda u
    eigenvalues_ = std::move(e.values);
    eigenvalue_sum_ = e.positive_sum;
    // v_k = Xc^T u_k / sqrt(lambda_k), accumulated row after row of X in double.
    for (int i = 0; i < N_; ++i) {
      const Scalar* row = X.data() + static_cast<size_t>(i) * P_;
      for (int k = 0; k < C_; ++k) {
        if (eigenvalues_[k] == 0) continue;
        const double u = e.vectors[static_cast<size_t>(i) * C_ + k] / std::sqrt(eigenvalues_[k]);
        double* v = axes_.data() + static_cast<size_t>(k) * P_;
        for (int p = 0; p < P_; ++p) v[p] += (static_cast<double>(row[p]) - mean_[p]) * u;
      }
    }
    // PC_k(x_i) = sqrt(lambda_k) u_ik
    projections_.resize(static_cast<size_t>(N_) * C_);
    for (int i = 0; i < N_; ++i)
      for (int k = 0; k < C_; ++k)
        projections_[static_cast<size_t>(i) * C_ + k] =
            std::sqrt(eigenvalues_[k]) * e.vectors[static_cast<size_t>(i) * C_ + k];
  }
  // Sign by the projections (scikit-learn's PCA); the axis turns with its component.
  for (int k = 0; k < C_; ++k)
    if (fix_column_sign(projections_, N_, C_, k) < 0)
      for (int p = 0; p < P_; ++p) axes_[static_cast<size_t>(k) * P_ + p] *= -1;
}

std::vector<double> PCA::explained_variance() const {
  std::vector<double> v(eigenvalues_);
  for (double& x : v) x /= (N_ - 1);
  return v;
}

std::vector<double> PCA::transform(const Tensor& Y) const {
  require(Y.rank() == 2 && Y.dim(1) == P_, "PCA: new vectors " + shape_string(Y.shape()) + " do not have " +
                                               std::to_string(P_) + " components");
  const int M = Y.dim(0);
  std::vector<double> out(static_cast<size_t>(M) * C_);
  for (int a = 0; a < M; ++a) {
    const Scalar* row = Y.data() + static_cast<size_t>(a) * P_;
    for (int k = 0; k < C_; ++k) {
      const double* v = axes_.data() + static_cast<size_t>(k) * P_;
      double sum = 0;
      for (int p = 0; p < P_; ++p) sum += (static_cast<double>(row[p]) - mean_[p]) * v[p];
      out[static_cast<size_t>(a) * C_ + k] = sum;
    }
  }
  return out;
}

}  // namespace landscape
