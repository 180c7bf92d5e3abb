// Every op's backward against float64 central differences (relative error < 1e-6), plus
// forward values checked against hand-computed ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "autodiff/ops.hpp"
#include "autodiff/sums.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::gradient_check_error;
using testing::random_tensor;
using testing::to_scalar;

constexpr double kTol = 1e-6;

// Values bounded away from 0 so relu's kink is never straddled by the finite difference.
Tensor away_from_zero(Shape shape, unsigned seed) {
  Tensor t = random_tensor(std::move(shape), seed, 0.05, 1.5);
  for (size_t i = 0; i < t.size(); i += 2) t[i] = -t[i];
  return t;
}

using OpGradient = testing::Float64Only;

TEST_F(OpGradient, Linear) {
  auto f = [](Graph& g, const std::vector<Var>& v) { return to_scalar(g, linear(g, v[0], v[1])); };
  EXPECT_LT(gradient_check_error({random_tensor({5, 7}, 1), random_tensor({3, 7}, 2)}, f), kTol);
}

TEST_F(OpGradient, AddBiasRowsAndChannels) {
  auto f = [](Graph& g, const std::vector<Var>& v) { return to_scalar(g, add_bias(g, v[0], v[1])); };
  EXPECT_LT(gradient_check_error({random_tensor({4, 3}, 3), random_tensor({3}, 4)}, f), kTol);
  EXPECT_LT(gradient_check_error({random_tensor({2, 3, 4, 5}, 5), random_tensor({3}, 6)}, f), kTol);
}

TEST_F(OpGradient, AddAndMul) {
  auto fa = [](Graph& g, const std::vector<Var>& v) { return to_scalar(g, add(g, v[0], v[1])); };
  auto fm = [](Graph& g, const std::vector<Var>& v) { return to_scalar(g, mul(g, v[0], v[1])); };
  EXPECT_LT(gradient_check_error({random_tensor({3, 4}, 7), random_tensor({3, 4}, 8)}, fa), kTol);
  EXPECT_LT(gradient_check_error({random_tensor({3, 4}, 9), random_tensor({3, 4}, 10)}, fm), kTol);
}

TEST_F(OpGradient, Activations) {
  auto check = [](Var (*op)(Graph&, Var), Tensor x) {
    auto f = [op](Graph& g, const std::vector<Var>& v) { return to_scalar(g, op(g, v[0])); };
    return gradient_check_error({std::move(x)}, f);
  };
  EXPECT_LT(check(sigmoid, random_tensor({4, 6}, 11, -4, 4)), kTol);
  EXPECT_LT(check(tanh, random_tensor({4, 6}, 12, -3, 3)), kTol);
  EXPECT_LT(check(relu, away_from_zero({4, 6}, 13)), kTol);
  // softplus on both sides of PyTorch's threshold 20 (its linear branch)
  Tensor x = random_tensor({4, 6}, 14, -5, 5);
  x[0] = 25;
  x[1] = 19.5;
  x[2] = -30;
  EXPECT_LT(check(softplus, x), kTol);
}

TEST_F(OpGradient, CrossEntropy) {
  auto f = [](Graph& g, const std::vector<Var>& v) { return cross_entropy(g, v[0], {2, 0, 4, 4, 1}); };
  EXPECT_LT(gradient_check_error({random_tensor({5, 6}, 15, -3, 3)}, f), kTol);
}

TEST_F(OpGradient, MeanSquaredErrorBothArguments) {
  auto f = [](Graph& g, const std::vector<Var>& v) { return mse(g, v[0], v[1]); };
  EXPECT_LT(gradient_check_error({random_tensor({3, 5}, 16), random_tensor({3, 5}, 17)}, f), kTol);
}

TEST_F(OpGradient, Conv2dWithAndWithoutPadding) {
  for (int pad : {0, 2}) {
    auto f = [pad](Graph& g, const std::vector<Var>& v) { return to_scalar(g, conv2d(g, v[0], v[1], pad)); };
    EXPECT_LT(gradient_check_error({random_tensor({2, 3, 7, 6}, 18), random_tensor({4, 3, 3, 3}, 19)}, f),
              kTol)
        << "padding " << pad;
  }
}

TEST_F(OpGradient, AvgPool) {
  auto f = [](Graph& g, const std::vector<Var>& v) { return to_scalar(g, avgpool2(g, v[0])); };
  EXPECT_LT(gradient_check_error({random_tensor({2, 3, 4, 6}, 20)}, f), kTol);
}

TEST_F(OpGradient, ShapeOps) {
  auto fr = [](Graph& g, const std::vector<Var>& v) { return to_scalar(g, reshape(g, v[0], {6, 2})); };
  auto fs = [](Graph& g, const std::vector<Var>& v) { return to_scalar(g, slice_columns(g, v[0], 1, 3)); };
  auto fc = [](Graph& g, const std::vector<Var>& v) {
    return to_scalar(g, concat_columns(g, {v[0], v[1], v[0]}));
  };
  auto fp = [](Graph& g, const std::vector<Var>& v) {
    return to_scalar(g, permute_columns(g, v[0], {3, 0, 2, 1}));
  };
  EXPECT_LT(gradient_check_error({random_tensor({3, 4}, 21)}, fr), kTol);
  EXPECT_LT(gradient_check_error({random_tensor({3, 5}, 22)}, fs), kTol);
  EXPECT_LT(gradient_check_error({random_tensor({3, 2}, 23), random_tensor({3, 4}, 24)}, fc), kTol);
  EXPECT_LT(gradient_check_error({random_tensor({3, 4}, 25)}, fp), kTol);
}

TEST_F(OpGradient, LinearAndConv2dWithFusedBias) {
  auto fl = [](Graph& g, const std::vector<Var>& v) { return to_scalar(g, linear(g, v[0], v[1], v[2])); };
  EXPECT_LT(gradient_check_error(
                {random_tensor({5, 7}, 40), random_tensor({3, 7}, 41), random_tensor({3}, 42)}, fl),
            kTol);
  for (int pad : {0, 2}) {
    auto fc = [pad](Graph& g, const std::vector<Var>& v) {
      return to_scalar(g, conv2d(g, v[0], v[1], v[2], pad));
    };
    EXPECT_LT(
        gradient_check_error(
            {random_tensor({2, 3, 7, 6}, 43), random_tensor({4, 3, 3, 3}, 44), random_tensor({4}, 45)}, fc),
        kTol)
        << "padding " << pad;
  }
}

// The fused-bias forms against their plain twins, add_bias after the op, in both precisions:
// same values, same gradients for every input.
TEST(OpFused, BiasInsideLinearAndConv2dEqualsAddBiasAfter) {
  using Build = std::function<Var(Graph&, const std::vector<Var>&)>;
  auto compare = [](const std::vector<Tensor>& inputs, const Build& fused, const Build& plain) {
    const testing::ValueAndGradients f = testing::value_and_gradients(inputs, fused),
                                     p = testing::value_and_gradients(inputs, plain);
    const double tol = testing::kFloat64 ? 1e-14 : 1e-6;
    double worst = 0;
    auto track = [&](const std::vector<Scalar>& a, const std::vector<Scalar>& b) {
      for (size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(double(a[i]) - b[i]) / std::max(1.0, std::abs(double(b[i]))));
    };
    track(f.value, p.value);
    for (size_t k = 0; k < f.grads.size(); ++k) track(f.grads[k], p.grads[k]);
    return worst < tol;
  };
  EXPECT_TRUE(compare(
      {random_tensor({6, 5}, 50), random_tensor({4, 5}, 51), random_tensor({4}, 52)},
      [](Graph& g, const std::vector<Var>& v) { return linear(g, v[0], v[1], v[2]); },
      [](Graph& g, const std::vector<Var>& v) { return add_bias(g, linear(g, v[0], v[1]), v[2]); }));
  for (int pad : {0, 1})
    EXPECT_TRUE(compare(
        {random_tensor({3, 2, 6, 5}, 53), random_tensor({4, 2, 3, 3}, 54), random_tensor({4}, 55)},
        [pad](Graph& g, const std::vector<Var>& v) { return conv2d(g, v[0], v[1], v[2], pad); },
        [pad](Graph& g, const std::vector<Var>& v) { return add_bias(g, conv2d(g, v[0], v[1], pad), v[2]); }))
        << "padding " << pad;
}

// The interleaved squared-error sum against its one-chain twin, for lengths around the lane
// count and a long one; and the same bits on every call.
TEST(OpFused, SquaredErrorSumEqualsPlainSum) {
  for (int n : {0, 1, 7, 8, 9, 23, 50176}) {
    Tensor x = random_tensor({std::max(n, 1)}, 60 + n), t = random_tensor({std::max(n, 1)}, 61 + n);
    const double fast = squared_error_sum(x.data(), t.data(), size_t(n));
    const double plain = squared_error_sum_reference(x.data(), t.data(), size_t(n));
    EXPECT_NEAR(fast, plain, 1e-13 * std::max(1.0, plain)) << "n = " << n;
    EXPECT_EQ(fast, squared_error_sum(x.data(), t.data(), size_t(n))) << "n = " << n;
  }
}

// ---- forward values, in both precisions ----

TEST(OpForward, LinearIsXTimesWTransposed) {
  Graph g;
  Var x = g.constant(Tensor({1, 2}, {1, 2}));
  Var w = g.constant(Tensor({3, 2}, {1, 0, 0, 1, 1, 1}));
  const Tensor& y = g.value(linear(g, x, w));
  EXPECT_EQ(y.shape(), (Shape{1, 3}));
  EXPECT_FLOAT_EQ(y[0], 1);
  EXPECT_FLOAT_EQ(y[1], 2);
  EXPECT_FLOAT_EQ(y[2], 3);
}

TEST(OpForward, SoftplusMatchesPyTorchIncludingLinearBranch) {
  Graph g;
  Var x = g.constant(Tensor({4}, {0, 20, 20.5, -3}));
  const Tensor& y = g.value(softplus(g, x));
  EXPECT_NEAR(y[0], std::log(2.0), 1e-6);
  EXPECT_NEAR(y[1], std::log1p(std::exp(20.0)), 1e-5);
  EXPECT_EQ(y[2], Scalar(20.5));  // x > 20 returns x itself
  EXPECT_NEAR(y[3], std::log1p(std::exp(-3.0)), 1e-7);
}

TEST(OpForward, CrossEntropyKeepsTinyLosses) {
  // logits (30, 0): loss = log(1 + e^-30) = 9.357623e-14, far below float32's epsilon.
  Graph g;
  Var z = g.constant(Tensor({1, 2}, {30, 0}));
  const double loss = g.value(cross_entropy(g, z, {0}))[0];
  EXPECT_NEAR(loss / 9.357622968840175e-14, 1.0, 1e-5);
  Var z2 = g.constant(Tensor({1, 2}, {0, 30}));
  EXPECT_NEAR(g.value(cross_entropy(g, z2, {0}))[0], 30.0, 1e-5);
}

TEST(OpForward, CrossEntropyGradientOfConfidentRowIsTinyNotZero) {
  Graph g;
  Tensor grad({1, 2});
  Var z = g.parameter(Tensor({1, 2}, {25, 0}), grad);
  g.backward(cross_entropy(g, z, {0}));
  // d/dz0 = p0 - 1 = -e^-25/(1+e^-25) ~ -1.3888e-11: kept, not rounded to 0
  EXPECT_NEAR(grad[0] / -1.3887943864771144e-11, 1.0, 1e-5);
  EXPECT_NEAR(grad[1] / 1.3887943864771144e-11, 1.0, 1e-5);
}

TEST(OpForward, Conv2dOfOnesCountsTheWindow) {
  Graph g;
  Tensor ones({1, 1, 3, 3});
  ones.fill(1);
  Tensor w({1, 1, 3, 3});
  w.fill(1);
  const Tensor& y = g.value(conv2d(g, g.constant(ones), g.constant(w), 1));
  // padded by 1: corners see 4 ones, edges 6, the centre 9
  EXPECT_EQ(y.shape(), (Shape{1, 1, 3, 3}));
  EXPECT_FLOAT_EQ(y[0], 4);
  EXPECT_FLOAT_EQ(y[1], 6);
  EXPECT_FLOAT_EQ(y[4], 9);
}

TEST(OpForward, AvgPoolAveragesWindows) {
  Graph g;
  Var x = g.constant(Tensor({1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8}));
  const Tensor& y = g.value(avgpool2(g, x));
  EXPECT_FLOAT_EQ(y[0], 3.5);
  EXPECT_FLOAT_EQ(y[1], 5.5);
}

TEST(Graph, GradientsAccumulateAcrossBackwardCalls) {
  Tensor grad({2});
  for (int pass = 0; pass < 2; ++pass) {
    Graph g;
    Var w = g.parameter(Tensor({2}, {1, 2}), grad);
    g.backward(mse(g, w, g.constant(Tensor({2}, {0, 0}))));
  }
  // d/dw mean(w^2) = w, twice
  EXPECT_FLOAT_EQ(grad[0], 2);
  EXPECT_FLOAT_EQ(grad[1], 4);
}

TEST(Graph, ConstantsGetNoGradient) {
  Graph g;
  Tensor grad({2});
  Var c = g.constant(Tensor({2}, {1, 1}));
  Var w = g.parameter(Tensor({2}, {3, 4}), grad);
  Var y = mul(g, c, w);
  EXPECT_FALSE(g.requires_grad(c));
  EXPECT_TRUE(g.requires_grad(y));
  g.backward(mse(g, y, g.constant(Tensor({2}, {0, 0}))));
  EXPECT_FLOAT_EQ(grad[0], 3);
}

TEST(OpErrors, ShapeMismatchesAreErrors) {
  Graph g;
  Var a = g.constant(Tensor({2, 3}));
  Var b = g.constant(Tensor({3, 2}));
  EXPECT_THROW(add(g, a, b), Error);
  EXPECT_THROW(linear(g, a, b), Error);  // weight [3,2] needs inputs of 2 features
  EXPECT_THROW(cross_entropy(g, a, {0, 7}), Error);
  EXPECT_THROW(slice_columns(g, a, 2, 2), Error);
}

}  // namespace
}  // namespace landscape
