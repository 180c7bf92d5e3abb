// Point-wise activations. Each backward uses the saved output where that is exact and cheaper.
// Tangent rules (graph.hpp) from the first and second derivatives:
//   R{y} = f'(x) R{x},    dx += dy f'(x)  =>  R{dx} += R{dy} f'(x) + dy f''(x) R{x}
#include <cmath>
#include <string>

#include "autodiff/elementwise.hpp"
#include "autodiff/ops.hpp"
#include "core/error.hpp"
#include "core/simd_width.hpp"
#include "core/vector_math.hpp"

namespace landscape {

namespace {
// Applies f to every element of x and records the result; backward multiplies dy by
// dfdx(x_i, y_i), the derivative written in terms of the input and the output; d2fdx2(x_i, y_i)
// is the second derivative, for the tangent rules.
template <class F, class DFDX, class D2FDX2>
Var pointwise(Graph& g, const char* op, Var x, F f, DFDX dfdx, D2FDX2 d2fdx2) {
  const Tensor& X = g.value(x);
  Tensor Y = Tensor::uninitialized(X.shape());
  const Scalar* xp = X.data();
  Scalar* yp = Y.data();
  for_each_index(X.size(), [=](std::ptrdiff_t i) { yp[i] = f(xp[i]); });
  Var y = g.record(op, std::move(Y), {x});
  g.set_backward(y, [=](Graph& g) {
    const Scalar* dy = g.grad(y).data();
    const Scalar* xv = g.value(x).data();
    const Scalar* yv = g.value(y).data();
    Scalar* dx = g.grad(x).data();
    for_each_index(g.value(y).size(), [=](std::ptrdiff_t i) { dx[i] += dy[i] * dfdx(xv[i], yv[i]); });
  });
  g.set_tangent_rules(
      y,
      [=](Graph& g) {  // R{y} = f'(x) R{x}
        Tensor T = Tensor::uninitialized(g.value(y).shape());
        const Scalar* rx = g.tangent(x).data();
        const Scalar* xv = g.value(x).data();
        const Scalar* yv = g.value(y).data();
        Scalar* t = T.data();
        for_each_index(T.size(), [=](std::ptrdiff_t i) { t[i] = dfdx(xv[i], yv[i]) * rx[i]; });
        return T;
      },
      [=](Graph& g) {  // R{dx} += R{dy} f'(x) + dy f''(x) R{x}
        const Scalar* dy = g.grad(y).data();
        const Scalar* rdy = g.grad_tangent(y).data();
        const Scalar* rx = g.tangent(x).data();
        const Scalar* xv = g.value(x).data();
        const Scalar* yv = g.value(y).data();
        Scalar* rdx = g.grad_tangent(x).data();
        for_each_index(g.value(y).size(), [=](std::ptrdiff_t i) {
          rdx[i] += rdy[i] * dfdx(xv[i], yv[i]) + dy[i] * d2fdx2(xv[i], yv[i]) * rx[i];
        });
      });
  return y;
}
}  // namespace

Var sigmoid(Graph& g, Var x) {
  // y = 1 / (1 + e^-x),  dy/dx = y (1 - y),  d2y/dx2 = y (1 - y) (1 - 2y)
  return pointwise(
      g, "sigmoid", x, [](Scalar v) { return Scalar(1) / (Scalar(1) + std::exp(-v)); },
      [](Scalar, Scalar y) { return y * (Scalar(1) - y); },
      [](Scalar, Scalar y) { return y * (Scalar(1) - y) * (Scalar(1) - Scalar(2) * y); });
}

Var tanh(Graph& g, Var x) {
  // y = tanh x,  dy/dx = 1 - y^2,  d2y/dx2 = -2 y (1 - y^2)
  return pointwise(
      g, "tanh", x, [](Scalar v) { return std::tanh(v); }, [](Scalar, Scalar y) { return Scalar(1) - y * y; },
      [](Scalar, Scalar y) { return Scalar(-2) * y * (Scalar(1) - y * y); });
}

// PyTorch's Softplus(beta=1, threshold=20): the linear branch above the threshold keeps the
// published models' values bit-compatible (docs/algorithms.md §2.2).
inline constexpr Scalar kSoftplusThreshold = 20;

// Softplus has its own loops: its slope s = e^x / (1 + e^x) comes out of the forward pass's
// e^x at the cost of a division and is kept for the backward and tangent rules, which would
// otherwise each compute e^x again; and the loops ask for the full vector width (the 16-wide
// AVX-512 exp and log1p on this project's Intel machine; core/simd_width.hpp). Together they
// took LeNet's softplus from 12.6 to 7 us per image there (bench/README.md, "LeNet on
// AVX-512"). Values are those of `pointwise`'s formulas, term for term.
template <class F>
void for_each_index_full_width(std::ptrdiff_t n, F&& f) {
#pragma omp parallel for simd simdlen(kSimdLanes) schedule(static) if (parallel : n >= kParallelMinElements)
  for (std::ptrdiff_t i = 0; i < n; ++i) f(i);
}

Var softplus(Graph& g, Var x) {
  // y = log(1 + e^x) (x <= 20), y = x (x > 20);  dy/dx = s = e^x / (1 + e^x) resp. 1;
  // d2y/dx2 = s (1 - s), which is 0 on the linear branch (the branch PyTorch differentiates)
  const Tensor& X = g.value(x);
  const std::ptrdiff_t n = std::ptrdiff_t(X.size());
  Tensor Y = Tensor::uninitialized(X.shape());
  const Scalar* xv = X.data();
  Scalar* yv = Y.data();
  if (!g.requires_grad(x)) {
    for_each_index_full_width(n, [=](std::ptrdiff_t i) {
      yv[i] = xv[i] > kSoftplusThreshold ? xv[i] : std::log1p(std::exp(xv[i]));
    });
    return g.record("softplus", std::move(Y), {x});
  }
  Tensor S = Tensor::uninitialized(X.shape());  // the slope dy/dx at each element
  Scalar* sv = S.data();
  // Two loops, the linear branch's slope set in the second: in one loop GCC turns the two
  // selects' common condition into a branch, which without AVX-512's masks leaves the loop
  // scalar (glibc's scalar log1pf: the LeNet full batch 1.9x slower in an AVX2 build); with
  // AVX-512 one loop and two ran equally fast.
  for_each_index_full_width(n, [=](std::ptrdiff_t i) {
    const Scalar z = std::exp(xv[i]);
    yv[i] = xv[i] > kSoftplusThreshold ? xv[i] : std::log1p(z);
    sv[i] = z / (z + Scalar(1));
  });
  for_each_index_full_width(
      n, [=](std::ptrdiff_t i) { sv[i] = xv[i] > kSoftplusThreshold ? Scalar(1) : sv[i]; });
  Var y = g.record("softplus", std::move(Y), {x});
  g.set_backward(y, [=](Graph& g) {  // dx += dy s
    const Scalar* dy = g.grad(y).data();
    const Scalar* s = S.data();
    Scalar* dx = g.grad(x).data();
    for_each_index_full_width(n, [=](std::ptrdiff_t i) { dx[i] += dy[i] * s[i]; });
  });
  g.set_tangent_rules(
      y,
      [=](Graph& g) {  // R{y} = s R{x}
        Tensor T = Tensor::uninitialized(S.shape());
        const Scalar* rx = g.tangent(x).data();
        const Scalar* s = S.data();
        Scalar* t = T.data();
        for_each_index_full_width(n, [=](std::ptrdiff_t i) { t[i] = s[i] * rx[i]; });
        return T;
      },
      [=](Graph& g) {  // R{dx} += R{dy} s + dy s (1 - s) R{x}
        const Scalar* dy = g.grad(y).data();
        const Scalar* rdy = g.grad_tangent(y).data();
        const Scalar* rx = g.tangent(x).data();
        const Scalar* s = S.data();
        Scalar* rdx = g.grad_tangent(x).data();
        for_each_index_full_width(n, [=](std::ptrdiff_t i) {
          rdx[i] += rdy[i] * s[i] + dy[i] * (s[i] * (Scalar(1) - s[i])) * rx[i];
        });
      });
  return y;
}

// PyTorch's Softplus(beta, threshold), for described models (docs/algorithms.md §2.7):
//   y = log(1 + e^(beta x)) / beta (beta x <= threshold),  y = x (beta x > threshold);
//   dy/dx = s = e^(beta x) / (1 + e^(beta x)) resp. 1;  d2y/dx2 = beta s (1 - s) resp. 0.
// beta = 1, threshold = 20 is the op above (its own loops, bit for bit as before).
Var softplus(Graph& g, Var x, double beta, double threshold) {
  if (!(beta > 0) || std::isnan(threshold))
    throw Error("softplus: beta must be positive and threshold a number, got beta " + std::to_string(beta) +
                ", threshold " + std::to_string(threshold));
  if (beta == 1 && threshold == double(kSoftplusThreshold)) return softplus(g, x);
  const Scalar b = Scalar(beta), t = Scalar(threshold);  // PyTorch casts both to the tensor's type
  return pointwise(
      g, "softplus", x, [=](Scalar v) { return v * b > t ? v : std::log1p(std::exp(v * b)) / b; },
      [=](Scalar v, Scalar) {
        const Scalar z = std::exp(v * b);
        return v * b > t ? Scalar(1) : z / (z + Scalar(1));
      },
      [=](Scalar v, Scalar) {
        const Scalar z = std::exp(v * b), s = z / (z + Scalar(1));
        return v * b > t ? Scalar(0) : b * s * (Scalar(1) - s);
      });
}

Var relu(Graph& g, Var x) {
  // y = max(x, 0),  dy/dx = [x > 0],  d2y/dx2 = 0 (away from the kink, where it is undefined)
  return pointwise(
      g, "relu", x, [](Scalar v) { return v > Scalar(0) ? v : Scalar(0); },
      [](Scalar v, Scalar) { return v > Scalar(0) ? Scalar(1) : Scalar(0); },
      [](Scalar, Scalar) { return Scalar(0); });
}

// PyTorch's LeakyReLU(negative_slope) (docs/algorithms.md §2.7): y = x (x > 0), slope x (x <= 0);
// dy/dx = 1 resp. slope (slope at the kink, as PyTorch's backward), d2y/dx2 = 0.
Var leaky_relu(Graph& g, Var x, double negative_slope) {
  const Scalar a = Scalar(negative_slope);  // PyTorch casts it to the tensor's type
  return pointwise(
      g, "leaky_relu", x, [=](Scalar v) { return v > Scalar(0) ? v : v * a; },
      [=](Scalar v, Scalar) { return v > Scalar(0) ? Scalar(1) : a; },
      [](Scalar, Scalar) { return Scalar(0); });
}

// PyTorch's GELU (docs/algorithms.md §2.7), Phi the standard normal distribution function and
// phi = Phi' its density, phi(x) = e^(-x^2/2) / sqrt(2 pi):
//   exact:  y = x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)),
//           dy/dx = Phi(x) + x phi(x),  d2y/dx2 = (2 - x^2) phi(x);
//   tanh:   y = 0.5 x (1 + tanh u),  u = sqrt(2/pi) (x + 0.044715 x^3),  T = tanh u,
//           dy/dx = 0.5 (1 + T) + 0.5 x (1 - T^2) u',  u' = sqrt(2/pi) (1 + 3 0.044715 x^2),
//           d2y/dx2 = (1 - T^2) (u' - x T u'^2 + 0.5 x u''),  u'' = sqrt(2/pi) 6 0.044715 x.
Var gelu(Graph& g, Var x, GeluApproximation approximate) {
  const Scalar half = Scalar(0.5), one = Scalar(1);
  const Scalar inv_sqrt2 = Scalar(0.70710678118654752440);     // 1 / sqrt 2
  const Scalar inv_sqrt_2pi = Scalar(0.39894228040143267794);  // 1 / sqrt(2 pi)
  if (approximate == GeluApproximation::None)
    return pointwise(
        g, "gelu", x, [=](Scalar v) { return v * half * (one + std::erf(v * inv_sqrt2)); },
        [=](Scalar v, Scalar) {
          const Scalar cdf = half * (one + std::erf(v * inv_sqrt2));
          const Scalar pdf = std::exp(-half * v * v) * inv_sqrt_2pi;
          return cdf + v * pdf;
        },
        [=](Scalar v, Scalar) { return (Scalar(2) - v * v) * (std::exp(-half * v * v) * inv_sqrt_2pi); });
  const Scalar beta = Scalar(0.79788456080286535588);  // sqrt(2 / pi)
  const Scalar kappa = Scalar(0.044715);
  return pointwise(
      g, "gelu", x, [=](Scalar v) { return half * v * (one + std::tanh(beta * (v + kappa * (v * v * v)))); },
      [=](Scalar v, Scalar) {
        const Scalar T = std::tanh(beta * (v + kappa * (v * v * v)));
        const Scalar du = beta * (one + Scalar(3) * kappa * v * v);
        return half * (one + T) + half * v * (one - T * T) * du;
      },
      [=](Scalar v, Scalar) {
        const Scalar T = std::tanh(beta * (v + kappa * (v * v * v)));
        const Scalar du = beta * (one + Scalar(3) * kappa * v * v);
        const Scalar d2u = beta * Scalar(6) * kappa * v;
        return (one - T * T) * (du - v * T * du * du + half * v * d2u);
      });
}

}  // namespace landscape
