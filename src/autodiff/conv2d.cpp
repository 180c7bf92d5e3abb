// 2-D convolution (cross-correlation, as PyTorch), stride 1, zero padding, as im2col + gemm.
// The patch matrix is stored one row per kernel tap, so that building it copies contiguous runs
// of image rows and the whole batch is one matrix product:
//   cols[(c,kh,kw), (n,oh,ow)] = x[n, c, oh+kh-p, ow+kw-p]     (0 outside the image)
//   out[f, (n,oh,ow)]          = sum_j w[f, j] cols[j, (n,oh,ow)]
//   y[n, f, oh, ow]            = out[f, (n,oh,ow)] (+ b[f], PyTorch's bias, added in that move)
#include <algorithm>
#include <cstring>
#include <vector>

#include "autodiff/ops.hpp"
#include "core/blas.hpp"
#include "core/error.hpp"

namespace landscape {

using blas::Trans;

namespace {
struct ConvShape {
  int N, C, H, W, F, k, pad, Ho, Wo;
  int taps() const { return C * k * k; }        // rows of cols
  int pixels() const { return Ho * Wo; }         // output pixels per image and filter
  long columns() const { return long(N) * pixels(); }
  // Output columns ow whose input column ow + kw - pad lies inside the image: [lo, hi).
  int ow_lo(int kw) const { return std::max(0, pad - kw); }
  int ow_hi(int kw) const { return std::min(Wo, W + pad - kw); }
};

// cols [C*k*k, N*Ho*Wo] from x [N,C,H,W]
void im2col(const ConvShape& s, const Scalar* x, Scalar* cols) {
  for (int c = 0; c < s.C; ++c)
    for (int kh = 0; kh < s.k; ++kh)
      for (int kw = 0; kw < s.k; ++kw) {
        Scalar* row = cols + long((c * s.k + kh) * s.k + kw) * s.columns();
        const int lo = s.ow_lo(kw), hi = s.ow_hi(kw);
        for (int n = 0; n < s.N; ++n)
          for (int oh = 0; oh < s.Ho; ++oh) {
            Scalar* dst = row + (long(n) * s.Ho + oh) * s.Wo;
            const int ih = oh + kh - s.pad;
            if (ih < 0 || ih >= s.H || lo >= hi) {
              std::fill(dst, dst + s.Wo, Scalar(0));
              continue;
            }
            const Scalar* src = x + ((long(n) * s.C + c) * s.H + ih) * s.W + (kw - s.pad);
            std::fill(dst, dst + lo, Scalar(0));
            std::memcpy(dst + lo, src + lo, sizeof(Scalar) * (hi - lo));
            std::fill(dst + hi, dst + s.Wo, Scalar(0));
          }
      }
}

// The adjoint of im2col: dx [N,C,H,W] += scatter of dcols [C*k*k, N*Ho*Wo]
void col2im_add(const ConvShape& s, const Scalar* dcols, Scalar* dx) {
  for (int c = 0; c < s.C; ++c)
    for (int kh = 0; kh < s.k; ++kh)
      for (int kw = 0; kw < s.k; ++kw) {
        const Scalar* row = dcols + long((c * s.k + kh) * s.k + kw) * s.columns();
        const int lo = s.ow_lo(kw), hi = s.ow_hi(kw);
        for (int n = 0; n < s.N; ++n)
          for (int oh = 0; oh < s.Ho; ++oh) {
            const int ih = oh + kh - s.pad;
            if (ih < 0 || ih >= s.H) continue;
            const Scalar* src = row + (long(n) * s.Ho + oh) * s.Wo;
            Scalar* dst = dx + ((long(n) * s.C + c) * s.H + ih) * s.W + (kw - s.pad);
            for (int ow = lo; ow < hi; ++ow) dst[ow] += src[ow];
          }
      }
}
}  // namespace

namespace {
// conv2d with an optional bias b [F] (nullptr: none), added while the product is moved into
// y's layout; its gradient is summed while dy is moved back.
Var conv2d_with_optional_bias(Graph& g, Var x, Var w, const Var* b, int padding) {
  const Tensor& X = g.value(x);   // [N,C,H,W]
  const Tensor& Wt = g.value(w);  // [F,C,k,k]
  if (X.rank() != 4 || Wt.rank() != 4 || X.dim(1) != Wt.dim(1) || Wt.dim(2) != Wt.dim(3) ||
      padding < 0)
    throw Error("conv2d: input " + shape_string(X.shape()) + " does not fit weight " +
                shape_string(Wt.shape()));
  if (b && (g.value(*b).rank() != 1 || g.value(*b).dim(0) != Wt.dim(0)))
    throw Error("conv2d: bias " + shape_string(g.value(*b).shape()) + " for weight " +
                shape_string(Wt.shape()));
  ConvShape s{X.dim(0), X.dim(1), X.dim(2), X.dim(3), Wt.dim(0), Wt.dim(2), padding, 0, 0};
  s.Ho = s.H + 2 * padding - s.k + 1;
  s.Wo = s.W + 2 * padding - s.k + 1;
  if (s.Ho <= 0 || s.Wo <= 0) throw Error("conv2d: kernel larger than the padded input");
  const int P = s.pixels();
  const long NP = s.columns();

  Tensor cols = Tensor::uninitialized({s.taps(), int(NP)});
  im2col(s, X.data(), cols.data());
  Tensor out = Tensor::uninitialized({s.F, int(NP)});  // [f, (n,oh,ow)]
  blas::gemm(Trans::No, Trans::No, s.F, int(NP), s.taps(), Scalar(1), Wt.data(), s.taps(),
             cols.data(), int(NP), Scalar(0), out.data(), int(NP));
  Tensor Y = Tensor::uninitialized({s.N, s.F, s.Ho, s.Wo});
  const Scalar* bias = b ? g.value(*b).data() : nullptr;
  for (int n = 0; n < s.N; ++n)  // y[n, f, p] = out[f, n, p] (+ b[f])
    for (int f = 0; f < s.F; ++f) {
      const Scalar* src = out.data() + long(f) * NP + long(n) * P;
      Scalar* dst = Y.data() + (long(n) * s.F + f) * P;
      if (bias) {
        const Scalar bf = bias[f];
#pragma omp simd
        for (int p = 0; p < P; ++p) dst[p] = src[p] + bf;
      } else {
        std::memcpy(dst, src, sizeof(Scalar) * P);
      }
    }

  std::vector<Var> inputs = {x, w};
  if (b) inputs.push_back(*b);
  Var y = g.record(std::move(Y), inputs);
  const Var bv = b ? *b : Var{};
  g.set_backward(y, [=](Graph& g) {
    const Tensor& dY = g.grad(y);  // [N,F,Ho,Wo]
    Tensor d_out = Tensor::uninitialized({s.F, int(NP)});
    // y = out (+ b[f])  =>  d_out = dy moved back to [f, (n,p)],  db[f] += sum over n, p
    const bool want_db = bv.id >= 0 && g.requires_grad(bv);
    std::vector<Scalar> db(want_db ? s.F : 0, Scalar(0));
    for (int n = 0; n < s.N; ++n)
      for (int f = 0; f < s.F; ++f) {
        const Scalar* src = dY.data() + (long(n) * s.F + f) * P;
        std::memcpy(d_out.data() + long(f) * NP + long(n) * P, src, sizeof(Scalar) * P);
        if (want_db) {
          Scalar sum = 0;
#pragma omp simd reduction(+ : sum)
          for (int p = 0; p < P; ++p) sum += src[p];
          db[f] += sum;
        }
      }
    if (want_db) {
      Tensor& dB = g.grad(bv);
      for (int f = 0; f < s.F; ++f) dB[f] += db[f];
    }
    // out = w cols  =>  dw += d_out cols^T,  dcols = w^T d_out,  dx += col2im(dcols)
    if (g.requires_grad(w))
      blas::gemm(Trans::No, Trans::Yes, s.F, s.taps(), int(NP), Scalar(1), d_out.data(), int(NP),
                 cols.data(), int(NP), Scalar(1), g.grad(w).data(), s.taps());
    if (g.requires_grad(x)) {
      Tensor dcols = Tensor::uninitialized({s.taps(), int(NP)});
      blas::gemm(Trans::Yes, Trans::No, s.taps(), int(NP), s.F, Scalar(1), g.value(w).data(),
                 s.taps(), d_out.data(), int(NP), Scalar(0), dcols.data(), int(NP));
      col2im_add(s, dcols.data(), g.grad(x).data());
    }
  });
  return y;
}
}  // namespace

Var conv2d(Graph& g, Var x, Var w, int padding) {
  return conv2d_with_optional_bias(g, x, w, nullptr, padding);
}

Var conv2d(Graph& g, Var x, Var w, Var b, int padding) {
  return conv2d_with_optional_bias(g, x, w, &b, padding);
}

}  // namespace landscape
