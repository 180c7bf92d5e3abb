#include "landscape/analysis/kernels.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "landscape/analysis/gram.hpp"

namespace landscape {

KernelKind parse_kernel(const std::string& name) { return parse_enum(kKernelNames, name, "kernel"); }

const char* kernel_name(KernelKind kind) {
  for (const EnumName<KernelKind>& n : kKernelNames)
    if (n.value == kind) return n.name;
  return "?";
}

void KernelParams::check() const {
  table().check(*this);
  if (sigma2 && kind != KernelKind::Rbf)
    throw UsageError("--sigma2 belongs to the rbf kernel (poly and sigmoid take --gamma)");
  if (gamma && kind == KernelKind::Rbf)
    throw UsageError("--gamma belongs to the poly and sigmoid kernels (rbf takes --sigma2)");
}

Kernel make_kernel(const KernelParams& params, int P) {
  params.check();
  require(P > 0, "kernel: vectors have no components");
  Kernel k;
  k.kind = params.kind;
  k.degree = params.degree;
  k.coef0 = params.coef0;
  if (params.kind == KernelKind::Rbf)
    // exp(-|x-y|^2 / (2 sigma^2)) with 2 sigma^2 = P by default (docs/algorithms.md §7.3).
    k.gamma = 1.0 / (2.0 * params.sigma2.value_or(P / 2.0));
  else
    k.gamma = params.gamma.value_or(1.0 / P);
  return k;
}

namespace {

// The kernel as a function of the products it needs: d2 = |x-y|^2 for rbf, else x.y.
double kernel_of(const Kernel& k, double product) {
  switch (k.kind) {
    case KernelKind::Rbf: return std::exp(-k.gamma * product);
    case KernelKind::Linear: return product;
    case KernelKind::Poly: return std::pow(k.gamma * product + k.coef0, k.degree);
    case KernelKind::Sigmoid: return std::tanh(k.gamma * product + k.coef0);
  }
  return 0;
}

// |x_i - shift|^2 for each row, in double.
std::vector<double> squared_norms(const Tensor& X, const std::vector<double>& shift) {
  const int N = X.dim(0), P = X.dim(1);
  std::vector<double> s(N);
  for (int i = 0; i < N; ++i) {
    const Scalar* row = X.data() + static_cast<size_t>(i) * P;
    double sum = 0;
    for (int p = 0; p < P; ++p) {
      const double d = static_cast<double>(row[p]) - shift[p];
      sum += d * d;
    }
    s[i] = sum;
  }
  return s;
}

}  // namespace

std::vector<double> kernel_matrix(const Kernel& k, const Tensor& X) {
  const int N = X.dim(0);
  // rbf: the Gram matrix of the vectors less their mean, |x_i - x_j|^2 = G_ii + G_jj - 2 G_ij
  // (the shift leaves distances alone and keeps the three terms small; see gram.hpp).
  const std::vector<double> shift = k.kind == KernelKind::Rbf ? column_mean(X) : std::vector<double>{};
  std::vector<double> K = gram(X, shift);
  if (k.kind == KernelKind::Rbf) {
    std::vector<double> diag(N);
    for (int i = 0; i < N; ++i) diag[i] = K[static_cast<size_t>(i) * N + i];
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j) {
        double& g = K[static_cast<size_t>(i) * N + j];
        g = std::max(0.0, diag[i] + diag[j] - 2 * g);  // round-off can make it slightly < 0
      }
  }
  for (double& v : K) v = kernel_of(k, v);
  return K;
}

std::vector<double> cross_kernel_matrix(const Kernel& k, const Tensor& Y, const Tensor& X) {
  const int M = Y.dim(0), N = X.dim(0);
  const std::vector<double> shift = k.kind == KernelKind::Rbf ? column_mean(X) : std::vector<double>{};
  std::vector<double> K = cross_gram(Y, X, shift);
  if (k.kind == KernelKind::Rbf) {
    const std::vector<double> ny = squared_norms(Y, shift), nx = squared_norms(X, shift);
    for (int a = 0; a < M; ++a)
      for (int j = 0; j < N; ++j) {
        double& g = K[static_cast<size_t>(a) * N + j];
        g = std::max(0.0, ny[a] + nx[j] - 2 * g);
      }
  }
  for (double& v : K) v = kernel_of(k, v);
  return K;
}

double kernel_value(const Kernel& k, const Scalar* x, const Scalar* y, int P) {
  double product = 0;
  for (int p = 0; p < P; ++p) {
    const double xp = static_cast<double>(x[p]), yp = static_cast<double>(y[p]);
    product += k.kind == KernelKind::Rbf ? (xp - yp) * (xp - yp) : xp * yp;
  }
  return kernel_of(k, product);
}

std::vector<double> cross_kernel_matrix_reference(const Kernel& k, const Tensor& Y, const Tensor& X) {
  const int M = Y.dim(0), N = X.dim(0), P = X.dim(1);
  std::vector<double> K(static_cast<size_t>(M) * N);
  for (int a = 0; a < M; ++a)
    for (int j = 0; j < N; ++j)
      K[static_cast<size_t>(a) * N + j] =
          kernel_value(k, Y.data() + static_cast<size_t>(a) * P, X.data() + static_cast<size_t>(j) * P, P);
  return K;
}

}  // namespace landscape
