// 2-D max pooling, PyTorch's MaxPool2d(kernel, stride, padding) in floor mode, for described
// models (docs/algorithms.md §2.7; the windows: pool2d_shape.hpp):
//   y[n,c,oh,ow] = x[n,c,a(oh,ow)],   a(oh,ow) = the arg-max of x over the window,
// the padding being -inf (so it never wins). As PyTorch's CPU kernel, a value wins when it is
// greater than the maximum so far or NaN, scanning the window row by row: of equal values the
// first takes the gradient, and a NaN in the window is the output. With the arg-max held fixed
// y is linear in x (a gather), so dy/dx is 0 or 1 and d2y/dx2 = 0, and the rules (graph.hpp) are
//   dx[a] += dy,   R{y} = R{x}[a],   R{dx}[a] += R{dy}.
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "autodiff/ops.hpp"
#include "autodiff/pool2d_shape.hpp"

namespace landscape {

Var maxpool2d(Graph& g, Var x, int kernel, int stride, int padding) {
  const Tensor& X = g.value(x);  // [N,C,H,W]
  const Pool2dShape s = pool2d_shape("maxpool2d", X, kernel, stride, padding);
  const int H = s.H, W = s.W, Ho = s.Ho(), Wo = s.Wo();
  const size_t planes = size_t(s.N) * s.C;
  // a [N,C,Ho,Wo]: the arg-max of each window, as ih W + iw within its plane
  auto argmax = std::make_shared<std::vector<int>>(planes * Ho * Wo);
  Tensor Y = Tensor::uninitialized({s.N, s.C, Ho, Wo});
  for (size_t p = 0; p < planes; ++p) {
    const Scalar* in = X.data() + p * H * W;
    int* a = argmax->data() + p * Ho * Wo;
    Scalar* out = Y.data() + p * Ho * Wo;
    for (int oh = 0; oh < Ho; ++oh)
      for (int ow = 0; ow < Wo; ++ow) {
        const int h0 = s.begin(oh), h1 = s.end(oh, H), w0 = s.begin(ow), w1 = s.end(ow, W);
        int best = h0 * W + w0;
        Scalar max = -std::numeric_limits<Scalar>::infinity();
        for (int ih = h0; ih < h1; ++ih)
          for (int iw = w0; iw < w1; ++iw) {
            const Scalar v = in[ih * W + iw];
            if (v > max || std::isnan(v)) {  // PyTorch's rule: the first maximum, or a NaN
              max = v;
              best = ih * W + iw;
            }
          }
        a[oh * Wo + ow] = best;
        out[oh * Wo + ow] = max;
      }
  }
  Var y = g.record("maxpool2d", std::move(Y), {x});
  const Shape out_shape{s.N, s.C, Ho, Wo};
  const size_t in_plane = size_t(H) * W, out_plane = size_t(Ho) * Wo;
  // y = x[a]  (R{y} = R{x}[a])
  auto gather = [=](const Tensor& T) {
    Tensor R = Tensor::uninitialized(out_shape);
    for (size_t p = 0; p < planes; ++p) {
      const Scalar* in = T.data() + p * in_plane;
      const int* a = argmax->data() + p * out_plane;
      Scalar* out = R.data() + p * out_plane;
      for (size_t o = 0; o < out_plane; ++o) out[o] = in[a[o]];
    }
    return R;
  };
  // dx[a] += dy  (and R{dx}[a] += R{dy})
  auto scatter = [=](const Tensor& dY, Tensor& dX) {
    for (size_t p = 0; p < planes; ++p) {
      const Scalar* dout = dY.data() + p * out_plane;
      const int* a = argmax->data() + p * out_plane;
      Scalar* din = dX.data() + p * in_plane;
      for (size_t o = 0; o < out_plane; ++o) din[a[o]] += dout[o];
    }
  };
  g.set_linear_rules(y, x, gather, scatter);
  return y;
}

}  // namespace landscape
