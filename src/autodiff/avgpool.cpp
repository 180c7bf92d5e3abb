// Average pooling: 2x2 windows with stride 2 (avgpool2, LeNet's subsampling layers) and any
// window (avgpool2d, described models). Linear, so its tangent rules (graph.hpp) are the op
// itself: R{y} = pool(R{x}), R{dx} = the backward applied to R{dy}.
#include "autodiff/ops.hpp"
#include "autodiff/pool2d_shape.hpp"
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

// Average pooling with any window, PyTorch's AvgPool2d(kernel, stride, padding) with its
// defaults count_include_pad=True and floor mode, for described models (docs/algorithms.md
// §2.7; the windows: pool2d_shape.hpp). The padding counts as zeros in the mean:
//   y[n,c,oh,ow] = (sum of x over the window's pixels inside the plane) / k^2,
// the sum taken row by row and then divided, as PyTorch's CPU kernel does. Linear, so its rules
// are the op itself and its adjoint, dx[window] += dy / k^2 (PyTorch's backward, term for term).
// kernel 2, stride 2, padding 0 on even H and W is avgpool2 above (the same values: its four
// terms are added in the same order, and 0.25 * sum is sum / 4 exactly).
Var avgpool2d(Graph& g, Var x, int kernel, int stride, int padding) {
  const Tensor& X = g.value(x);  // [N,C,H,W]
  const Pool2dShape s = pool2d_shape("avgpool2d", X, kernel, stride, padding);
  if (kernel == 2 && stride == 2 && padding == 0 && s.H % 2 == 0 && s.W % 2 == 0) return avgpool2(g, x);
  const int H = s.H, W = s.W, Ho = s.Ho(), Wo = s.Wo();
  const size_t planes = size_t(s.N) * s.C;
  const Scalar count = Scalar(kernel * kernel);
  auto pool = [=](const Tensor& X) {
    Tensor Y = Tensor::uninitialized({s.N, s.C, Ho, Wo});
    for (size_t p = 0; p < planes; ++p) {
      const Scalar* in = X.data() + p * H * W;
      Scalar* out = Y.data() + p * Ho * Wo;
      for (int oh = 0; oh < Ho; ++oh)
        for (int ow = 0; ow < Wo; ++ow) {
          const int h0 = s.begin(oh), h1 = s.end(oh, H), w0 = s.begin(ow), w1 = s.end(ow, W);
          Scalar sum = 0;
          for (int ih = h0; ih < h1; ++ih)
            for (int iw = w0; iw < w1; ++iw) sum += in[ih * W + iw];
          out[oh * Wo + ow] = sum / count;
        }
    }
    return Y;
  };
  Var y = g.record("avgpool2d", pool(X), {x});
  // each output spreads dy / k^2 over its window's pixels inside the plane
  auto adjoint = [=](const Tensor& dY, Tensor& dX) {
    for (size_t p = 0; p < planes; ++p) {
      const Scalar* dout = dY.data() + p * Ho * Wo;
      Scalar* din = dX.data() + p * H * W;
      for (int oh = 0; oh < Ho; ++oh)
        for (int ow = 0; ow < Wo; ++ow) {
          const int h0 = s.begin(oh), h1 = s.end(oh, H), w0 = s.begin(ow), w1 = s.end(ow, W);
          const Scalar d = dout[oh * Wo + ow] / count;
          for (int ih = h0; ih < h1; ++ih)
            for (int iw = w0; iw < w1; ++iw) din[ih * W + iw] += d;
        }
    }
  };
  g.set_linear_rules(y, x, pool, adjoint);
  return y;
}

}  // namespace landscape
