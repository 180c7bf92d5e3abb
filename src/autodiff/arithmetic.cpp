// Element-wise sum and product of two tensors of the same shape.
#include "autodiff/elementwise.hpp"
#include "autodiff/ops.hpp"
#include "core/error.hpp"

namespace landscape {

namespace {
void require_same_shape(const char* op, const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape())
    throw Error(std::string(op) + ": shapes " + shape_string(a.shape()) + " and " +
                shape_string(b.shape()) + " differ");
}
}  // namespace

Var add(Graph& g, Var a, Var b) {
  const Tensor& A = g.value(a);
  const Tensor& B = g.value(b);
  require_same_shape("add", A, B);
  Tensor Y = Tensor::uninitialized(A.shape());
  for_each_index(Y.size(), [&](std::ptrdiff_t i) { Y[i] = A[i] + B[i]; });
  Var y = g.record(std::move(Y), {a, b});
  g.set_backward(y, [=](Graph& g) {
    const Tensor& dY = g.grad(y);
    // y = a + b  =>  da = dy, db = dy
    for (Var in : {a, b})
      if (g.requires_grad(in)) {
        Tensor& dIn = g.grad(in);
        for_each_index(dY.size(), [&](std::ptrdiff_t i) { dIn[i] += dY[i]; });
      }
  });
  return y;
}

Var mul(Graph& g, Var a, Var b) {
  const Tensor& A = g.value(a);
  const Tensor& B = g.value(b);
  require_same_shape("mul", A, B);
  Tensor Y = Tensor::uninitialized(A.shape());
  for_each_index(Y.size(), [&](std::ptrdiff_t i) { Y[i] = A[i] * B[i]; });
  Var y = g.record(std::move(Y), {a, b});
  g.set_backward(y, [=](Graph& g) {
    const Tensor& dY = g.grad(y);
    // y = a * b  =>  da = dy * b, db = dy * a
    if (g.requires_grad(a)) {
      Tensor& dA = g.grad(a);
      const Tensor& B = g.value(b);
      for_each_index(dY.size(), [&](std::ptrdiff_t i) { dA[i] += dY[i] * B[i]; });
    }
    if (g.requires_grad(b)) {
      Tensor& dB = g.grad(b);
      const Tensor& A = g.value(a);
      for_each_index(dY.size(), [&](std::ptrdiff_t i) { dB[i] += dY[i] * A[i]; });
    }
  });
  return y;
}

}  // namespace landscape
