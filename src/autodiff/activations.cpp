// Point-wise activations. Each backward uses the saved output where that is exact and cheaper.
// Tangent rules (graph.hpp) from the first and second derivatives:
//   R{y} = f'(x) R{x},    dx += dy f'(x)  =>  R{dx} += R{dy} f'(x) + dy f''(x) R{x}
#include <cmath>

#include "autodiff/elementwise.hpp"
#include "autodiff/ops.hpp"
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

Var softplus(Graph& g, Var x) {
  // y = log(1 + e^x) (x <= 20), y = x (x > 20);  dy/dx = s = e^x / (1 + e^x) resp. 1;
  // d2y/dx2 = s (1 - s) resp. 0 (the linear branch is what PyTorch differentiates, too)
  return pointwise(
      g, "softplus", x,
      [](Scalar v) { return v > kSoftplusThreshold ? v : std::log1p(std::exp(v)); },
      [](Scalar v, Scalar) {
        if (v > kSoftplusThreshold) return Scalar(1);
        const Scalar z = std::exp(v);
        return z / (z + Scalar(1));
      },
      [](Scalar v, Scalar) {
        if (v > kSoftplusThreshold) return Scalar(0);
        const Scalar z = std::exp(v);
        const Scalar s = z / (z + Scalar(1));
        return s * (Scalar(1) - s);
      });
}

Var relu(Graph& g, Var x) {
  // y = max(x, 0),  dy/dx = [x > 0],  d2y/dx2 = 0 (away from the kink, where it is undefined)
  return pointwise(
      g, "relu", x, [](Scalar v) { return v > Scalar(0) ? v : Scalar(0); },
      [](Scalar v, Scalar) { return v > Scalar(0) ? Scalar(1) : Scalar(0); },
      [](Scalar, Scalar) { return Scalar(0); });
}

}  // namespace landscape
