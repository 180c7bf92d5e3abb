// The three products of a 2-D convolution (zero padding, any stride), the forward pass and its
// two adjoints, for conv2d.cpp. Stride 1 is computed directly on the images
// (conv2d_kernels.cpp: how, at its top; why, measured: bench/README.md, "LeNet on AVX-512");
// other strides, for described models, through patch matrices and GEMM (conv2d_strided.cpp).
// Each fast kernel has a plain-loop twin (suffix _reference) with the same signature, for every
// stride; tests/test_conv2d_kernels.cpp compares the two.
//
// Dimension letters: N images, C input channels, H x W input, F filters, k x k kernel, p
// padding, s stride, Ho x Wo output (Ho = (H + 2p - k) / s + 1, Wo = (W + 2p - k) / s + 1,
// floor; H + 2p >= k and W + 2p >= k).
#pragma once

#include "core/scalar.hpp"

namespace landscape::conv {

struct ConvShape {
  int N, C, H, W, F, k, pad;
  int stride = 1;
  int Ho() const { return (H + 2 * pad - k) / stride + 1; }
  int Wo() const { return (W + 2 * pad - k) / stride + 1; }
};

// y [N,F,Ho,Wo] = sum_{c,kh,kw} w[f,c,kh,kw] x[n, c, oh s+kh-p, ow s+kw-p]  (x is 0 outside the
// image) + b[f] (b [F], nullptr: none); with accumulate, y += that instead.
// x [N,C,H,W], w [F,C,k,k].
void forward(const ConvShape& s, const Scalar* x, const Scalar* w, const Scalar* b, Scalar* y,
             bool accumulate);
void forward_reference(const ConvShape& s, const Scalar* x, const Scalar* w, const Scalar* b, Scalar* y,
                       bool accumulate);

// The forward pass's adjoint in w:  dw [F,C,k,k] += sum_{n,oh,ow} dy[n,f,oh,ow] x[n, c, oh s+kh-p, ow s+kw-p].
// x [N,C,H,W], dy [N,F,Ho,Wo].
void weight_adjoint(const ConvShape& s, const Scalar* x, const Scalar* dy, Scalar* dw);
void weight_adjoint_reference(const ConvShape& s, const Scalar* x, const Scalar* dy, Scalar* dw);

// The forward pass's adjoint in x:  dx [N,C,H,W] += sum_{f,kh,kw} w[f,c,kh,kw] dy[n, f, (ih-kh+p)/s, (iw-kw+p)/s]
// over the taps where both divisions are exact (dy is 0 outside [0,Ho) x [0,Wo)).
// w [F,C,k,k], dy [N,F,Ho,Wo].
void input_adjoint(const ConvShape& s, const Scalar* w, const Scalar* dy, Scalar* dx);
void input_adjoint_reference(const ConvShape& s, const Scalar* w, const Scalar* dy, Scalar* dx);

// Stride s > 1 (conv2d_strided.cpp), the same three products through the patch matrix
// cols [C*k*k, Ho*Wo] of each image and GEMM; the functions above call them when s > 1.
void strided_forward(const ConvShape& s, const Scalar* x, const Scalar* w, const Scalar* b, Scalar* y,
                     bool accumulate);
void strided_weight_adjoint(const ConvShape& s, const Scalar* x, const Scalar* dy, Scalar* dw);
void strided_input_adjoint(const ConvShape& s, const Scalar* w, const Scalar* dy, Scalar* dx);

}  // namespace landscape::conv
