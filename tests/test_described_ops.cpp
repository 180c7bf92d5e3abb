// The ops for described models (docs/algorithms.md §2.7): leaky_relu, gelu (exact and tanh),
// softplus(beta, threshold), maxpool2d, avgpool2d and conv2d with a stride.
// - values and gradients against PyTorch float64 (reference_outputs/described_ops_golden.csv,
//   scripts/make_described_ops_golden.py), in both precisions;
// - forward values against hand-computed small cases (maxpool's tie rule, padding, floor mode);
// - every backward against float64 central differences, every tangent rule (R-operator)
//   against central differences of the gradient (as tests/test_hessian.cpp), < 1e-6;
// - strided conv2d against a plain loop written here, non-square images;
// - the old ops unchanged: softplus(x), avgpool2 and stride-1 conv2d bit for bit where the new
//   general forms route to them or meet them; a residual block needs nothing beyond add.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "autodiff/ops.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::gradient_check_error;
using testing::LossBuilder;
using testing::random_tensor;
using testing::to_scalar;

constexpr double kTol = 1e-6;

std::vector<Scalar> values(const Tensor& t) { return std::vector<Scalar>(t.data(), t.data() + t.size()); }

// The tangent checks of these ops, along directions of their own (seeds 700, 701, ...).
double hvp_check_error(const std::vector<Tensor>& inputs, const LossBuilder& loss) {
  return testing::hvp_check_error(inputs, loss, 1e-5, 700);
}

// A smooth nonlinear reduction: the loss then has curvature where the op is (piecewise) linear.
Var softplus_sum(Graph& g, Var y) { return to_scalar(g, softplus(g, y)); }

// ---- the PyTorch golden file ----

// case -> array -> values (reference_outputs/described_ops_golden.csv)
using Golden = std::map<std::string, std::map<std::string, std::vector<double>>>;

const Golden& golden() {
  static const Golden all = [] {
    Golden g;
    std::ifstream in(testing::reference_path("described_ops_golden.csv"));
    if (!in) throw Error("cannot read reference_outputs/described_ops_golden.csv");
    std::string line;
    bool header = false;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      if (!header) {
        header = true;  // case,array,index,value
        continue;
      }
      std::stringstream row(line);
      std::string name, array, index, value;
      std::getline(row, name, ',');
      std::getline(row, array, ',');
      std::getline(row, index, ',');
      std::getline(row, value);
      std::vector<double>& a = g[name][array];
      if (std::stoul(index) != a.size()) throw Error("described_ops_golden.csv: rows out of order");
      a.push_back(std::stod(value));
    }
    return g;
  }();
  return all;
}

const std::vector<double>& golden_array(const std::string& name, const std::string& array) {
  const auto c = golden().find(name);
  if (c == golden().end() || !c->second.count(array))
    throw Error("described_ops_golden.csv has no " + name + "/" + array);
  return c->second.at(array);
}

Tensor golden_tensor(const std::string& name, const std::string& array, Shape shape) {
  const std::vector<double>& a = golden_array(name, array);
  Tensor t(std::move(shape));
  if (a.size() != t.size()) throw Error("described_ops_golden.csv: " + name + "/" + array + " size");
  for (size_t i = 0; i < a.size(); ++i) t[i] = Scalar(a[i]);
  return t;
}

// Largest |a - b| / (atol + rtol |b|): at most 1 passes.
double worst_mismatch(const std::vector<Scalar>& a, const std::vector<double>& b) {
  const double rtol = testing::kFloat64 ? 1e-12 : 2e-6, atol = testing::kFloat64 ? 1e-14 : 1e-6;
  if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(double(a[i]) - b[i]) / (atol + rtol * std::abs(b[i])));
  return worst;
}

// sum(y * dy) for a constant dy of y's shape: a [1] loss whose gradient in y is dy.
Var weighted_sum(Graph& g, Var y, Tensor dy) {
  const int n = int(g.value(y).size());
  Var row = reshape(g, y, {1, n});
  Var weights = g.constant(dy.reshaped({1, n}));
  return reshape(g, linear(g, row, weights), {1});
}

// Runs one golden case: `op` on the case's inputs (shapes given, in the order x, w, b), and
// compares y and every input's gradient of sum(y * dy) with PyTorch's.
using GoldenOp = std::function<Var(Graph&, const std::vector<Var>&)>;
void expect_matches_golden(const std::string& name, const std::vector<Shape>& input_shapes,
                           const GoldenOp& op) {
  static const char* const kInputs[] = {"x", "w", "b"};
  static const char* const kGrads[] = {"gx", "gw", "gb"};
  Graph g;
  std::vector<Tensor> grads;
  std::vector<Var> leaves;
  for (size_t k = 0; k < input_shapes.size(); ++k) {
    grads.emplace_back(input_shapes[k]);
    leaves.push_back(g.parameter(golden_tensor(name, kInputs[k], input_shapes[k]), grads.back()));
  }
  Var y = op(g, leaves);
  EXPECT_LT(worst_mismatch(values(g.value(y)), golden_array(name, "y")), 1) << name << ": y";
  g.backward(weighted_sum(g, y, golden_tensor(name, "dy", g.value(y).shape())));
  for (size_t k = 0; k < grads.size(); ++k)
    EXPECT_LT(worst_mismatch(values(grads[k]), golden_array(name, kGrads[k])), 1)
        << name << ": " << kGrads[k];
}

TEST(DescribedOpsGolden, ActivationsMatchPyTorch) {
  const std::vector<Shape> x{{26}};
  auto one = [](auto f) { return [f](Graph& g, const std::vector<Var>& v) { return f(g, v[0]); }; };
  expect_matches_golden("leaky_relu_default", x, one([](Graph& g, Var v) { return leaky_relu(g, v); }));
  expect_matches_golden("leaky_relu_0.2", x, one([](Graph& g, Var v) { return leaky_relu(g, v, 0.2); }));
  expect_matches_golden("gelu_none", x, one([](Graph& g, Var v) { return gelu(g, v); }));
  expect_matches_golden("gelu_tanh", x,
                        one([](Graph& g, Var v) { return gelu(g, v, GeluApproximation::Tanh); }));
  expect_matches_golden("softplus_b2_t5", x, one([](Graph& g, Var v) { return softplus(g, v, 2, 5); }));
  expect_matches_golden("softplus_b0.5_t20", x, one([](Graph& g, Var v) { return softplus(g, v, 0.5, 20); }));
}

TEST(DescribedOpsGolden, PoolingMatchesPyTorch) {
  const std::vector<Shape> x{{2, 2, 7, 6}};
  auto pool = [](Var (*op)(Graph&, Var, int, int, int), int k, int s, int p) {
    return [=](Graph& g, const std::vector<Var>& v) { return op(g, v[0], k, s, p); };
  };
  expect_matches_golden("maxpool_k3_s2_p1", x, pool(maxpool2d, 3, 2, 1));
  expect_matches_golden("maxpool_k2_s1_p1", x, pool(maxpool2d, 2, 1, 1));
  expect_matches_golden("avgpool_k3_s2_p1", x, pool(avgpool2d, 3, 2, 1));
  expect_matches_golden("avgpool_k2_s2_p0", x, pool(avgpool2d, 2, 2, 0));
}

TEST(DescribedOpsGolden, StridedConv2dMatchesPyTorch) {
  struct Case {
    const char* name;
    int k, padding, stride;
  };
  for (const Case& c :
       {Case{"conv_k3_s2_p1", 3, 1, 2}, Case{"conv_k1_s2_p0", 1, 0, 2}, Case{"conv_k3_s3_p2", 3, 2, 3}})
    expect_matches_golden(c.name, {{2, 3, 7, 6}, {4, 3, c.k, c.k}, {4}},
                          [c](Graph& g, const std::vector<Var>& v) {
                            return conv2d(g, v[0], v[1], v[2], c.padding, c.stride);
                          });
}

// ---- forward values by hand, in both precisions ----

TEST(DescribedOpsForward, LeakyReluScalesTheNegativeSideAndItsSlopeAtZero) {
  Graph g;
  Tensor grad({4});
  Var x = g.parameter(Tensor({4}, {-2, -0.5, 0, 3}), grad);
  Var y = leaky_relu(g, x, 0.1);
  const Tensor& Y = g.value(y);
  EXPECT_FLOAT_EQ(Y[0], -0.2f);
  EXPECT_FLOAT_EQ(Y[1], -0.05f);
  EXPECT_EQ(Y[2], Scalar(0));
  EXPECT_EQ(Y[3], Scalar(3));
  g.backward(weighted_sum(g, y, Tensor({4}, {1, 1, 1, 1})));
  EXPECT_EQ(grad[0], Scalar(0.1));
  EXPECT_EQ(grad[2], Scalar(0.1));  // PyTorch: x <= 0 takes the slope, the kink included
  EXPECT_EQ(grad[3], Scalar(1));
  Graph g2;
  EXPECT_FLOAT_EQ(g2.value(leaky_relu(g2, g2.constant(Tensor({1}, {-3}))))[0], -0.03f);  // 0.01
}

TEST(DescribedOpsForward, GeluIsXTimesTheNormalDistribution) {
  Graph g;
  Var x = g.constant(Tensor({4}, {-1, 0, 1, 2}));
  // x Phi(x): Phi(1) = 0.841344746068543, Phi(2) = 0.977249868051821
  const Tensor& exact = g.value(gelu(g, x));
  EXPECT_NEAR(exact[0], -0.15865525393145705, 1e-7);
  EXPECT_EQ(exact[1], Scalar(0));
  EXPECT_NEAR(exact[2], 0.84134474606854293, 1e-7);
  EXPECT_NEAR(exact[3], 1.9544997361036416, 2e-7);
  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
  const Tensor& approx = g.value(gelu(g, x, GeluApproximation::Tanh));
  EXPECT_NEAR(approx[0], -0.15880800939172324, 1e-7);
  EXPECT_NEAR(approx[2], 0.84119199060827676, 1e-7);
  EXPECT_NEAR(approx[3], 1.954597694087775, 2e-7);
}

TEST(DescribedOpsForward, SoftplusWithBetaAndThreshold) {
  Graph g;
  Var x = g.constant(Tensor({4}, {0, 1, 2.4, 2.6}));
  const Tensor& y = g.value(softplus(g, x, 2, 5));
  EXPECT_NEAR(y[0], std::log(2.0) / 2, 1e-7);
  EXPECT_NEAR(y[1], std::log1p(std::exp(2.0)) / 2, 1e-7);
  EXPECT_NEAR(y[2], std::log1p(std::exp(4.8)) / 2, 1e-6);  // beta x = 4.8 <= 5
  EXPECT_EQ(y[3], Scalar(2.6));                            // beta x = 5.2 > 5: x itself
}

// maxpool2d(kernel 2, stride 2, padding 1) on a 4x4 plane: 3x3 windows of the padded 6x6, the
// corner windows hold one pixel, the edge windows two, the centre four.
TEST(DescribedOpsForward, MaxPoolTakesTheFirstMaximumOfEachWindow) {
  Graph g;
  Tensor grad({1, 1, 4, 4});
  Var x = g.parameter(Tensor({1, 1, 4, 4}, {1, 5, 5, 2,  //
                                            3, 0, 4, 4,  //
                                            7, 1, 4, 9,  //
                                            2, 7, 6, 6}),
                      grad);
  Var y = maxpool2d(g, x, 2, 2, 1);
  ASSERT_EQ(g.value(y).shape(), (Shape{1, 1, 3, 3}));
  const std::vector<Scalar> expected{1, 5, 2, 7, 4, 9, 2, 7, 6};
  EXPECT_EQ(values(g.value(y)), expected);
  g.backward(weighted_sum(g, y, Tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})));
  // window (0,1) = {5, 5}: the first; window (1,1) = {0, 4; 1, 4}: the 4 at (1,2), not (2,2)
  const std::vector<Scalar> dx{1, 2, 0, 3,  //
                               0, 0, 5, 0,  //
                               4, 0, 0, 6,  //
                               7, 8, 0, 9};
  EXPECT_EQ(values(grad), dx);
}

TEST(DescribedOpsForward, MaxPoolPassesNaNOnAsPyTorch) {
  Graph g;
  const Scalar nan = std::numeric_limits<Scalar>::quiet_NaN();
  Var x = g.constant(Tensor({1, 1, 2, 2}, {1, nan, 3, 2}));
  EXPECT_TRUE(std::isnan(g.value(maxpool2d(g, x, 2, 2, 0))[0]));
}

// avgpool2d(kernel 3, stride 2, padding 1) on 1..16 in a 4x4: every window 3x3 of the padded
// plane, the padding counted (divisor 9), Ho = (4 + 2 - 3) / 2 + 1 = 2.
TEST(DescribedOpsForward, AvgPoolCountsThePadding) {
  Graph g;
  Tensor x({1, 1, 4, 4});
  for (int i = 0; i < 16; ++i) x[i] = Scalar(i + 1);
  const Tensor& y = g.value(avgpool2d(g, g.constant(x), 3, 2, 1));
  ASSERT_EQ(y.shape(), (Shape{1, 1, 2, 2}));
  EXPECT_FLOAT_EQ(y[0], 14.0f / 9);  // 1 + 2 + 5 + 6
  EXPECT_FLOAT_EQ(y[1], 30.0f / 9);  // 2 + 3 + 4 + 6 + 7 + 8
  EXPECT_FLOAT_EQ(y[2], 57.0f / 9);  // 5 + 6 + 9 + 10 + 13 + 14
  EXPECT_FLOAT_EQ(y[3], 11);         // 6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16
}

TEST(DescribedOpsForward, PoolingOutputSizesFloorOnNonSquareImages) {
  Graph g;
  Var x = g.constant(random_tensor({2, 3, 9, 6}, 1));
  // (9 + 2 - 3) / 2 + 1 = 5,  (6 + 2 - 3) / 2 + 1 = 3 (floor of 2.5)
  EXPECT_EQ(g.value(maxpool2d(g, x, 3, 2, 1)).shape(), (Shape{2, 3, 5, 3}));
  EXPECT_EQ(g.value(avgpool2d(g, x, 3, 2, 1)).shape(), (Shape{2, 3, 5, 3}));
  // (9 - 2) / 2 + 1 = 4 (the last row dropped), 6 / 2 = 3
  EXPECT_EQ(g.value(avgpool2d(g, x, 2, 2, 0)).shape(), (Shape{2, 3, 4, 3}));
  EXPECT_EQ(g.value(maxpool2d(g, x, 4, 4, 0)).shape(), (Shape{2, 3, 2, 1}));
}

// ---- strided conv2d against a plain loop, both precisions ----

// y[n,f,oh,ow] = b[f] + sum_{c,kh,kw} w[f,c,kh,kw] x[n,c,oh s+kh-p, ow s+kw-p], in double.
std::vector<double> conv2d_by_definition(const Tensor& x, const Tensor& w, const Tensor& b, int p, int s) {
  const int N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3), F = w.dim(0), k = w.dim(2);
  const int Ho = (H + 2 * p - k) / s + 1, Wo = (W + 2 * p - k) / s + 1;
  std::vector<double> y;
  for (int n = 0; n < N; ++n)
    for (int f = 0; f < F; ++f)
      for (int oh = 0; oh < Ho; ++oh)
        for (int ow = 0; ow < Wo; ++ow) {
          double sum = b[f];
          for (int c = 0; c < C; ++c)
            for (int kh = 0; kh < k; ++kh)
              for (int kw = 0; kw < k; ++kw) {
                const int ih = oh * s + kh - p, iw = ow * s + kw - p;
                if (ih >= 0 && ih < H && iw >= 0 && iw < W)
                  sum += double(w[((f * C + c) * k + kh) * k + kw]) * x[((n * C + c) * H + ih) * W + iw];
              }
          y.push_back(sum);
        }
  return y;
}

TEST(DescribedOpsForward, StridedConv2dEqualsThePlainLoopOnNonSquareImages) {
  struct Case {
    Shape x;
    int F, k, padding, stride;
    Shape y;
  };
  const std::vector<Case> cases = {
      {{2, 3, 7, 4}, 5, 3, 1, 2, {2, 5, 4, 2}},    // H != W
      {{1, 2, 4, 9}, 3, 3, 0, 2, {1, 3, 1, 4}},    // W > H
      {{3, 2, 8, 8}, 4, 1, 0, 2, {3, 4, 4, 4}},    // 1x1 downsampling of a residual block
      {{2, 1, 11, 6}, 2, 5, 2, 3, {2, 2, 4, 2}},   // stride 3
      {{1, 2, 6, 5}, 16, 5, 2, 2, {1, 16, 3, 3}},  // 16 filters of 5x5 (the lane kernels' shape)
  };
  for (const Case& c : cases) {
    const int C = c.x[1];
    const Tensor x = random_tensor(c.x, 10), w = random_tensor({c.F, C, c.k, c.k}, 11),
                 b = random_tensor({c.F}, 12);
    Graph g;
    const Tensor& y = g.value(conv2d(g, g.constant(x), g.constant(w), g.constant(b), c.padding, c.stride));
    ASSERT_EQ(y.shape(), c.y) << shape_string(c.x);
    const std::vector<double> plain = conv2d_by_definition(x, w, b, c.padding, c.stride);
    double worst = 0;
    for (size_t i = 0; i < plain.size(); ++i)
      worst = std::max(worst, std::abs(double(y[i]) - plain[i]) / std::max(1.0, std::abs(plain[i])));
    EXPECT_LT(worst, testing::kFloat64 ? 1e-13 : 1e-5) << shape_string(c.x);
  }
}

// ---- the old ops unchanged, bit for bit ----

bool same_bits(const testing::ValueAndGradients& a, const testing::ValueAndGradients& b) {
  return a.value == b.value && a.grads == b.grads;
}

TEST(DescribedOpsUnchanged, GeneralFormsAtTheOldParametersAreTheOldOps) {
  Tensor x = random_tensor({4, 6}, 20, -5, 5);
  x[0] = 25;
  x[1] = 19.5;
  auto old_softplus = [](Graph& g, const std::vector<Var>& v) { return softplus(g, v[0]); };
  auto new_softplus = [](Graph& g, const std::vector<Var>& v) { return softplus(g, v[0], 1, 20); };
  EXPECT_TRUE(same_bits(testing::value_and_gradients({x}, old_softplus),
                        testing::value_and_gradients({x}, new_softplus)));

  const Tensor images = random_tensor({2, 3, 6, 8}, 21);
  auto old_pool = [](Graph& g, const std::vector<Var>& v) { return avgpool2(g, v[0]); };
  auto new_pool = [](Graph& g, const std::vector<Var>& v) { return avgpool2d(g, v[0], 2, 2, 0); };
  EXPECT_TRUE(same_bits(testing::value_and_gradients({images}, old_pool),
                        testing::value_and_gradients({images}, new_pool)));

  const Tensor w = random_tensor({4, 3, 3, 3}, 22), b = random_tensor({4}, 23);
  for (int pad : {0, 1}) {
    auto old_conv = [pad](Graph& g, const std::vector<Var>& v) { return conv2d(g, v[0], v[1], v[2], pad); };
    auto new_conv = [pad](Graph& g, const std::vector<Var>& v) {
      return conv2d(g, v[0], v[1], v[2], pad, 1);
    };
    EXPECT_TRUE(same_bits(testing::value_and_gradients({images, w, b}, old_conv),
                          testing::value_and_gradients({images, w, b}, new_conv)))
        << "padding " << pad;
  }
}

// avgpool2d's own loops (odd H and W: floor mode drops the last row and column, where avgpool2
// refuses) give avgpool2's bits on the even part, values and gradients: the same four terms in
// the same order, and sum / 4 = 0.25 sum exactly.
TEST(DescribedOpsUnchanged, AvgPool2dOwnLoopsGiveAvgPool2sBits) {
  const Tensor odd = random_tensor({2, 3, 7, 9}, 24);
  Tensor even({2, 3, 6, 8});
  for (int p = 0; p < 6; ++p)
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 8; ++j) even[(p * 6 + i) * 8 + j] = odd[(p * 7 + i) * 9 + j];
  // the same loss weights for both outputs [2,3,3,4]
  auto reduce = [](Graph& g, Var y) { return weighted_sum(g, y, random_tensor({2, 3, 3, 4}, 25)); };
  const testing::ValueAndGradients general = testing::value_and_gradients(
      {odd}, [](Graph& g, const std::vector<Var>& v) { return avgpool2d(g, v[0], 2, 2, 0); }, reduce);
  const testing::ValueAndGradients old = testing::value_and_gradients(
      {even}, [](Graph& g, const std::vector<Var>& v) { return avgpool2(g, v[0]); }, reduce);
  EXPECT_EQ(general.value, old.value);
  ASSERT_EQ(general.grads[0].size(), odd.size());
  std::vector<Scalar> cropped;  // the odd input's gradient on its even part
  for (int p = 0; p < 6; ++p)
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 8; ++j) cropped.push_back(general.grads[0][(p * 7 + i) * 9 + j]);
  EXPECT_EQ(cropped, old.grads[0]);
}

// ---- gradients against central differences (float64) ----

using DescribedOpGradient = testing::Float64Only;

// Values bounded away from 0 (leaky_relu's kink) and, for softplus(2, 5), from beta x = 5.
Tensor away_from_kinks(Shape shape, unsigned seed) {
  Tensor t = random_tensor(std::move(shape), seed, 0.05, 2.4);
  for (size_t i = 0; i < t.size(); i += 2) t[i] = -t[i];
  t[1] = 2.6;  // beta x = 5.2: softplus(2, 5)'s linear branch
  t[3] = 4;
  return t;
}

std::vector<std::pair<const char*, std::function<Var(Graph&, Var)>>> activations() {
  return {
      {"leaky_relu", [](Graph& g, Var x) { return leaky_relu(g, x); }},
      {"leaky_relu 0.2", [](Graph& g, Var x) { return leaky_relu(g, x, 0.2); }},
      {"gelu", [](Graph& g, Var x) { return gelu(g, x); }},
      {"gelu tanh", [](Graph& g, Var x) { return gelu(g, x, GeluApproximation::Tanh); }},
      {"softplus 2 5", [](Graph& g, Var x) { return softplus(g, x, 2, 5); }},
      {"softplus 0.5 1", [](Graph& g, Var x) { return softplus(g, x, 0.5, 1); }},
  };
}

TEST_F(DescribedOpGradient, Activations) {
  for (const auto& [name, op] : activations()) {
    auto f = [op](Graph& g, const std::vector<Var>& v) { return to_scalar(g, op(g, v[0])); };
    EXPECT_LT(gradient_check_error({away_from_kinks({4, 6}, 30)}, f), kTol) << name;
  }
}

struct PoolCase {
  int k, s, p;
};
const std::vector<PoolCase> kPools = {{3, 2, 1}, {2, 1, 1}, {2, 2, 0}, {3, 3, 0}, {4, 2, 2}};

std::string pool_name(const char* op, const PoolCase& c) {
  return std::string(op) + " kernel " + std::to_string(c.k) + ", stride " + std::to_string(c.s) +
         ", padding " + std::to_string(c.p);
}

// A finite-difference check of a loss at its inputs: the gradient's or the tangent rules'.
using CheckError = double (*)(const std::vector<Tensor>& inputs, const LossBuilder& loss);

// Both poolings of every case through `reduce`, below kTol by `check` on a random [2, 3, 7, 6]
// input (seed for max, seed + 1 for avg).
void expect_poolings_pass(CheckError check, Var (*reduce)(Graph&, Var), unsigned seed) {
  for (const PoolCase& c : kPools) {
    auto fm = [c, reduce](Graph& g, const std::vector<Var>& v) {
      return reduce(g, maxpool2d(g, v[0], c.k, c.s, c.p));
    };
    auto fa = [c, reduce](Graph& g, const std::vector<Var>& v) {
      return reduce(g, avgpool2d(g, v[0], c.k, c.s, c.p));
    };
    EXPECT_LT(check({random_tensor({2, 3, 7, 6}, seed)}, fm), kTol) << pool_name("max", c);
    EXPECT_LT(check({random_tensor({2, 3, 7, 6}, seed + 1)}, fa), kTol) << pool_name("avg", c);
  }
}

TEST_F(DescribedOpGradient, Pooling) {
  auto gradient_error = [](const std::vector<Tensor>& inputs, const LossBuilder& loss) {
    return gradient_check_error(inputs, loss);
  };
  expect_poolings_pass(gradient_error, to_scalar, 31);
}

TEST_F(DescribedOpGradient, StridedConv2d) {
  for (int stride : {2, 3})
    for (int pad : {0, 1}) {
      auto f = [=](Graph& g, const std::vector<Var>& v) {
        return to_scalar(g, conv2d(g, v[0], v[1], pad, stride));
      };
      auto fb = [=](Graph& g, const std::vector<Var>& v) {
        return to_scalar(g, conv2d(g, v[0], v[1], v[2], pad, stride));
      };
      EXPECT_LT(gradient_check_error({random_tensor({2, 3, 8, 7}, 33), random_tensor({4, 3, 3, 3}, 34)}, f),
                kTol)
          << "stride " << stride << ", padding " << pad;
      EXPECT_LT(
          gradient_check_error(
              {random_tensor({2, 3, 8, 7}, 35), random_tensor({4, 3, 3, 3}, 36), random_tensor({4}, 37)}, fb),
          kTol)
          << "stride " << stride << ", padding " << pad << ", bias";
    }
}

// ---- tangent rules (R-operator) against differences of the gradient (float64) ----

using DescribedOpHvp = testing::Float64Only;

TEST_F(DescribedOpHvp, Activations) {
  for (const auto& [name, op] : activations()) {
    auto f = [op](Graph& g, const std::vector<Var>& v) { return to_scalar(g, op(g, v[0])); };
    EXPECT_LT(hvp_check_error({away_from_kinks({4, 6}, 40)}, f), kTol) << name;
    auto fs = [op](Graph& g, const std::vector<Var>& v) { return softplus_sum(g, op(g, v[0])); };
    EXPECT_LT(hvp_check_error({away_from_kinks({4, 6}, 41)}, fs), kTol) << name << " then softplus";
  }
}

TEST_F(DescribedOpHvp, Pooling) { expect_poolings_pass(hvp_check_error, softplus_sum, 42); }

TEST_F(DescribedOpHvp, StridedConv2d) {
  for (int stride : {2, 3}) {
    auto f = [=](Graph& g, const std::vector<Var>& v) {
      return softplus_sum(g, conv2d(g, v[0], v[1], v[2], 1, stride));
    };
    EXPECT_LT(
        hvp_check_error(
            {random_tensor({2, 2, 7, 6}, 44), random_tensor({3, 2, 3, 3}, 45), random_tensor({3}, 46)}, f),
        kTol)
        << "stride " << stride;
    auto fdata = [=](Graph& g, const std::vector<Var>& v) {  // x the data: only w's terms
      Var x = g.constant(random_tensor({2, 2, 7, 6}, 47));
      return softplus_sum(g, conv2d(g, x, v[0], 0, stride));
    };
    EXPECT_LT(hvp_check_error({random_tensor({3, 2, 3, 3}, 48)}, fdata), kTol) << "stride " << stride;
  }
}

// A downsampling residual block of a described model, gelu(conv(relu(conv_s2(x))) + proj_s2(x)):
// a strided 3x3 path beside a strided 1x1 projection, built from the ops alone; add is all it
// needs beyond them.
Var residual_block(Graph& g, const std::vector<Var>& v) {
  Var h = relu(g, conv2d(g, v[0], v[1], 1, 2));  // [2,4,4,3]
  Var main = conv2d(g, h, v[2], 1);              // [2,4,4,3]
  Var skip = conv2d(g, v[0], v[3], 0, 2);        // [2,4,4,3]
  return to_scalar(g, gelu(g, add(g, main, skip)));
}

TEST_F(DescribedOpGradient, ResidualBlockNeedsNothingBeyondAdd) {
  const std::vector<Tensor> inputs = {random_tensor({2, 3, 8, 6}, 50), random_tensor({4, 3, 3, 3}, 51),
                                      random_tensor({4, 4, 3, 3}, 52), random_tensor({4, 3, 1, 1}, 53)};
  EXPECT_LT(gradient_check_error(inputs, residual_block), kTol);
  EXPECT_LT(hvp_check_error(inputs, residual_block), kTol);
}

// ---- errors where PyTorch refuses ----

TEST(DescribedOpsErrors, BadWindowsAndStridesAreErrors) {
  Graph g;
  Var x = g.constant(Tensor({1, 1, 4, 4}));
  Var w = g.constant(Tensor({1, 1, 3, 3}));
  testing::expect_error([&] { maxpool2d(g, x, 2, 2, 2); }, {"maxpool2d", "padding 2"});  // > k/2
  testing::expect_error([&] { avgpool2d(g, x, 0, 1, 0); }, {"avgpool2d", "kernel 0"});
  testing::expect_error([&] { avgpool2d(g, x, 2, 0, 0); }, {"avgpool2d", "stride 0"});
  testing::expect_error([&] { maxpool2d(g, x, 7, 1, 1); }, {"maxpool2d", "larger"});
  testing::expect_error([&] { maxpool2d(g, g.constant(Tensor({4, 4})), 2, 2, 0); }, {"[N,C,H,W]"});
  testing::expect_error([&] { conv2d(g, x, w, 0, 0); }, {"conv2d", "stride 0"});
  EXPECT_THROW(conv2d(g, g.constant(Tensor({1, 1, 2, 2})), w, 0, 2), Error);  // 3x3 on 2x2
  testing::expect_error([&] { softplus(g, x, 0, 20); }, {"softplus", "beta"});
}

}  // namespace
}  // namespace landscape
