// Element-wise sum and product of two tensors of the same shape, with their tangent rules
// (graph.hpp): the sum is linear, the product bilinear.
#include "autodiff/elementwise.hpp"
#include "autodiff/ops.hpp"
#include "core/error.hpp"

namespace landscape {

namespace {
void require_same_shape(const char* op, const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape())
    throw Error(std::string(op) + ": shapes " + shape_string(a.shape()) + " and " + shape_string(b.shape()) +
                " differ");
}

// into[i] += from[i]
void add_into(Tensor& into, const Tensor& from) {
  Scalar* d = into.data();
  const Scalar* s = from.data();
  for_each_index(into.size(), [=](std::ptrdiff_t i) { d[i] += s[i]; });
}

// into[i] += a[i] * b[i]
void add_product_into(Tensor& into, const Tensor& a, const Tensor& b) {
  Scalar* d = into.data();
  const Scalar *ap = a.data(), *bp = b.data();
  for_each_index(into.size(), [=](std::ptrdiff_t i) { d[i] += ap[i] * bp[i]; });
}

// The forward of both ops: y[i] = op(a[i], b[i]) for a and b of one shape, recorded as `name`.
template <class Op>
Var record_elementwise(Graph& g, const char* name, Var a, Var b, Op op) {
  const Tensor& A = g.value(a);
  const Tensor& B = g.value(b);
  require_same_shape(name, A, B);
  Tensor Y = Tensor::uninitialized(A.shape());
  const Scalar *ap = A.data(), *bp = B.data();
  Scalar* yp = Y.data();
  for_each_index(Y.size(), [=](std::ptrdiff_t i) { yp[i] = op(ap[i], bp[i]); });
  return g.record(name, std::move(Y), {a, b});
}
}  // namespace

Var add(Graph& g, Var a, Var b) {
  Var y = record_elementwise(g, "add", a, b, [](Scalar u, Scalar v) { return u + v; });
  g.set_backward(y, [=](Graph& g) {
    // y = a + b  =>  da = dy, db = dy
    for (Var in : {a, b})
      if (g.requires_grad(in)) add_into(g.grad(in), g.grad(y));
  });
  g.set_tangent_rules(
      y,
      [=](Graph& g) {  // R{y} = R{a} + R{b}
        Tensor T(g.value(y).shape());
        for (Var in : {a, b})
          if (g.requires_grad(in)) add_into(T, g.tangent(in));
        return T;
      },
      [=](Graph& g) {  // R{da} = R{db} = R{dy}
        for (Var in : {a, b})
          if (g.requires_grad(in)) add_into(g.grad_tangent(in), g.grad_tangent(y));
      });
  return y;
}

Var mul(Graph& g, Var a, Var b) {
  Var y = record_elementwise(g, "mul", a, b, [](Scalar u, Scalar v) { return u * v; });
  g.set_backward(y, [=](Graph& g) {
    // y = a * b  =>  da = dy * b, db = dy * a
    if (g.requires_grad(a)) add_product_into(g.grad(a), g.grad(y), g.value(b));
    if (g.requires_grad(b)) add_product_into(g.grad(b), g.grad(y), g.value(a));
  });
  g.set_tangent_rules(
      y,
      [=](Graph& g) {  // R{y} = R{a} * b + a * R{b}
        Tensor T(g.value(y).shape());
        if (g.requires_grad(a)) add_product_into(T, g.tangent(a), g.value(b));
        if (g.requires_grad(b)) add_product_into(T, g.value(a), g.tangent(b));
        return T;
      },
      [=](Graph& g) {
        // da = dy * b  =>  R{da} += R{dy} * b + dy * R{b}   (and the same with a, b swapped)
        const Tensor& dy = g.grad(y);
        const Tensor& rdy = g.grad_tangent(y);
        if (g.requires_grad(a)) {
          add_product_into(g.grad_tangent(a), rdy, g.value(b));
          if (g.requires_grad(b)) add_product_into(g.grad_tangent(a), dy, g.tangent(b));
        }
        if (g.requires_grad(b)) {
          add_product_into(g.grad_tangent(b), rdy, g.value(a));
          if (g.requires_grad(a)) add_product_into(g.grad_tangent(b), dy, g.tangent(a));
        }
      });
  return y;
}

}  // namespace landscape
