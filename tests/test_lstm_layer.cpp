// The fused LSTM layer (autodiff/lstm_layer.cpp) against its plain twin built from the primitive
// ops (values and every gradient, both precisions), and against float64 central differences.
#include <gtest/gtest.h>

#include <cmath>

#include "autodiff/ops.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::random_tensor;

// N sequences of T steps of I inputs, H hidden units.
constexpr int N = 5, T = 4, I = 3, H = 6, G = 4 * H;

std::vector<Tensor> random_inputs(unsigned seed) {
  return {random_tensor({N, T * I}, seed, -2, 2), random_tensor({G, I}, seed + 1, -0.8, 0.8),
          random_tensor({G, H}, seed + 2, -0.8, 0.8), random_tensor({G}, seed + 3, -0.5, 0.5),
          random_tensor({G}, seed + 4, -0.5, 0.5)};
}

// sum_k h[k] * r[k] with a fixed random r, so every output reaches the loss with its own weight.
Var weighted_sum(Graph& g, Var h) {
  Tensor r = random_tensor(g.value(h).shape(), 77, -1, 1);
  return mse(g, h, g.constant(std::move(r)));
}

using LayerFn = Var (*)(Graph&, Var, Var, Var, Var, Var);

// The hidden state h [N,H] (as value) and the gradients of weighted_sum(h) for every input.
testing::ValueAndGradients run(LayerFn layer, const std::vector<Tensor>& inputs) {
  auto build = [layer](Graph& g, const std::vector<Var>& v) {
    return layer(g, v[0], v[1], v[2], v[3], v[4]);
  };
  return testing::value_and_gradients(inputs, build, weighted_sum);
}

double relative_error(const std::vector<Scalar>& a, const std::vector<Scalar>& b) {
  return testing::relative_error(a.data(), b);
}

TEST(LstmLayer, FusedEqualsComposedFromPrimitiveOps) {
  const double tol = testing::kFloat64 ? 1e-13 : 2e-6;
  for (unsigned seed : {1u, 20u}) {
    const std::vector<Tensor> inputs = random_inputs(seed);
    const testing::ValueAndGradients fast = run(lstm_layer, inputs),
                                     plain = run(lstm_layer_reference, inputs);
    ASSERT_EQ(fast.value.size(), size_t(N * H));
    EXPECT_LT(relative_error(fast.value, plain.value), tol) << "hidden state";
    const char* names[] = {"x", "w_ih", "w_hh", "b_ih", "b_hh"};
    for (size_t k = 0; k < inputs.size(); ++k)
      EXPECT_LT(relative_error(fast.grads[k], plain.grads[k]), tol) << "d/d" << names[k];
  }
}

TEST(LstmLayer, OneStepIsTheCellFromZeroState) {
  // T = 1: h = o * tanh(i * g) with z = x W_ih^T + b_ih + b_hh, by hand for one unit.
  Graph g;
  Var x = g.constant(Tensor({1, 1}, {Scalar(0.5)}));
  Var w_ih = g.constant(Tensor({4, 1}, {Scalar(1), Scalar(2), Scalar(-1), Scalar(0.5)}));
  Var w_hh = g.constant(Tensor({4, 1}, {Scalar(9), Scalar(9), Scalar(9), Scalar(9)}));
  Var b_ih = g.constant(Tensor({4}, {Scalar(0.1), Scalar(0), Scalar(0.2), Scalar(0)}));
  Var b_hh = g.constant(Tensor({4}, {Scalar(0), Scalar(0.3), Scalar(0), Scalar(-0.4)}));
  const double h = g.value(lstm_layer(g, x, w_ih, w_hh, b_ih, b_hh))[0];
  auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
  const double i = sig(0.6), gg = std::tanh(-0.3), o = sig(-0.15);
  EXPECT_NEAR(h, o * std::tanh(i * gg), testing::kFloat64 ? 1e-15 : 1e-7);
}

TEST(LstmLayer, GradientEqualsFiniteDifferences) {
  if (!testing::kFloat64) GTEST_SKIP() << "finite-difference checks run in the float64 build";
  auto f = [](Graph& g, const std::vector<Var>& v) {
    return weighted_sum(g, lstm_layer(g, v[0], v[1], v[2], v[3], v[4]));
  };
  EXPECT_LT(testing::gradient_check_error(random_inputs(3), f), 1e-6);
}

TEST(LstmLayer, ShapesThatDoNotFitAreErrors) {
  Graph g;
  std::vector<Tensor> in = random_inputs(4);
  Var x = g.constant(random_tensor({N, T * I + 1}, 5));  // not a whole number of steps
  Var w_ih = g.constant(in[1]), w_hh = g.constant(in[2]), b = g.constant(in[3]);
  EXPECT_THROW(lstm_layer(g, x, w_ih, w_hh, b, b), Error);
  Var x_ok = g.constant(in[0]);
  Var w_hh_bad = g.constant(random_tensor({G, H + 1}, 6));
  EXPECT_THROW(lstm_layer(g, x_ok, w_ih, w_hh_bad, b, b), Error);
}

}  // namespace
}  // namespace landscape
