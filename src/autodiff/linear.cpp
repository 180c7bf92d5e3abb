// Fully connected layer, PyTorch's nn.Linear convention: weight [O,I], y = x w^T.
#include <algorithm>
#include <vector>

#include "autodiff/ops.hpp"
#include "core/blas.hpp"
#include "core/error.hpp"

namespace landscape {

using blas::Trans;

namespace {
// y = x w^T (+ b, nullptr: none). With a bias, y starts as copies of b and the product is added
// into it (one pass fewer than a separate add_bias); db is the column sum of dy.
Var linear_with_optional_bias(Graph& g, Var x, Var w, const Var* b) {
  const Tensor& X = g.value(x);  // [N,I]
  const Tensor& W = g.value(w);  // [O,I]
  if (X.rank() != 2 || W.rank() != 2 || X.dim(1) != W.dim(1))
    throw Error("linear: input " + shape_string(X.shape()) + " does not fit weight " +
                shape_string(W.shape()));
  if (b && (g.value(*b).rank() != 1 || g.value(*b).dim(0) != W.dim(0)))
    throw Error("linear: bias " + shape_string(g.value(*b).shape()) + " for weight " +
                shape_string(W.shape()));
  const int N = X.dim(0), I = X.dim(1), O = W.dim(0);
  Tensor Y = Tensor::uninitialized({N, O});
  if (b) {
    const Scalar* bias = g.value(*b).data();
    for (int n = 0; n < N; ++n) std::copy(bias, bias + O, Y.data() + size_t(n) * O);
  }
  blas::gemm(Trans::No, Trans::Yes, N, O, I, Scalar(1), X.data(), I, W.data(), I,
             Scalar(b ? 1 : 0), Y.data(), O);
  std::vector<Var> inputs = {x, w};
  if (b) inputs.push_back(*b);
  Var y = g.record(std::move(Y), inputs);
  const Var bv = b ? *b : Var{};
  g.set_backward(y, [=](Graph& g) {
    const Tensor& dY = g.grad(y);  // [N,O]
    // y = x w^T + b  =>  dx = dy w,  dw += dy^T x,  db += sum over n of dy[n, :]
    if (g.requires_grad(x))
      blas::gemm(Trans::No, Trans::No, N, I, O, Scalar(1), dY.data(), O, g.value(w).data(), I,
                 Scalar(1), g.grad(x).data(), I);
    if (g.requires_grad(w))
      blas::gemm(Trans::Yes, Trans::No, O, I, N, Scalar(1), dY.data(), O, g.value(x).data(), I,
                 Scalar(1), g.grad(w).data(), I);
    if (bv.id >= 0 && g.requires_grad(bv)) {
      Scalar* db = g.grad(bv).data();
      for (int n = 0; n < N; ++n) {
        const Scalar* row = dY.data() + size_t(n) * O;
#pragma omp simd
        for (int o = 0; o < O; ++o) db[o] += row[o];
      }
    }
  });
  return y;
}
}  // namespace

Var linear(Graph& g, Var x, Var w) { return linear_with_optional_bias(g, x, w, nullptr); }

Var linear(Graph& g, Var x, Var w, Var b) { return linear_with_optional_bias(g, x, w, &b); }

Var add_bias(Graph& g, Var x, Var b) {
  const Tensor& X = g.value(x);  // [N,F,S...]
  const Tensor& B = g.value(b);  // [F]
  if (X.rank() < 2 || B.rank() != 1 || X.dim(1) != B.dim(0))
    throw Error("add_bias: input " + shape_string(X.shape()) + " does not fit bias " +
                shape_string(B.shape()));
  const int N = X.dim(0), F = X.dim(1);
  const int S = static_cast<int>(X.size() / (size_t(N) * F));  // spatial size, 1 for [N,F]
  Tensor Y = X.clone();
  for (int n = 0; n < N; ++n)
    for (int f = 0; f < F; ++f) {
      Scalar* row = Y.data() + (size_t(n) * F + f) * S;
      for (int s = 0; s < S; ++s) row[s] += B[f];
    }
  Var y = g.record(std::move(Y), {x, b});
  g.set_backward(y, [=](Graph& g) {
    const Tensor& dY = g.grad(y);
    // y = x + b[f]  =>  dx = dy,  db[f] += sum over n and s of dy[n,f,s]
    if (g.requires_grad(x)) {
      Tensor& dX = g.grad(x);
      for (size_t i = 0; i < dY.size(); ++i) dX[i] += dY[i];
    }
    if (g.requires_grad(b)) {
      Tensor& dB = g.grad(b);
      for (int n = 0; n < N; ++n)
        for (int f = 0; f < F; ++f) {
          const Scalar* row = dY.data() + (size_t(n) * F + f) * S;
          Scalar sum = 0;
          for (int s = 0; s < S; ++s) sum += row[s];
          dB[f] += sum;
        }
    }
  });
  return y;
}

}  // namespace landscape
