// The direct convolution kernels (autodiff/conv2d_kernels) against their plain twins, in both
// precisions: LeNet's two shapes, and shapes around the kernels' blocks (one filter or channel,
// more filters than a block holds, 1x1 and 3x3 kernels, padding wider than the kernel's reach,
// a row narrower than a vector, a single image and a batch), and for the filters-in-lanes form
// (5x5 kernels, filters a multiple of the vector width) more than one group of filters and more
// columns than one of its blocks; and strides 2 to 4, whose products go through patch matrices.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "autodiff/conv2d_kernels.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using conv::ConvShape;
using testing::random_tensor;

const double kRoundoff = testing::kFloat64 ? 1e-12 : 1e-5;

// Largest |a - b| relative to max(1, |b|) and to the largest |b|: the sums have 25 to 150 terms
// per image of both signs, so entries near zero are compared on the scale of the result.
double largest_difference(const std::vector<Scalar>& a, const std::vector<Scalar>& b) {
  double scale = 1;
  for (Scalar v : b) scale = std::max(scale, std::abs(double(v)));
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double(a[i]) - b[i]) / scale);
  return worst;
}

std::vector<Scalar> values(const Tensor& t) { return std::vector<Scalar>(t.data(), t.data() + t.size()); }

// The three tensors of a convolution: images x, filters w, output y (and dy).
Shape x_shape(const ConvShape& s) { return {s.N, s.C, s.H, s.W}; }
Shape w_shape(const ConvShape& s) { return {s.F, s.C, s.k, s.k}; }
Shape y_shape(const ConvShape& s) { return {s.N, s.F, s.Ho(), s.Wo()}; }

struct Case {
  ConvShape s;
  const char* what;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {{8, 1, 28, 28, 6, 5, 2}, "LeNet conv1"},
      {{8, 6, 14, 14, 16, 5, 0}, "LeNet conv2"},
      {{1, 1, 5, 5, 1, 5, 0}, "one output"},
      {{3, 2, 7, 6, 4, 3, 1}, "3x3, padding 1"},
      {{2, 3, 4, 9, 11, 3, 2}, "11 filters (more than a block's rows)"},
      {{2, 5, 6, 6, 3, 1, 0}, "1x1"},
      {{2, 2, 3, 4, 9, 5, 4}, "padding 4 around a 3x4 image"},
      {{5, 17, 9, 9, 2, 5, 0}, "17 channels"},
      {{3, 3, 11, 15, 32, 5, 1}, "32 filters in lanes, 13 columns (more than a block's)"},
      {{2, 2, 6, 6, 16, 5, 2}, "16 filters in lanes, padding 2"},
      // other strides (conv2d_strided.cpp: patches and GEMM)
      {{3, 3, 7, 6, 4, 3, 1, 2}, "stride 2, 3x3, padding 1, H != W"},
      {{2, 2, 9, 9, 5, 1, 0, 2}, "stride 2, 1x1"},
      {{2, 1, 11, 8, 3, 5, 2, 3}, "stride 3, 5x5, padding 2"},
      {{2, 2, 6, 6, 16, 5, 2, 2}, "stride 2, 16 filters of 5x5 (not in lanes)"},
      {{1, 2, 4, 10, 2, 4, 0, 4}, "stride 4 = kernel, one output row"},
  };
  return all;
}

TEST(Conv2dKernels, ForwardEqualsPlainLoops) {
  for (const Case& c : cases()) {
    const ConvShape& s = c.s;
    const Tensor x = random_tensor(x_shape(s), 1);
    const Tensor w = random_tensor(w_shape(s), 2);
    const Tensor b = random_tensor({s.F}, 3);
    for (bool with_bias : {false, true})
      for (bool accumulate : {false, true}) {
        Tensor fast = random_tensor(y_shape(s), 4), plain = fast.clone();
        const Scalar* bias = with_bias ? b.data() : nullptr;
        conv::forward(s, x.data(), w.data(), bias, fast.data(), accumulate);
        conv::forward_reference(s, x.data(), w.data(), bias, plain.data(), accumulate);
        EXPECT_LT(largest_difference(values(fast), values(plain)), kRoundoff)
            << c.what << (with_bias ? ", bias" : "") << (accumulate ? ", accumulate" : "");
      }
  }
}

// An adjoint: given dy and the operand besides it (x for dw, w for dx), adds into its output.
using Adjoint = void (*)(const ConvShape&, const Scalar* operand, const Scalar* dy, Scalar* out);

// The fast adjoint against its plain twin on every case, both adding into the same random start:
// operand, dy and the start drawn with seeds seed, seed + 1 and seed + 2.
void expect_adjoint_equals_plain(Adjoint fast, Adjoint plain, Shape (*operand_shape)(const ConvShape&),
                                 Shape (*out_shape)(const ConvShape&), unsigned seed) {
  for (const Case& c : cases()) {
    const ConvShape& s = c.s;
    const Tensor operand = random_tensor(operand_shape(s), seed);
    const Tensor dy = random_tensor(y_shape(s), seed + 1);
    Tensor fast_out = random_tensor(out_shape(s), seed + 2), plain_out = fast_out.clone();
    fast(s, operand.data(), dy.data(), fast_out.data());
    plain(s, operand.data(), dy.data(), plain_out.data());
    EXPECT_LT(largest_difference(values(fast_out), values(plain_out)), kRoundoff) << c.what;
  }
}

TEST(Conv2dKernels, WeightAdjointEqualsPlainLoops) {
  expect_adjoint_equals_plain(conv::weight_adjoint, conv::weight_adjoint_reference, x_shape, w_shape, 5);
}

TEST(Conv2dKernels, InputAdjointEqualsPlainLoops) {
  expect_adjoint_equals_plain(conv::input_adjoint, conv::input_adjoint_reference, w_shape, x_shape, 8);
}

// The adjoints are the transposes of the forward map: <conv(x, w), dy> = <x, conv^T(w, dy)>
// = <w, corr(x, dy)>, checked on the plain twins in double sums (so that a mistake made alike
// in a fast kernel and its twin still shows).
TEST(Conv2dKernels, PlainAdjointsAreTransposesOfTheForwardMap) {
  for (const Case& c : cases()) {
    const ConvShape& s = c.s;
    const Tensor x = random_tensor(x_shape(s), 11);
    const Tensor w = random_tensor(w_shape(s), 12);
    const Tensor dy = random_tensor(y_shape(s), 13);
    Tensor y(y_shape(s)), dx(x_shape(s)), dw(w_shape(s));
    conv::forward_reference(s, x.data(), w.data(), nullptr, y.data(), false);
    conv::input_adjoint_reference(s, w.data(), dy.data(), dx.data());
    conv::weight_adjoint_reference(s, x.data(), dy.data(), dw.data());
    auto dot = [](const Tensor& a, const Tensor& b) {
      double sum = 0;
      for (size_t i = 0; i < a.size(); ++i) sum += double(a[i]) * b[i];
      return sum;
    };
    const double ydy = dot(y, dy);
    EXPECT_NEAR(dot(x, dx), ydy, 10 * kRoundoff * std::max(1.0, std::abs(ydy))) << c.what;
    EXPECT_NEAR(dot(w, dw), ydy, 10 * kRoundoff * std::max(1.0, std::abs(ydy))) << c.what;
  }
}

// Same inputs, same bits (the graph's determinism rests on it).
TEST(Conv2dKernels, SameBitsOnEveryCall) {
  const ConvShape s{8, 6, 14, 14, 16, 5, 0};
  const Tensor x = random_tensor(x_shape(s), 14);
  const Tensor w = random_tensor(w_shape(s), 15);
  const Tensor dy = random_tensor(y_shape(s), 16);
  auto run = [&] {
    Tensor y(y_shape(s)), dx(x_shape(s)), dw(w_shape(s));
    conv::forward(s, x.data(), w.data(), nullptr, y.data(), false);
    conv::input_adjoint(s, w.data(), dy.data(), dx.data());
    conv::weight_adjoint(s, x.data(), dy.data(), dw.data());
    std::vector<Scalar> all = values(y);
    all.insert(all.end(), dx.data(), dx.data() + dx.size());
    all.insert(all.end(), dw.data(), dw.data() + dw.size());
    return all;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace landscape
