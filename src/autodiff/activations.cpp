// Point-wise activations. Each backward uses the saved output where that is exact and cheaper.
// Tangent rules (graph.hpp) from the first and second derivatives:
//   R{y} = f'(x) R{x},    dx += dy f'(x)  =>  R{dx} += R{dy} f'(x) + dy f''(x) R{x}
#include <cmath>

#include "autodiff/elementwise.hpp"
#include "autodiff/ops.hpp"
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
    for_each_index(g.value(y).size(),
                   [=](std::ptrdiff_t i) { dx[i] += dy[i] * dfdx(xv[i], yv[i]); });
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
      g, "tanh", x, [](Scalar v) { return std::tanh(v); },
      [](Scalar, Scalar y) { return Scalar(1) - y * y; },
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
  for_each_index_full_width(n, [=](std::ptrdiff_t i) {
    sv[i] = xv[i] > kSoftplusThreshold ? Scalar(1) : sv[i];
  });
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

Var relu(Graph& g, Var x) {
  // y = max(x, 0),  dy/dx = [x > 0],  d2y/dx2 = 0 (away from the kink, where it is undefined)
  return pointwise(
      g, "relu", x, [](Scalar v) { return v > Scalar(0) ? v : Scalar(0); },
      [](Scalar v, Scalar) { return v > Scalar(0) ? Scalar(1) : Scalar(0); },
      [](Scalar, Scalar) { return Scalar(0); });
}

}  // namespace landscape
