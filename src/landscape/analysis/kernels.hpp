// The kernels of the kernel PCA of weight sets (docs/algorithms.md §7.3): RBF, linear,
// polynomial, sigmoid.
//
// Legend: N fitted vectors X [N, P], M new vectors Y [M, P], P components of a vector.
//
// Each kernel is defined exactly as scikit-learn's pairwise kernels (KernelPCA's `kernel`,
// `gamma`, `degree`, `coef0`), so that our projections can be checked against KernelPCA:
//   rbf      k(x, y) = exp(-gamma |x - y|^2),   gamma = 1 / (2 sigma^2)
//   linear   k(x, y) = x.y
//   poly     k(x, y) = (gamma x.y + coef0)^degree
//   sigmoid  k(x, y) = tanh(gamma x.y + coef0)
// Flags and defaults (the paper's where it gives one, else scikit-learn's):
//   --sigma2 S   rbf: sigma^2 = S. Default P/2, i.e. 2 sigma^2 = P, the number of parameters,
//                as the paper (§7.3); that is gamma = 1/P, also scikit-learn's default.
//   --gamma G    poly, sigmoid: default 1/P (scikit-learn's gamma=None). The paper writes the
//                polynomial kernel as (x.x' + C)^n, which is --gamma 1.
//   --degree n   poly: default 3 (scikit-learn's).
//   --coef0 C    poly, sigmoid: default 1 (scikit-learn's).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/tensor.hpp"

namespace landscape {

enum class KernelKind { Rbf, Linear, Poly, Sigmoid };
inline constexpr EnumName<KernelKind> kKernelNames[] = {{KernelKind::Rbf, "rbf"},
                                                        {KernelKind::Linear, "linear"},
                                                        {KernelKind::Poly, "poly"},
                                                        {KernelKind::Sigmoid, "sigmoid"}};

KernelKind parse_kernel(const std::string& name);  // "rbf" ...; UsageError naming --kernel
const char* kernel_name(KernelKind kind);

// What the user asks for; gamma and sigma^2 are resolved against P by make_kernel.
struct KernelParams {
  KernelKind kind = KernelKind::Rbf;
  // rbf: sigma^2 (--sigma2); none: P/2, so that 2 sigma^2 = P.
  std::optional<double> sigma2 = std::nullopt;
  // poly, sigmoid (--gamma); none: 1/P.
  std::optional<double> gamma = std::nullopt;
  int degree = 3;    // poly (--degree)
  double coef0 = 1;  // poly, sigmoid (--coef0)

  static const ParameterTable<KernelParams>& table();
  void check() const;  // UsageError naming the flag
};

inline const ParameterTable<KernelParams>& KernelParams::table() {
  using P = KernelParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("kernel", &P::kind, "rbf | linear | poly | sigmoid", kKernelNames)
      .field("sigma2", &P::sigma2, "rbf: sigma^2; none: P/2, so 2 sigma^2 = P, the parameter count (paper)")
          .above(0)
      .field("gamma", &P::gamma, "poly, sigmoid: factor of x.y; none: 1/P (scikit-learn's default)")
          .above(0)
      .field("degree", &P::degree, "poly: degree").range(1, 100)
      .field("coef0", &P::coef0, "poly, sigmoid: constant term");
  // clang-format on
  return t;
}

// A kernel with every constant fixed for vectors of P components.
struct Kernel {
  KernelKind kind = KernelKind::Rbf;
  double gamma = 1;  // rbf: 1/(2 sigma^2); poly, sigmoid: the factor of x.y; linear: unused
  int degree = 3;
  double coef0 = 1;
};

Kernel make_kernel(const KernelParams& params, int P);

// K[N,N] = k(X_i, X_j), through the double Gram matrix of gram.hpp (BLAS, chunked).
std::vector<double> kernel_matrix(const Kernel& k, const Tensor& X /*[N,P]*/);
// K[M,N] = k(Y_a, X_j).
std::vector<double> cross_kernel_matrix(const Kernel& k, const Tensor& Y /*[M,P]*/,
                                        const Tensor& X /*[N,P]*/);

// The definition, one pair at a time, in double: k(x[P], y[P]); |x - y|^2 summed directly.
double kernel_value(const Kernel& k, const Scalar* x, const Scalar* y, int P);
// Plain twin of cross_kernel_matrix: K[M,N] from kernel_value.
std::vector<double> cross_kernel_matrix_reference(const Kernel& k, const Tensor& Y, const Tensor& X);

}  // namespace landscape
