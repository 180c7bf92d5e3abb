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
  auto pool = [=](const Tensor& X) {
    Tensor Y = Tensor::uninitialized({N, C, Ho, Wo});
    for (size_t p = 0; p < planes; ++p) {
      const Scalar* in = X.data() + p * H * W;
      Scalar* out = Y.data() + p * Ho * Wo;
      for (int i = 0; i < Ho; ++i)
        for (int j = 0; j < Wo; ++j) {
          const Scalar* a = in + (2 * i) * W + 2 * j;
          out[i * Wo + j] = Scalar(0.25) * (a[0] + a[1] + a[W] + a[W + 1]);
        }
    }
    return Y;
  };
  Var y = g.record("avgpool2", pool(X), {x});
  // each input pixel feeds one output with weight 1/4  =>  dx = dy[window] / 4
  auto adjoint = [=](const Tensor& dY, Tensor& dX) {
    for (size_t p = 0; p < planes; ++p) {
      const Scalar* dout = dY.data() + p * Ho * Wo;
      Scalar* din = dX.data() + p * H * W;
      for (int i = 0; i < Ho; ++i)
        for (int j = 0; j < Wo; ++j) {
          const Scalar d = Scalar(0.25) * dout[i * Wo + j];
          Scalar* a = din + (2 * i) * W + 2 * j;
          a[0] += d;
          a[1] += d;
          a[W] += d;
          a[W + 1] += d;
        }
    }
  };
  g.set_linear_rules(y, x, pool, adjoint);
  return y;
}

}  // namespace landscape
