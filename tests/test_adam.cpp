// Adam's first steps against values computed by hand from the update rule (adam.hpp) and
// against torch.optim.Adam(lr=0.1) in float64 (numbers printed by PyTorch 2.x:
//   x = tensor([1.0, -0.5, 0.0]); three steps with the gradients below).
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "optim/adam.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

// float32 keeps ~7 digits of x; float64 must agree to rounding.
constexpr double kTol = testing::kFloat64 ? 1e-13 : 1e-6;

TEST(Adam, FirstStepIsLrTimesSignOfGradient) {
  // Step 1: m = 0.1 g, v = 0.001 g^2, so m / (1-0.9) = g and sqrt(v / (1-0.999)) = |g|:
  // x1 = x0 - lr * g / (|g| + eps).
  AdamParams p;
  p.lr = 0.1;
  Adam adam(2, p);
  Scalar x[2] = {1, -0.5};
  const Scalar g[2] = {2, Scalar(1e-3)};
  adam.step(x, g);
  EXPECT_NEAR(x[0], 1 - 0.1 * 2 / (2 + 1e-8), kTol);
  EXPECT_NEAR(x[1], -0.5 - 0.1 * 1e-3 / (1e-3 + 1e-8), kTol);
  EXPECT_EQ(adam.steps_taken(), 1);
}

TEST(Adam, SecondStepByHand) {
  // g1 = 2, g2 = -1, lr = 0.1:
  // m2 = 0.9*0.1*2 + 0.1*(-1) = 0.08;  v2 = 0.999*0.001*4 + 0.001*1 = 0.004996
  // x2 = x1 - (0.1 / (1 - 0.81)) * 0.08 / (sqrt(0.004996) / sqrt(1 - 0.998001) + 1e-8)
  AdamParams p;
  p.lr = 0.1;
  Adam adam(1, p);
  Scalar x[1] = {1};
  const Scalar g1[1] = {2}, g2[1] = {-1};
  adam.step(x, g1);
  const double x1 = 1 - 0.1 * 2 / (2 + 1e-8);
  adam.step(x, g2);
  const double x2 = x1 - (0.1 / 0.19) * 0.08 / (std::sqrt(0.004996) / std::sqrt(0.001999) + 1e-8);
  EXPECT_NEAR(x[0], x2, kTol);
  EXPECT_NEAR(x2, 0.8733662967024315, 1e-15);  // and that hand value is torch's
}

TEST(Adam, ThreeStepsMatchTorch) {
  AdamParams p;
  p.lr = 0.1;
  Adam adam(3, p);
  Scalar x[3] = {1.0, -0.5, 0.0};
  const Scalar g[3][3] = {{2.0, Scalar(1e-3), 0.0}, {-1.0, Scalar(1e-3), 3.0}, {0.5, Scalar(-2e-3), 3.0}};
  const double torch[3][3] = {{0.9000000005, -0.59999900001, 0.0},
                              {0.8733662967024315, -0.6999980000199991, -0.07441368200599646},
                              {0.8393233821389426, -0.6924331204227296, -0.1602599372321653}};
  for (int s = 0; s < 3; ++s) {
    adam.step(x, g[s]);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(x[i], torch[s][i], kTol) << "step " << s + 1;
  }
  adam.reset();
  EXPECT_EQ(adam.steps_taken(), 0);
}

TEST(Adam, ZeroGradientLeavesXAlone) {
  Adam adam(1, AdamParams{});
  Scalar x[1] = {0.25};
  const Scalar g[1] = {0};
  adam.step(x, g);
  EXPECT_EQ(x[0], Scalar(0.25));
}

TEST(Adam, CheckNamesTheFlag) {
  AdamParams p;
  p.lr = 0;
  try {
    p.check();
    FAIL() << "lr = 0 accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--lr"), std::string::npos);
  }
  p.lr = 1e-3;
  p.beta1 = 1.0;
  EXPECT_THROW(p.check(), UsageError);
  p.beta1 = 0.9;
  EXPECT_NO_THROW(p.check());
}

}  // namespace
}  // namespace landscape
