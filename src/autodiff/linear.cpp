// Fully connected layer, PyTorch's nn.Linear convention: weight [O,I], y = x w^T.
#include "autodiff/ops.hpp"
#include "core/blas.hpp"
#include "core/error.hpp"

namespace landscape {

using blas::Trans;

Var linear(Graph& g, Var x, Var w) {
  const Tensor& X = g.value(x);  // [N,I]
  const Tensor& W = g.value(w);  // [O,I]
  if (X.rank() != 2 || W.rank() != 2 || X.dim(1) != W.dim(1))
    throw Error("linear: input " + shape_string(X.shape()) + " does not fit weight " +
                shape_string(W.shape()));
  const int N = X.dim(0), I = X.dim(1), O = W.dim(0);
  Tensor Y = Tensor::uninitialized({N, O});
  blas::gemm(Trans::No, Trans::Yes, N, O, I, Scalar(1), X.data(), I, W.data(), I, Scalar(0),
             Y.data(), O);
  Var y = g.record(std::move(Y), {x, w});
  g.set_backward(y, [=](Graph& g) {
    const Tensor& dY = g.grad(y);  // [N,O]
    // y = x w^T  =>  dx = dy w,  dw += dy^T x
    if (g.requires_grad(x))
      blas::gemm(Trans::No, Trans::No, N, I, O, Scalar(1), dY.data(), O, g.value(w).data(), I,
                 Scalar(1), g.grad(x).data(), I);
    if (g.requires_grad(w))
      blas::gemm(Trans::Yes, Trans::No, O, I, N, Scalar(1), dY.data(), O, g.value(x).data(), I,
                 Scalar(1), g.grad(w).data(), I);
  });
  return y;
}

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
