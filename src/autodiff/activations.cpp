// Point-wise activations. Each backward uses the saved output where that is exact and cheaper.
#include <cmath>

#include "autodiff/elementwise.hpp"
#include "autodiff/ops.hpp"
#include "core/vector_math.hpp"

namespace landscape {

namespace {
// Applies f to every element of x and records the result; backward multiplies dy by
// dfdx(x_i, y_i), the derivative written in terms of the input and the output.
template <class F, class DFDX>
Var pointwise(Graph& g, Var x, F f, DFDX dfdx) {
  const Tensor& X = g.value(x);
  Tensor Y = Tensor::uninitialized(X.shape());
  const Scalar* xp = X.data();
  Scalar* yp = Y.data();
  for_each_index(X.size(), [=](std::ptrdiff_t i) { yp[i] = f(xp[i]); });
  Var y = g.record(std::move(Y), {x});
  g.set_backward(y, [=](Graph& g) {
    const Scalar* dy = g.grad(y).data();
    const Scalar* xv = g.value(x).data();
    const Scalar* yv = g.value(y).data();
    Scalar* dx = g.grad(x).data();
    for_each_index(g.value(y).size(),
                   [=](std::ptrdiff_t i) { dx[i] += dy[i] * dfdx(xv[i], yv[i]); });
  });
  return y;
}
}  // namespace

Var sigmoid(Graph& g, Var x) {
  // y = 1 / (1 + e^-x),  dy/dx = y (1 - y)
  return pointwise(
      g, x, [](Scalar v) { return Scalar(1) / (Scalar(1) + std::exp(-v)); },
      [](Scalar, Scalar y) { return y * (Scalar(1) - y); });
}

Var tanh(Graph& g, Var x) {
  // y = tanh x,  dy/dx = 1 - y^2
  return pointwise(
      g, x, [](Scalar v) { return std::tanh(v); },
      [](Scalar, Scalar y) { return Scalar(1) - y * y; });
}

// PyTorch's Softplus(beta=1, threshold=20): the linear branch above the threshold keeps the
// published models' values bit-compatible (NOTES section 2).
inline constexpr Scalar kSoftplusThreshold = 20;

Var softplus(Graph& g, Var x) {
  // y = log(1 + e^x) (x <= 20), y = x (x > 20);  dy/dx = e^x / (1 + e^x) resp. 1
  return pointwise(
      g, x,
      [](Scalar v) { return v > kSoftplusThreshold ? v : std::log1p(std::exp(v)); },
      [](Scalar v, Scalar) {
        if (v > kSoftplusThreshold) return Scalar(1);
        const Scalar z = std::exp(v);
        return z / (z + Scalar(1));
      });
}

Var relu(Graph& g, Var x) {
  // y = max(x, 0),  dy/dx = [x > 0]
  return pointwise(
      g, x, [](Scalar v) { return v > Scalar(0) ? v : Scalar(0); },
      [](Scalar v, Scalar) { return v > Scalar(0) ? Scalar(1) : Scalar(0); });
}

}  // namespace landscape
