// The three products of a 2-D convolution with stride s > 1 (described models; docs/algorithms.md
// §2.7), through patch matrices: for each image, the patch matrix
//   cols[(c k + kh) k + kw][oh Wo + ow] = x[n, c, oh s + kh - p, ow s + kw - p]  (0 outside)
// [C*k*k, Ho*Wo], and then, with w as the matrix [F, C*k*k] and y, dy of the image as [F, Ho*Wo],
//   y  = w cols (+ b),     dw += dy cols^T,     dcols = w^T dy, added back into dx (col2im).
// The direct kernels of conv2d_kernels.cpp rely on stride 1 (a tap is a shift of the plane);
// a strided convolution does a quarter or less of the products of the same layer at stride 1,
// so plain GEMM on the patches serves. The plain twins are conv2d_kernels.cpp's *_reference.
#include <algorithm>
#include <memory>

#include "autodiff/conv2d_kernels.hpp"
#include "core/blas.hpp"

namespace landscape::conv {

namespace {
using blas::Trans;

// cols [C*k*k, Ho*Wo] of one image x [C,H,W] (the formula at the top of the file).
void patches(const ConvShape& s, const Scalar* x, Scalar* cols) {
  const int Ho = s.Ho(), Wo = s.Wo(), k = s.k;
  for (int c = 0; c < s.C; ++c)
    for (int kh = 0; kh < k; ++kh)
      for (int kw = 0; kw < k; ++kw) {
        Scalar* row = cols + (long(c * k + kh) * k + kw) * Ho * Wo;
        for (int oh = 0; oh < Ho; ++oh) {
          const int ih = oh * s.stride + kh - s.pad;
          Scalar* out = row + long(oh) * Wo;
          if (ih < 0 || ih >= s.H) {
            std::fill_n(out, Wo, Scalar(0));
            continue;
          }
          const Scalar* in = x + (long(c) * s.H + ih) * s.W;
          for (int ow = 0; ow < Wo; ++ow) {
            const int iw = ow * s.stride + kw - s.pad;
            out[ow] = iw < 0 || iw >= s.W ? Scalar(0) : in[iw];
          }
        }
      }
}

// dx [C,H,W] of one image += each entry of dcols [C*k*k, Ho*Wo] at the pixel it was copied from.
void add_patches(const ConvShape& s, const Scalar* dcols, Scalar* dx) {
  const int Ho = s.Ho(), Wo = s.Wo(), k = s.k;
  for (int c = 0; c < s.C; ++c)
    for (int kh = 0; kh < k; ++kh)
      for (int kw = 0; kw < k; ++kw) {
        const Scalar* row = dcols + (long(c * k + kh) * k + kw) * Ho * Wo;
        for (int oh = 0; oh < Ho; ++oh) {
          const int ih = oh * s.stride + kh - s.pad;
          if (ih < 0 || ih >= s.H) continue;
          const Scalar* in = row + long(oh) * Wo;
          Scalar* out = dx + (long(c) * s.H + ih) * s.W;
          for (int ow = 0; ow < Wo; ++ow) {
            const int iw = ow * s.stride + kw - s.pad;
            if (iw >= 0 && iw < s.W) out[iw] += in[ow];
          }
        }
      }
}

// One image's patch matrix at a time, in a buffer allocated once per call.
struct PatchBuffer {
  int rows, cols;  // C*k*k, Ho*Wo
  std::unique_ptr<Scalar[]> data;
  explicit PatchBuffer(const ConvShape& s)
      : rows(s.C * s.k * s.k),
        cols(s.Ho() * s.Wo()),
        data(std::make_unique_for_overwrite<Scalar[]>(size_t(rows) * cols)) {}
};
}  // namespace

// y_n [F, Ho*Wo] (+)= w [F, C*k*k] cols_n (+ b[f] on row f)
void strided_forward(const ConvShape& s, const Scalar* x, const Scalar* w, const Scalar* b, Scalar* y,
                     bool accumulate) {
  PatchBuffer P(s);
  const long x_image = long(s.C) * s.H * s.W, y_image = long(s.F) * P.cols;
  for (int n = 0; n < s.N; ++n) {
    patches(s, x + n * x_image, P.data.get());
    Scalar* yn = y + n * y_image;
    blas::gemm(Trans::No, Trans::No, s.F, P.cols, P.rows, Scalar(1), w, P.rows, P.data.get(), P.cols,
               accumulate ? Scalar(1) : Scalar(0), yn, P.cols);
    if (b)
      for (int f = 0; f < s.F; ++f) {
        Scalar* row = yn + long(f) * P.cols;
        for (int i = 0; i < P.cols; ++i) row[i] += b[f];
      }
  }
}

// dw [F, C*k*k] += dy_n [F, Ho*Wo] cols_n^T, image by image
void strided_weight_adjoint(const ConvShape& s, const Scalar* x, const Scalar* dy, Scalar* dw) {
  PatchBuffer P(s);
  const long x_image = long(s.C) * s.H * s.W, y_image = long(s.F) * P.cols;
  for (int n = 0; n < s.N; ++n) {
    patches(s, x + n * x_image, P.data.get());
    blas::gemm(Trans::No, Trans::Yes, s.F, P.rows, P.cols, Scalar(1), dy + n * y_image, P.cols, P.data.get(),
               P.cols, Scalar(1), dw, P.rows);
  }
}

// dcols_n [C*k*k, Ho*Wo] = w^T dy_n, then added into dx_n
void strided_input_adjoint(const ConvShape& s, const Scalar* w, const Scalar* dy, Scalar* dx) {
  PatchBuffer P(s);
  const long x_image = long(s.C) * s.H * s.W, y_image = long(s.F) * P.cols;
  for (int n = 0; n < s.N; ++n) {
    blas::gemm(Trans::Yes, Trans::No, P.rows, P.cols, s.F, Scalar(1), w, P.rows, dy + n * y_image, P.cols,
               Scalar(0), P.data.get(), P.cols);
    add_patches(s, P.data.get(), dx + n * x_image);
  }
}

}  // namespace landscape::conv
