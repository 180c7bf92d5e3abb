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
  const Scalar *ap = A.data(), *bp = B.data();
  Scalar* yp = Y.data();
  for_each_index(Y.size(), [=](std::ptrdiff_t i) { yp[i] = ap[i] + bp[i]; });
  Var y = g.record(std::move(Y), {a, b});
  g.set_backward(y, [=](Graph& g) {
    const Scalar* dy = g.grad(y).data();
    // y = a + b  =>  da = dy, db = dy
    for (Var in : {a, b})
      if (g.requires_grad(in)) {
        Scalar* din = g.grad(in).data();
        for_each_index(g.value(y).size(), [=](std::ptrdiff_t i) { din[i] += dy[i]; });
      }
  });
  return y;
}

Var mul(Graph& g, Var a, Var b) {
  const Tensor& A = g.value(a);
  const Tensor& B = g.value(b);
  require_same_shape("mul", A, B);
  Tensor Y = Tensor::uninitialized(A.shape());
  const Scalar *ap = A.data(), *bp = B.data();
  Scalar* yp = Y.data();
  for_each_index(Y.size(), [=](std::ptrdiff_t i) { yp[i] = ap[i] * bp[i]; });
  Var y = g.record(std::move(Y), {a, b});
  g.set_backward(y, [=](Graph& g) {
    const Scalar* dy = g.grad(y).data();
    const std::ptrdiff_t n = g.value(y).size();
    // y = a * b  =>  da = dy * b, db = dy * a
    if (g.requires_grad(a)) {
      Scalar* da = g.grad(a).data();
      const Scalar* bv = g.value(b).data();
      for_each_index(n, [=](std::ptrdiff_t i) { da[i] += dy[i] * bv[i]; });
    }
    if (g.requires_grad(b)) {
      Scalar* db = g.grad(b).data();
      const Scalar* av = g.value(a).data();
      for_each_index(n, [=](std::ptrdiff_t i) { db[i] += dy[i] * av[i]; });
    }
  });
  return y;
}

}  // namespace landscape
