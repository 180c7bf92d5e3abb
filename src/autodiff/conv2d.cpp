// 2-D convolution (cross-correlation, as PyTorch), stride s (1 unless given), zero padding:
//   y[n,f,oh,ow] = sum_{c,kh,kw} w[f,c,kh,kw] x[n, c, oh s+kh-p, ow s+kw-p]  (+ b[f], PyTorch's bias)
// with x 0 outside the image, y [N,F,(H+2p-k)/s+1,(W+2p-k)/s+1] (floor, as PyTorch; strides
// other than 1 for described models: docs/algorithms.md §2.7). The three products (forward, and
// its adjoints in w and in x) are computed by conv2d_kernels.hpp's functions: at stride 1
// directly on the images (why: bench/README.md, "LeNet on AVX-512"), otherwise through patch
// matrices; this file states the op's rules, which are the same for every stride.
#include <string>
#include <vector>

#include "autodiff/conv2d_kernels.hpp"
#include "autodiff/ops.hpp"
#include "core/error.hpp"

namespace landscape {

namespace {
using conv::ConvShape;

// y [N,F,Ho,Wo] += b[f] at every pixel of channel f.
void add_bias(const ConvShape& s, const Scalar* b, Scalar* y) {
  const int P = s.Ho() * s.Wo();
  for (long plane = 0; plane < long(s.N) * s.F; ++plane) {
    const Scalar bf = b[plane % s.F];
    Scalar* dst = y + plane * P;
#pragma omp simd
    for (int p = 0; p < P; ++p) dst[p] += bf;
  }
}

// db [F] += sum of dy [N,F,Ho,Wo] over n and the pixels.
void add_bias_adjoint(const ConvShape& s, const Scalar* dy, Scalar* db) {
  const int P = s.Ho() * s.Wo();
  for (int f = 0; f < s.F; ++f) {
    Scalar sum = 0;
    for (int n = 0; n < s.N; ++n) {
      const Scalar* src = dy + (long(n) * s.F + f) * P;
      Scalar image_sum = 0;
#pragma omp simd reduction(+ : image_sum)
      for (int p = 0; p < P; ++p) image_sum += src[p];
      sum += image_sum;
    }
    db[f] += sum;
  }
}

// conv2d with an optional bias b [F] (nullptr: none).
// y is bilinear in (x, w), so its tangent rules (graph.hpp) are
//   R{y} = conv(R{x}, w) + conv(x, R{w}) + R{b},
// and the backward applied to R{dy}, plus once to dy with R{x} / R{w} in place of x / w:
//   R{dw} += corr(x, R{dy}) + corr(R{x}, dy),   R{dx} += conv^T(w, R{dy}) + conv^T(R{w}, dy).
Var conv2d_with_optional_bias(Graph& g, Var x, Var w, const Var* b, int padding, int stride) {
  const Tensor& X = g.value(x);   // [N,C,H,W]
  const Tensor& Wt = g.value(w);  // [F,C,k,k]
  if (X.rank() != 4 || Wt.rank() != 4 || X.dim(1) != Wt.dim(1) || Wt.dim(2) != Wt.dim(3) || padding < 0 ||
      stride < 1)
    throw Error("conv2d: input " + shape_string(X.shape()) + " does not fit weight " +
                shape_string(Wt.shape()) + " (padding " + std::to_string(padding) + ", stride " +
                std::to_string(stride) + ")");
  if (b && (g.value(*b).rank() != 1 || g.value(*b).dim(0) != Wt.dim(0)))
    throw Error("conv2d: bias " + shape_string(g.value(*b).shape()) + " for weight " +
                shape_string(Wt.shape()));
  const ConvShape s{X.dim(0), X.dim(1), X.dim(2), X.dim(3), Wt.dim(0), Wt.dim(2), padding, stride};
  if (s.H + 2 * padding < s.k || s.W + 2 * padding < s.k)
    throw Error("conv2d: kernel larger than the padded input");
  const Shape out_shape{s.N, s.F, s.Ho(), s.Wo()};

  Tensor Y = Tensor::uninitialized(out_shape);
  conv::forward(s, X.data(), Wt.data(), b ? g.value(*b).data() : nullptr, Y.data(), false);

  std::vector<Var> inputs = {x, w};
  if (b) inputs.push_back(*b);
  Var y = g.record("conv2d", std::move(Y), inputs);
  const Var bv = b ? *b : Var{};
  const bool has_b = b != nullptr;
  g.set_backward(y, [=](Graph& g) {
    const Scalar* dy = g.grad(y).data();
    // y = conv(x, w) + b  =>  db += sum of dy,  dw += corr(x, dy),  dx += conv^T(w, dy)
    if (has_b && g.requires_grad(bv)) add_bias_adjoint(s, dy, g.grad(bv).data());
    if (g.requires_grad(w)) conv::weight_adjoint(s, g.value(x).data(), dy, g.grad(w).data());
    if (g.requires_grad(x)) conv::input_adjoint(s, g.value(w).data(), dy, g.grad(x).data());
  });
  g.set_tangent_rules(
      y,
      [=](Graph& g) {  // R{y} = conv(R{x}, w) + conv(x, R{w}) + R{b}
        const bool rx = g.requires_grad(x), rw = g.requires_grad(w);
        const Scalar* rb = has_b && g.requires_grad(bv) ? g.tangent(bv).data() : nullptr;
        Tensor ry(out_shape);  // zero: each term is added
        if (rx) conv::forward(s, g.tangent(x).data(), g.value(w).data(), nullptr, ry.data(), true);
        if (rw) conv::forward(s, g.value(x).data(), g.tangent(w).data(), nullptr, ry.data(), true);
        if (rb) add_bias(s, rb, ry.data());
        return ry;
      },
      [=](Graph& g) {
        // db = sum of dy          =>  R{db} += sum of R{dy}
        // dw = corr(x, dy)        =>  R{dw} += corr(x, R{dy}) + corr(R{x}, dy)
        // dx = conv^T(w, dy)      =>  R{dx} += conv^T(w, R{dy}) + conv^T(R{w}, dy)
        const Scalar* rdy = g.grad_tangent(y).data();
        const Scalar* dy = g.grad(y).data();
        const bool rx = g.requires_grad(x), rw = g.requires_grad(w);
        if (has_b && g.requires_grad(bv)) add_bias_adjoint(s, rdy, g.grad_tangent(bv).data());
        if (rw) {
          Scalar* rdw = g.grad_tangent(w).data();
          conv::weight_adjoint(s, g.value(x).data(), rdy, rdw);
          if (rx) conv::weight_adjoint(s, g.tangent(x).data(), dy, rdw);
        }
        if (rx) {
          Scalar* rdx = g.grad_tangent(x).data();
          conv::input_adjoint(s, g.value(w).data(), rdy, rdx);
          if (rw) conv::input_adjoint(s, g.tangent(w).data(), dy, rdx);
        }
      });
  return y;
}
}  // namespace

Var conv2d(Graph& g, Var x, Var w, int padding) {
  return conv2d_with_optional_bias(g, x, w, nullptr, padding, 1);
}

Var conv2d(Graph& g, Var x, Var w, Var b, int padding) {
  return conv2d_with_optional_bias(g, x, w, &b, padding, 1);
}

Var conv2d(Graph& g, Var x, Var w, int padding, int stride) {
  return conv2d_with_optional_bias(g, x, w, nullptr, padding, stride);
}

Var conv2d(Graph& g, Var x, Var w, Var b, int padding, int stride) {
  return conv2d_with_optional_bias(g, x, w, &b, padding, stride);
}

}  // namespace landscape
