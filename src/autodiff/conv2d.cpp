// 2-D convolution (cross-correlation, as PyTorch), stride 1, zero padding, as im2col + gemm:
// every output pixel becomes one row of patch values, so the whole batch is one matrix product.
//   cols[(n,oh,ow), (c,kh,kw)] = x[n, c, oh+kh-p, ow+kw-p]     (0 outside the image)
//   out[(n,oh,ow), f]          = sum_j cols[(n,oh,ow), j] w[f, j]
#include <cstring>

#include "autodiff/ops.hpp"
#include "core/blas.hpp"
#include "core/error.hpp"

namespace landscape {

using blas::Trans;

namespace {
struct ConvShape {
  int N, C, H, W, F, k, pad, Ho, Wo;
  int patch() const { return C * k * k; }
  int rows() const { return N * Ho * Wo; }
};

// cols [N*Ho*Wo, C*k*k] from x [N,C,H,W]
void im2col(const ConvShape& s, const Scalar* x, Scalar* cols) {
#pragma omp parallel for schedule(static) if (s.N >= 64)
  for (int n = 0; n < s.N; ++n)
    for (int oh = 0; oh < s.Ho; ++oh)
      for (int ow = 0; ow < s.Wo; ++ow) {
        Scalar* row = cols + (size_t(n * s.Ho + oh) * s.Wo + ow) * s.patch();
        for (int c = 0; c < s.C; ++c)
          for (int kh = 0; kh < s.k; ++kh) {
            const int ih = oh + kh - s.pad;
            for (int kw = 0; kw < s.k; ++kw) {
              const int iw = ow + kw - s.pad;
              const bool inside = ih >= 0 && ih < s.H && iw >= 0 && iw < s.W;
              *row++ = inside ? x[((size_t(n) * s.C + c) * s.H + ih) * s.W + iw] : Scalar(0);
            }
          }
      }
}

// The adjoint of im2col: dx [N,C,H,W] += scatter of dcols [N*Ho*Wo, C*k*k]
void col2im_add(const ConvShape& s, const Scalar* dcols, Scalar* dx) {
#pragma omp parallel for schedule(static) if (s.N >= 64)
  for (int n = 0; n < s.N; ++n)
    for (int oh = 0; oh < s.Ho; ++oh)
      for (int ow = 0; ow < s.Wo; ++ow) {
        const Scalar* row = dcols + (size_t(n * s.Ho + oh) * s.Wo + ow) * s.patch();
        for (int c = 0; c < s.C; ++c)
          for (int kh = 0; kh < s.k; ++kh) {
            const int ih = oh + kh - s.pad;
            for (int kw = 0; kw < s.k; ++kw, ++row) {
              const int iw = ow + kw - s.pad;
              if (ih >= 0 && ih < s.H && iw >= 0 && iw < s.W)
                dx[((size_t(n) * s.C + c) * s.H + ih) * s.W + iw] += *row;
            }
          }
      }
}
}  // namespace

Var conv2d(Graph& g, Var x, Var w, int padding) {
  const Tensor& X = g.value(x);  // [N,C,H,W]
  const Tensor& Wt = g.value(w); // [F,C,k,k]
  if (X.rank() != 4 || Wt.rank() != 4 || X.dim(1) != Wt.dim(1) || Wt.dim(2) != Wt.dim(3) ||
      padding < 0)
    throw Error("conv2d: input " + shape_string(X.shape()) + " does not fit weight " +
                shape_string(Wt.shape()));
  ConvShape s{X.dim(0), X.dim(1), X.dim(2), X.dim(3), Wt.dim(0), Wt.dim(2), padding, 0, 0};
  s.Ho = s.H + 2 * padding - s.k + 1;
  s.Wo = s.W + 2 * padding - s.k + 1;
  if (s.Ho <= 0 || s.Wo <= 0) throw Error("conv2d: kernel larger than the padded input");

  Tensor cols({s.rows(), s.patch()});
  im2col(s, X.data(), cols.data());
  Tensor out_rows({s.rows(), s.F});  // [(n,oh,ow), f]
  blas::gemm(Trans::No, Trans::Yes, s.rows(), s.F, s.patch(), Scalar(1), cols.data(), s.patch(),
             Wt.data(), s.patch(), Scalar(0), out_rows.data(), s.F);
  // [(n,oh,ow), f] -> [n, f, oh, ow]
  const int HW = s.Ho * s.Wo;
  Tensor Y({s.N, s.F, s.Ho, s.Wo});
  for (int n = 0; n < s.N; ++n)
    for (int p = 0; p < HW; ++p)
      for (int f = 0; f < s.F; ++f)
        Y[(size_t(n) * s.F + f) * HW + p] = out_rows[(size_t(n) * HW + p) * s.F + f];

  Var y = g.record(std::move(Y), {x, w});
  g.set_backward(y, [=](Graph& g) {
    const Tensor& dY = g.grad(y);  // [N,F,Ho,Wo]
    Tensor d_rows({s.rows(), s.F});
    for (int n = 0; n < s.N; ++n)
      for (int p = 0; p < HW; ++p)
        for (int f = 0; f < s.F; ++f)
          d_rows[(size_t(n) * HW + p) * s.F + f] = dY[(size_t(n) * s.F + f) * HW + p];
    // out = cols w^T  =>  dw += d_out^T cols,  dcols = d_out w,  dx += col2im(dcols)
    if (g.requires_grad(w))
      blas::gemm(Trans::Yes, Trans::No, s.F, s.patch(), s.rows(), Scalar(1), d_rows.data(), s.F,
                 cols.data(), s.patch(), Scalar(1), g.grad(w).data(), s.patch());
    if (g.requires_grad(x)) {
      Tensor dcols({s.rows(), s.patch()});
      blas::gemm(Trans::No, Trans::No, s.rows(), s.patch(), s.F, Scalar(1), d_rows.data(), s.F,
                 g.value(w).data(), s.patch(), Scalar(0), dcols.data(), s.patch());
      col2im_add(s, dcols.data(), g.grad(x).data());
    }
  });
  return y;
}

}  // namespace landscape
