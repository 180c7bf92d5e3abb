// 2x2 average pooling with stride 2 (LeNet's subsampling layers). Linear, so its tangent rules
// (graph.hpp) are the op itself: R{y} = pool(R{x}), R{dx} = the backward applied to R{dy}.
#include "autodiff/ops.hpp"
#include "core/error.hpp"

namespace landscape {

Var avgpool2(Graph& g, Var x) {
  const Tensor& X = g.value(x);  // [N,C,H,W]
  if (X.rank() != 4 || X.dim(2) % 2 || X.dim(3) % 2)
    throw Error("avgpool2: needs [N,C,H,W] with even H and W, got " + shape_string(X.shape()));
  const int N = X.dim(0), C = X.dim(1), H = X.dim(2), W = X.dim(3), Ho = H / 2, Wo = W / 2;
  const size_t planes = size_t(N) * C;
  // A row of outputs at a time from the two input rows it averages, as one vector loop (the
  // window at a time, one output per step, took 1.5 times as long: bench/README.md, "LeNet on
  // AVX-512"). The sum of a window is added in the same order as before.
  auto pool = [=](const Tensor& X) {
    Tensor Y = Tensor::uninitialized({N, C, Ho, Wo});
    for (size_t p = 0; p < planes; ++p)
      for (int i = 0; i < Ho; ++i) {
        const Scalar* a = X.data() + (p * H + 2 * i) * W;  // input rows 2i and 2i+1
        const Scalar* b = a + W;
        Scalar* out = Y.data() + (p * Ho + i) * Wo;
#pragma omp simd
        for (int j = 0; j < Wo; ++j)
          out[j] = Scalar(0.25) * (a[2 * j] + a[2 * j + 1] + b[2 * j] + b[2 * j + 1]);
      }
    return Y;
  };
  Var y = g.record("avgpool2", pool(X), {x});
  // each input pixel feeds one output with weight 1/4  =>  dx = dy[window] / 4
  auto adjoint = [=](const Tensor& dY, Tensor& dX) {
    for (size_t p = 0; p < planes; ++p)
      for (int i = 0; i < Ho; ++i) {
        const Scalar* dout = dY.data() + (p * Ho + i) * Wo;
        Scalar* a = dX.data() + (p * H + 2 * i) * W;  // input rows 2i and 2i+1
        Scalar* b = a + W;
#pragma omp simd
        for (int j = 0; j < Wo; ++j) {
          const Scalar d = Scalar(0.25) * dout[j];
          a[2 * j] += d;
          a[2 * j + 1] += d;
          b[2 * j] += d;
          b[2 * j + 1] += d;
        }
      }
  };
  g.set_linear_rules(y, x, pool, adjoint);
  return y;
}

}  // namespace landscape
