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
// out [F, (n,p)] -> y [N,F,P], adding b[f] (nullptr: none) on the way.
Tensor move_to_images(const ConvShape& s, const Scalar* out, const Scalar* bias) {
  const int P = s.pixels();
  const long NP = s.columns();
  Tensor Y = Tensor::uninitialized({s.N, s.F, s.Ho, s.Wo});
  for (int n = 0; n < s.N; ++n)  // y[n, f, p] = out[f, n, p] (+ b[f])
    for (int f = 0; f < s.F; ++f) {
      const Scalar* src = out + long(f) * NP + long(n) * P;
      Scalar* dst = Y.data() + (long(n) * s.F + f) * P;
      if (bias) {
        const Scalar bf = bias[f];
#pragma omp simd
        for (int p = 0; p < P; ++p) dst[p] = src[p] + bf;
      } else {
        std::memcpy(dst, src, sizeof(Scalar) * P);
      }
    }
  return Y;
}

// The adjoint of move_to_images: d_out [F, (n,p)] = dy [N,F,P] moved back; db [F] (nullptr:
// not wanted) += the sum of dy over n and p.
Tensor move_from_images(const ConvShape& s, const Tensor& dY, Scalar* db) {
  const int P = s.pixels();
  const long NP = s.columns();
  Tensor d_out = Tensor::uninitialized({s.F, int(NP)});
  std::vector<Scalar> sums(db ? s.F : 0, Scalar(0));
  for (int n = 0; n < s.N; ++n)
    for (int f = 0; f < s.F; ++f) {
      const Scalar* src = dY.data() + (long(n) * s.F + f) * P;
      std::memcpy(d_out.data() + long(f) * NP + long(n) * P, src, sizeof(Scalar) * P);
      if (db) {
        Scalar sum = 0;
#pragma omp simd reduction(+ : sum)
        for (int p = 0; p < P; ++p) sum += src[p];
        sums[f] += sum;
      }
    }
  if (db)
    for (int f = 0; f < s.F; ++f) db[f] += sums[f];
  return d_out;
}

// out = w cols: out [F, NP] += w [F, taps] cols [taps, NP]
void add_filter_product(const ConvShape& s, const Scalar* w, const Scalar* cols, Scalar* out) {
  const int NP = int(s.columns());
  blas::gemm(Trans::No, Trans::No, s.F, NP, s.taps(), Scalar(1), w, s.taps(), cols, NP,
             Scalar(1), out, NP);
}

// out = w cols  =>  dw [F, taps] += d_out cols^T
void add_filter_adjoint(const ConvShape& s, const Scalar* d_out, const Scalar* cols, Scalar* dw) {
  const int NP = int(s.columns());
  blas::gemm(Trans::No, Trans::Yes, s.F, s.taps(), NP, Scalar(1), d_out, NP, cols, NP,
             Scalar(1), dw, s.taps());
}

// out = w cols  =>  dcols = w^T d_out,  dx [N,C,H,W] += col2im(dcols)
void add_image_adjoint(const ConvShape& s, const Scalar* w, const Scalar* d_out, Scalar* dx) {
  const int NP = int(s.columns());
  Tensor dcols = Tensor::uninitialized({s.taps(), NP});
  blas::gemm(Trans::Yes, Trans::No, s.taps(), NP, s.F, Scalar(1), w, s.taps(), d_out, NP,
             Scalar(0), dcols.data(), NP);
  col2im_add(s, dcols.data(), dx);
}

// conv2d with an optional bias b [F] (nullptr: none), added while the product is moved into
// y's layout; its gradient is summed while dy is moved back.
// Tangent rules (graph.hpp): out is bilinear in (w, cols) and cols linear in x, so
//   R{out} = R{w} cols + w im2col(R{x}),   R{y} = R{out} moved + R{b},
// and the backward applied to R{dy}, plus once to dy with R{w} / im2col(R{x}) in place of
// w / cols, gives R{dw}, R{dx}, R{db}.
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
  const long NP = s.columns();

  Tensor cols = Tensor::uninitialized({s.taps(), int(NP)});
  im2col(s, X.data(), cols.data());
  Tensor out = Tensor::uninitialized({s.F, int(NP)});  // [f, (n,oh,ow)]
  blas::gemm(Trans::No, Trans::No, s.F, int(NP), s.taps(), Scalar(1), Wt.data(), s.taps(),
             cols.data(), int(NP), Scalar(0), out.data(), int(NP));
  Tensor Y = move_to_images(s, out.data(), b ? g.value(*b).data() : nullptr);

  std::vector<Var> inputs = {x, w};
  if (b) inputs.push_back(*b);
  Var y = g.record("conv2d", std::move(Y), inputs);
  const Var bv = b ? *b : Var{};
  const bool has_b = b != nullptr;
  g.set_backward(y, [=](Graph& g) {
    // y = out (+ b[f])  =>  d_out = dy moved back to [f, (n,p)],  db[f] += sum over n, p
    const Tensor d_out =
        move_from_images(s, g.grad(y), has_b && g.requires_grad(bv) ? g.grad(bv).data() : nullptr);
    // out = w cols  =>  dw += d_out cols^T,  dcols = w^T d_out,  dx += col2im(dcols)
    if (g.requires_grad(w)) add_filter_adjoint(s, d_out.data(), cols.data(), g.grad(w).data());
    if (g.requires_grad(x)) add_image_adjoint(s, g.value(w).data(), d_out.data(), g.grad(x).data());
  });
  // im2col(R{x}) [taps, NP]: the patches of the input's tangent
  auto tangent_cols = [=](Graph& g) {
    Tensor rcols = Tensor::uninitialized({s.taps(), int(NP)});
    im2col(s, g.tangent(x).data(), rcols.data());
    return rcols;
  };
  g.set_tangent_rules(
      y,
      [=](Graph& g) {  // R{out} = R{w} cols + w im2col(R{x}),  R{y} = R{out} moved + R{b}
        Tensor rout({s.F, int(NP)});
        if (g.requires_grad(w)) add_filter_product(s, g.tangent(w).data(), cols.data(), rout.data());
        if (g.requires_grad(x))
          add_filter_product(s, g.value(w).data(), tangent_cols(g).data(), rout.data());
        return move_to_images(s, rout.data(),
                              has_b && g.requires_grad(bv) ? g.tangent(bv).data() : nullptr);
      },
      [=](Graph& g) {
        // dw = d_out cols^T        =>  R{dw} += R{d_out} cols^T + d_out im2col(R{x})^T
        // dx = col2im(w^T d_out)   =>  R{dx} += col2im(w^T R{d_out} + R{w}^T d_out)
        // db = sum of d_out        =>  R{db} += sum of R{d_out}
        const Tensor rd_out = move_from_images(
            s, g.grad_tangent(y), has_b && g.requires_grad(bv) ? g.grad_tangent(bv).data() : nullptr);
        const bool rx = g.requires_grad(x), rw = g.requires_grad(w);
        if (!rx && !rw) return;
        const Tensor d_out = move_from_images(s, g.grad(y), nullptr);
        if (rw) {
          Scalar* rdw = g.grad_tangent(w).data();
          add_filter_adjoint(s, rd_out.data(), cols.data(), rdw);
          if (rx) add_filter_adjoint(s, d_out.data(), tangent_cols(g).data(), rdw);
        }
        if (rx) {
          Scalar* rdx = g.grad_tangent(x).data();
          add_image_adjoint(s, g.value(w).data(), rd_out.data(), rdx);
          if (rw) add_image_adjoint(s, g.tangent(w).data(), d_out.data(), rdx);
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
