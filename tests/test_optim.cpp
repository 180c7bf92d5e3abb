// The optimizers of docs/algorithms.md §3 and §4, tested from the inside: the two-loop direction
// against the dense BFGS inverse-Hessian product, the reset rules one by one, the line search's
// trial sequences worked out by hand on 1-D functions, then whole runs on problems whose
// optimum is known, and SGD against hand-computed steps.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "optim/golden_section_line_search.hpp"
#include "optim/lbfgs_gss.hpp"
#include "optim/sgd.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Tolerances per scalar type (float32 builds round every stored vector to 7 digits).
constexpr double kDirectionTol = testing::kFloat64 ? 1e-10 : 1e-4;
constexpr double kStepTol = testing::kFloat64 ? 1e-12 : 1e-6;

// ---------------------------------------------------------------------------------------------
// Line search (docs/algorithms.md §4.5) on 1-D functions: phi records every distance it is asked for.

struct RecordedPhi {
  std::function<double(double)> f;
  std::vector<double> trials;
  std::function<double(double)> phi() {
    return [this](double u) {
      trials.push_back(u);
      return f(u);
    };
  }
};

LineSearchResult search(RecordedPhi& p, double first_trial, int budget = 6, double tol = 1e-4) {
  const double f0 = p.f(0.0);
  return golden_section_line_search(p.phi(), f0, first_trial, budget, tol);
}

// The accepted pair is one evaluation: loss == phi(u) exactly, and u was asked for.
void expect_consistent(const RecordedPhi& p, const LineSearchResult& r) {
  EXPECT_EQ(r.loss, p.f(r.u)) << "loss and u come from different trials";
  EXPECT_EQ(r.evaluations, static_cast<int>(p.trials.size()));
  bool asked = false;
  for (double t : p.trials) asked = asked || t == r.u;
  EXPECT_TRUE(asked) << "u = " << r.u << " was never evaluated";
}

TEST(GoldenSectionLineSearch, ExpansionTriesOneFourEightSixteenTimesTheFirstStep) {
  // Downhill all the way to u = 100: every trial is lower, the budget ends the expansion.
  // First trial 0.2 |r| with |r| = 2.5; then 0.2 |r| times 4, 8, 16, 32, 64 (never 2).
  RecordedPhi p{[](double u) { return (u - 100) * (u - 100); }, {}};
  const double r_norm = 2.5;
  const LineSearchResult r = search(p, 0.2 * r_norm);
  const std::vector<double> expected = {0.2 * r_norm,      0.2 * r_norm * 4,  0.2 * r_norm * 8,
                                        0.2 * r_norm * 16, 0.2 * r_norm * 32, 0.2 * r_norm * 64};
  EXPECT_EQ(p.trials, expected);
  EXPECT_EQ(r.status, LineSearchStatus::ExpansionBudget);
  EXPECT_EQ(r.u, 0.2 * r_norm * 64);  // the lowest (last) trial
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, ExpansionThenGoldenSectionUntilBudget) {
  // phi = (u - 1)^2, first trial 0.2: 0.2 (0.64 < 1), 0.8 (0.04, lower: a = 0.2),
  // 1.6 (0.36, higher: b = 1.6). Golden phase on a = 0.2 < x = 0.8 < b = 1.6:
  //   b - x = 0.8 > x - a = 0.6 -> u1 = a + 0.382 (b - a) = 0.7348, higher, left of x: a = u1
  //   b - x = 0.8 > x - a       -> u2 = u1 + 0.382 (b - u1) = 1.0655, lower, right of x:
  //                                a = x = 0.8, x = u2
  //   b - x = 0.53 > x - a = 0.27 -> u3 = 0.8 + 0.382 (b - 0.8) = 1.1056, higher: b = u3
  // Six evaluations: the budget returns x = u2.
  RecordedPhi p{[](double u) { return (u - 1) * (u - 1); }, {}};
  const LineSearchResult r = search(p, 0.2);
  const double u1 = 0.2 + (1.6 - 0.2) * 0.382;
  const double u2 = u1 + (1.6 - u1) * 0.382;
  const double u3 = 0.8 + (1.6 - 0.8) * 0.382;
  ASSERT_EQ(p.trials.size(), 6u);
  EXPECT_EQ(p.trials[0], 0.2);
  EXPECT_EQ(p.trials[1], 0.8);
  EXPECT_EQ(p.trials[2], 1.6);
  EXPECT_DOUBLE_EQ(p.trials[3], u1);
  EXPECT_DOUBLE_EQ(p.trials[4], u2);
  EXPECT_DOUBLE_EQ(p.trials[5], u3);
  EXPECT_EQ(r.status, LineSearchStatus::GoldenBudget);
  EXPECT_DOUBLE_EQ(r.u, u2);
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, GoldenPhaseStopsOnLossTolerance) {
  // Same shape scaled by 1e-4: after 0.2, 0.8, 1.6 the ends differ by |f_a - f_b| =
  // 1e-4 (0.64 - 0.36) < tol, so the golden phase returns x = 0.8 at once.
  RecordedPhi p{[](double u) { return 1e-4 * (u - 1) * (u - 1); }, {}};
  const LineSearchResult r = search(p, 0.2);
  EXPECT_EQ(p.trials, (std::vector<double>{0.2, 0.8, 1.6}));
  EXPECT_EQ(r.status, LineSearchStatus::GoldenTolerance);
  EXPECT_EQ(r.u, 0.8);
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, ContractionAcceptsUphillEndWithinLossTolerance) {
  // phi = 1e-3 u rises from f0 = 0. Trial 0.2 (2e-4) is higher: b = 0.2; |f_a - f_b| = 2e-4
  // >= tol, so try 0.382 * 0.2 = 0.0764 (7.64e-5, higher): b = 0.0764. Now |f_a - f_b| < tol
  // and the published code returns b, although phi(b) > phi(0).
  RecordedPhi p{[](double u) { return 1e-3 * u; }, {}};
  const LineSearchResult r = search(p, 0.2);
  EXPECT_EQ(p.trials, (std::vector<double>{0.2, 0.382 * 0.2}));
  EXPECT_EQ(r.status, LineSearchStatus::ContractionTolerance);
  EXPECT_EQ(r.u, 0.382 * 0.2);
  EXPECT_GT(r.loss, p.f(0.0)) << "the published contraction accepts an uphill b";
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, ContractionAcceptsUphillEndWithinWidthTolerance) {
  // A first trial narrower than tol: [0, b] is already within tol, b is returned.
  RecordedPhi p{[](double u) { return u; }, {}};
  const LineSearchResult r = search(p, 5e-5);
  EXPECT_EQ(p.trials, (std::vector<double>{5e-5}));
  EXPECT_EQ(r.status, LineSearchStatus::ContractionTolerance);
  EXPECT_EQ(r.u, 5e-5);
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, ContractionOutOfBudgetReturnsUphillEnd) {
  // phi = u: every trial is higher; b shrinks by 0.382 each time (0.2, 0.0764, ..., 0.0016,
  // all wider than tol). After six evaluations the last b is returned, uphill.
  RecordedPhi p{[](double u) { return u; }, {}};
  const LineSearchResult r = search(p, 0.2);
  std::vector<double> expected = {0.2};
  for (int k = 1; k < 6; ++k) expected.push_back(0 + 0.382 * (expected.back() - 0));
  EXPECT_EQ(p.trials, expected);
  EXPECT_EQ(r.status, LineSearchStatus::ContractionBudgetUphill);
  EXPECT_EQ(r.u, expected.back());
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, ContractionThenGoldenProbeRepeatsTheInteriorPoint) {
  // phi = (u - 0.05)^2 - 0.0025: trial 0.2 is higher (b = 0.2), 0.382 * 0.2 = 0.0764 is lower
  // (x). The golden phase then probes a + 0.382 (b - a) with the same a and b: x itself.
  // Its loss ties f_x and the published code returns x (one evaluation spent for nothing).
  RecordedPhi p{[](double u) { return (u - 0.05) * (u - 0.05) - 0.0025; }, {}};
  const LineSearchResult r = search(p, 0.2);
  EXPECT_EQ(p.trials, (std::vector<double>{0.2, 0.382 * 0.2, 0.2 * 0.382}));
  EXPECT_EQ(r.status, LineSearchStatus::GoldenTie);
  EXPECT_EQ(r.u, 0.382 * 0.2);
  EXPECT_LT(r.loss, p.f(0.0));
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, ContractionOutOfBudgetOnLowerTrialReturnsIt) {
  RecordedPhi p{[](double u) { return (u - 0.05) * (u - 0.05) - 0.0025; }, {}};
  const LineSearchResult r = search(p, 0.2, /*budget=*/2);
  EXPECT_EQ(p.trials, (std::vector<double>{0.2, 0.382 * 0.2}));
  EXPECT_EQ(r.status, LineSearchStatus::ContractionBudgetLower);
  EXPECT_EQ(r.u, 0.382 * 0.2);
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, FirstTrialTieReturnsMidpoint) {
  // phi constant: the first trial ties f0; the midpoint (0 + 0.2) / 2 is evaluated once more.
  RecordedPhi p{[](double) { return 1.0; }, {}};
  const LineSearchResult r = search(p, 0.2);
  EXPECT_EQ(p.trials, (std::vector<double>{0.2, 0.1}));
  EXPECT_EQ(r.status, LineSearchStatus::TieMidpoint);
  EXPECT_EQ(r.u, 0.1);
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, ExpansionTieReturnsMidpointOfAAndTrial) {
  // 0.2 -> 0.7 (lower than 1), 0.8 -> 0.5 (lower: a = 0.2), 1.6 -> 0.5 ties the best:
  // midpoint of a = 0.2 and the trial 1.6, i.e. 0.9.
  RecordedPhi p{[](double u) { return u == 0 ? 1.0 : u < 0.5 ? 0.7 : u < 2 ? 0.5 : 3.0; }, {}};
  const LineSearchResult r = search(p, 0.2);
  EXPECT_EQ(p.trials, (std::vector<double>{0.2, 0.8, 1.6, (0.2 + 1.6) / 2}));
  EXPECT_EQ(r.status, LineSearchStatus::TieMidpoint);
  EXPECT_EQ(r.u, 0.9);
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, ContractionTieReturnsMidpoint) {
  // 0.2 -> 1 (higher than f0 = 0): b = 0.2; 0.0764 -> 0 ties f_a: midpoint 0.0382.
  RecordedPhi p{[](double u) { return u > 0.1 ? 1.0 : 0.0; }, {}};
  const LineSearchResult r = search(p, 0.2);
  const double t = 0 + 0.382 * (0.2 - 0);
  EXPECT_EQ(p.trials, (std::vector<double>{0.2, t, t / 2}));
  EXPECT_EQ(r.status, LineSearchStatus::TieMidpoint);
  expect_consistent(p, r);
}

TEST(GoldenSectionLineSearch, NanCountsAsTie) {
  // A NaN loss is neither lower nor higher: as in the published code, it is treated as a tie.
  RecordedPhi p{[](double u) { return u > 0.15 ? kNaN : 0.5; }, {}};
  const double f0 = 1.0;
  const LineSearchResult r = golden_section_line_search(p.phi(), f0, 0.2, 6, 1e-4);
  EXPECT_EQ(r.status, LineSearchStatus::TieMidpoint);
  EXPECT_EQ(r.u, 0.1);
  EXPECT_EQ(r.loss, 0.5);
}

// ---------------------------------------------------------------------------------------------
// Two-loop recursion (docs/algorithms.md §4.3) against the dense product H g.

using Dense = std::vector<std::vector<double>>;

// H = gamma I, then for each pair oldest to newest the BFGS inverse update with the published
// rho = 1 / (y.s + 1e-6):  H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T.
Dense dense_inverse_hessian(const std::vector<std::vector<double>>& s,
                            const std::vector<std::vector<double>>& y) {
  const std::size_t n = s.empty() ? 0 : s[0].size(), k = s.size();
  auto dot = [n](const std::vector<double>& a, const std::vector<double>& b) {
    double d = 0;
    for (std::size_t i = 0; i < n; ++i) d += a[i] * b[i];
    return d;
  };
  const double gamma = dot(s[k - 1], y[k - 1]) / dot(y[k - 1], y[k - 1]);
  Dense H(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) H[i][i] = gamma;
  for (std::size_t p = 0; p < k; ++p) {
    const double rho = 1.0 / (dot(y[p], s[p]) + 1e-6);
    Dense V(n, std::vector<double>(n, 0.0));  // V = I - rho y s^T
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) V[i][j] = (i == j) - rho * y[p][i] * s[p][j];
    Dense HV(n, std::vector<double>(n, 0.0)), next(n, std::vector<double>(n, 0.0));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        for (std::size_t l = 0; l < n; ++l) HV[i][j] += H[i][l] * V[l][j];
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t l = 0; l < n; ++l) next[i][j] += V[l][i] * HV[l][j];  // V^T H V
        next[i][j] += rho * s[p][i] * s[p][j];
      }
    H = next;
  }
  return H;
}

// Pairs of a curved quadratic: y = A s with A SPD, plus a small wobble, so y.s > 0.
struct PairSet {
  std::vector<std::vector<double>> s, y;
};

PairSet make_pairs(std::size_t n, int count, unsigned seed) {
  PairSet set;
  for (int p = 0; p < count; ++p) {
    Tensor sp = testing::random_tensor({static_cast<int>(n)}, seed + 2 * p, -1, 1);
    Tensor wob = testing::random_tensor({static_cast<int>(n)}, seed + 2 * p + 1, -0.1, 0.1);
    std::vector<double> s(n), y(n);
    for (std::size_t i = 0; i < n; ++i) s[i] = sp[i];
    for (std::size_t i = 0; i < n; ++i) {
      y[i] = (2.0 + i) * s[i] + wob[i];  // diagonal part of A
      if (i > 0) y[i] += 0.5 * s[i - 1];
      if (i + 1 < n) y[i] += 0.5 * s[i + 1];
    }
    // The stored vectors are Scalar: compare against what was actually stored.
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<Scalar>(s[i]);
    for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<Scalar>(y[i]);
    set.s.push_back(s);
    set.y.push_back(y);
  }
  return set;
}

std::vector<Scalar> to_scalar(const std::vector<double>& v) { return {v.begin(), v.end()}; }

double relative_difference(const std::vector<Scalar>& a, const std::vector<double>& b) {
  double num = 0, den = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    num += (a[i] - b[i]) * (a[i] - b[i]);
    den += b[i] * b[i];
  }
  return std::sqrt(num / den);
}

void expect_two_loop_matches_dense(int history, int added, int used) {
  const std::size_t n = 7;
  const PairSet all = make_pairs(n, added, 100);
  LbfgsGssParams params;
  params.history = history;
  LbfgsGss opt(n, params);
  for (int p = 0; p < added; ++p) {
    opt.add_pair(to_scalar(all.s[p]).data(), to_scalar(all.y[p]).data());
  }
  ASSERT_EQ(opt.pairs(), used);
  // Only the newest `used` pairs remain.
  PairSet kept;
  kept.s.assign(all.s.end() - used, all.s.end());
  kept.y.assign(all.y.end() - used, all.y.end());
  const Dense H = dense_inverse_hessian(kept.s, kept.y);

  Tensor gt = testing::random_tensor({static_cast<int>(n)}, 7, -1, 1);
  std::vector<Scalar> g(gt.data(), gt.data() + n), r(n);
  const ResetCause cause = opt.two_loop(g.data(), r.data());
  EXPECT_FALSE(cause.any()) << cause.describe();
  std::vector<double> Hg(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) Hg[i] += H[i][j] * g[j];
  EXPECT_LT(relative_difference(r, Hg), kDirectionTol);
}

TEST(TwoLoopRecursion, EqualsDenseInverseHessianProduct) { expect_two_loop_matches_dense(10, 4, 4); }

TEST(TwoLoopRecursion, KeepsOnlyTheNewestPairs) { expect_two_loop_matches_dense(3, 5, 3); }

TEST(TwoLoopRecursion, WithoutPairsIsTheGradient) {
  LbfgsGss opt(3, {});
  const std::vector<Scalar> g = {1, -2, 3};
  std::vector<Scalar> r(3);
  EXPECT_FALSE(opt.two_loop(g.data(), r.data()).any());
  EXPECT_EQ(r, g);  // gamma = 1
}

// ---------------------------------------------------------------------------------------------
// Reset rules (docs/algorithms.md §4.4), each on its own.

TEST(ResetRules, NanInDirection) {
  LbfgsGss opt(2, {});
  const std::vector<Scalar> s = {1, 0}, y = {static_cast<Scalar>(kNaN), 1};
  opt.add_pair(s.data(), y.data());
  const std::vector<Scalar> g = {1, 1};
  std::vector<Scalar> r(2);
  const ResetCause c = opt.two_loop(g.data(), r.data());
  EXPECT_TRUE(c.nan_direction);
  EXPECT_FALSE(c.small_cosine) << "a NaN cosine is not below 1e-4 (published comparison)";
  EXPECT_FALSE(c.zero_denominator);
}

TEST(ResetRules, SmallPositiveCosine) {
  LbfgsGss opt(2, {});
  const std::vector<Scalar> s = {1, 0}, y = {static_cast<Scalar>(5e-5), 1};  // c = 5e-5
  opt.add_pair(s.data(), y.data());
  const std::vector<Scalar> g = {1, 1};
  std::vector<Scalar> r(2);
  const ResetCause c = opt.two_loop(g.data(), r.data());
  EXPECT_TRUE(c.small_cosine);
  EXPECT_FALSE(c.nan_direction);
  EXPECT_FALSE(c.zero_denominator);
}

TEST(ResetRules, NegativeCurvature) {
  LbfgsGss opt(2, {});
  const std::vector<Scalar> s = {1, 0}, y = {-1, 1};  // y.s < 0
  opt.add_pair(s.data(), y.data());
  const std::vector<Scalar> g = {1, 1};
  std::vector<Scalar> r(2);
  EXPECT_TRUE(opt.two_loop(g.data(), r.data()).small_cosine);
}

TEST(ResetRules, ZeroDenominator) {
  // An older pair with s = 0 (|y||s| = 0) under a healthy newest pair: no NaN appears
  // (rho = 1e6 thanks to the 1e-6, alpha = 0), only the zero denominator marks the reset.
  LbfgsGss opt(2, {});
  const std::vector<Scalar> s0 = {0, 0}, y0 = {1, 0}, s1 = {1, 1}, y1 = {2, 1};
  opt.add_pair(s0.data(), y0.data());
  opt.add_pair(s1.data(), y1.data());
  const std::vector<Scalar> g = {1, -1};
  std::vector<Scalar> r(2);
  const ResetCause c = opt.two_loop(g.data(), r.data());
  EXPECT_TRUE(c.zero_denominator);
  EXPECT_FALSE(c.nan_direction);
  EXPECT_FALSE(c.small_cosine);
}

// f(x) = cos(x) from x = 0.1: the first step runs downhill to x = 1.38 (< pi/2) where the slope
// is steeper, so y.s < 0 at the second iteration and the history must be reset.
struct Cosine1D {
  std::size_t dimension() const { return 1; }
  double evaluate(const Scalar* x, Scalar* grad) const {
    if (grad) grad[0] = static_cast<Scalar>(-std::sin(static_cast<double>(x[0])));
    return std::cos(static_cast<double>(x[0]));
  }
};
static_assert(Objective<Cosine1D>);

TEST(ResetRules, IterationResetsClearsHistoryAndCounts) {
  Cosine1D f;
  LbfgsGss opt(1, {});
  std::vector<Scalar> x = {0.1f};
  const IterationReport first = opt.iterate(f, x.data());
  EXPECT_FALSE(first.reset);
  EXPECT_EQ(first.line_search, LineSearchStatus::ExpansionBudget);
  EXPECT_LT(x[0], M_PI / 2);
  const double x_before = x[0];
  const IterationReport second = opt.iterate(f, x.data());
  EXPECT_EQ(second.pairs, 1);
  EXPECT_TRUE(second.reset);
  EXPECT_TRUE(second.cause.small_cosine);
  EXPECT_NEAR(second.direction_norm, std::abs(std::sin(x_before)), 1e-6)
      << "after a reset the direction is the gradient";
  EXPECT_EQ(opt.pairs(), 0) << "the reset clears the history";
  EXPECT_EQ(opt.resets(), 1);
  const IterationReport third = opt.iterate(f, x.data());
  EXPECT_EQ(third.pairs, 1) << "the step after a reset starts a new history";
}

// ---------------------------------------------------------------------------------------------
// Whole runs on problems with a known optimum.

// f = 1/2 x^T A x - b^T x with A tridiagonal (2 + i on the diagonal, 0.5 beside it), b = A x*.
struct Quadratic {
  std::size_t n = 8;
  std::vector<double> x_star = {1, -2, 3, -4, 0.5, 0.25, -1.5, 2};
  mutable int evaluations = 0, gradients = 0;
  double Ax(const Scalar* x, std::size_t i) const {
    double v = (2.0 + i) * x[i];
    if (i > 0) v += 0.5 * x[i - 1];
    if (i + 1 < n) v += 0.5 * x[i + 1];
    return v;
  }
  double b(std::size_t i) const {
    std::vector<Scalar> xs(x_star.begin(), x_star.end());
    return Ax(xs.data(), i);
  }
  double optimum() const {  // -1/2 b^T x*
    double v = 0;
    for (std::size_t i = 0; i < n; ++i) v -= 0.5 * b(i) * static_cast<Scalar>(x_star[i]);
    return v;
  }
  std::size_t dimension() const { return n; }
  double evaluate(const Scalar* x, Scalar* grad) const {
    ++evaluations;
    if (grad) ++gradients;
    double f = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double Axi = Ax(x, i), bi = b(i);
      f += 0.5 * x[i] * Axi - bi * x[i];
      if (grad) grad[i] = static_cast<Scalar>(Axi - bi);
    }
    return f;
  }
};
static_assert(Objective<Quadratic>);

TEST(LbfgsGss, MinimisesConvexQuadratic) {
  Quadratic f;
  LbfgsGss opt(f.n, {});
  std::vector<Scalar> x(f.n, 0);
  for (int k = 0; k < 60; ++k) {
    const int evals_before = f.evaluations, grads_before = f.gradients;
    const IterationReport rep = opt.iterate(f, x.data());
    EXPECT_EQ(f.gradients - grads_before, 1) << "one gradient per iteration";
    EXPECT_EQ(f.evaluations - evals_before, rep.evaluations);
    EXPECT_LE(rep.evaluations, 1 + 6 + 1);  // gradient, budget, tie midpoint
    // The reported loss is the loss at the point x now holds (not a mix of two trials).
    EXPECT_EQ(rep.loss, f.evaluate(x.data(), nullptr)) << "iteration " << k;
    --f.evaluations;
  }
  // In float32 the converged steps round to nothing (s = 0, y = 0), and each such step resets
  // the history (zero |y||s|), as it would in the published code; float64 never gets there.
  if (testing::kFloat64) {
    EXPECT_EQ(opt.resets(), 0);
  }
  double err = 0, norm = 0;
  for (std::size_t i = 0; i < f.n; ++i) {
    err += (x[i] - f.x_star[i]) * (x[i] - f.x_star[i]);
    norm += f.x_star[i] * f.x_star[i];
  }
  EXPECT_LT(std::sqrt(err / norm), testing::kFloat64 ? 1e-6 : 1e-3);
  EXPECT_NEAR(f.evaluate(x.data(), nullptr), f.optimum(), testing::kFloat64 ? 1e-10 : 1e-4);
}

// Rosenbrock: f = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1), classic start (-1.2, 1).
struct Rosenbrock {
  std::size_t dimension() const { return 2; }
  double evaluate(const Scalar* p, Scalar* grad) const {
    const double x = p[0], y = p[1];
    if (grad) {
      grad[0] = static_cast<Scalar>(-2 * (1 - x) - 400 * x * (y - x * x));
      grad[1] = static_cast<Scalar>(200 * (y - x * x));
    }
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
  }
};
static_assert(Objective<Rosenbrock>);

TEST(LbfgsGss, MinimisesRosenbrock) {
  Rosenbrock f;
  LbfgsGss opt(2, {});
  std::vector<Scalar> x = {-1.2f, 1.0f};
  const double loss = opt.minimize(f, x.data(), 300);  // float64 converges in ~40
  EXPECT_NEAR(x[0], 1.0, testing::kFloat64 ? 1e-5 : 1e-2);
  EXPECT_NEAR(x[1], 1.0, testing::kFloat64 ? 1e-5 : 1e-2);
  EXPECT_LT(loss, testing::kFloat64 ? 1e-10 : 1e-4);
}

// A flat function: g = 0, so |r| = 0 and there is no direction to search along.
struct Flat {
  std::size_t dimension() const { return 3; }
  double evaluate(const Scalar*, Scalar* grad) const {
    if (grad) grad[0] = grad[1] = grad[2] = 0;
    return 3.0;
  }
};

TEST(LbfgsGss, ZeroGradientStaysPut) {
  Flat f;
  LbfgsGss opt(3, {});
  std::vector<Scalar> x = {1, 2, 3};
  const IterationReport rep = opt.iterate(f, x.data());
  EXPECT_EQ(rep.line_search, LineSearchStatus::NoDirection);
  EXPECT_EQ(rep.step, 0.0);
  EXPECT_EQ(rep.loss, 3.0);
  EXPECT_EQ(x, (std::vector<Scalar>{1, 2, 3}));
}

TEST(LbfgsGss, ParamsCheckNamesTheFlag) {
  auto message = [](LbfgsGssParams p) { return testing::usage_error_of([&] { p.check(); }); };
  LbfgsGssParams p;
  EXPECT_EQ(message(p), "");
  p.history = 0;
  EXPECT_NE(message(p).find("--history"), std::string::npos);
  p = {};
  p.budget = 1;
  EXPECT_NE(message(p).find("--budget"), std::string::npos);
  p = {};
  p.tol = 0;
  EXPECT_NE(message(p).find("--tol"), std::string::npos);
  p = {};
  p.tol = kNaN;
  EXPECT_NE(message(p).find("--tol"), std::string::npos);
  EXPECT_THROW(LbfgsGss(3, LbfgsGssParams{10, 0, 1e-4, 0.2}), UsageError);
}

// ---------------------------------------------------------------------------------------------
// SGD as torch.optim.SGD.

TEST(Sgd, PlainStepsMatchHandComputation) {
  Sgd sgd(2, SgdParams{0.1, 0.0});
  std::vector<Scalar> x = {1, -2};
  const std::vector<Scalar> g1 = {0.5, 0.25}, g2 = {1, -1};
  sgd.step(x.data(), g1.data());  // x - 0.1 g1
  EXPECT_NEAR(x[0], 0.95, kStepTol);
  EXPECT_NEAR(x[1], -2.025, kStepTol);
  sgd.step(x.data(), g2.data());
  EXPECT_NEAR(x[0], 0.85, kStepTol);
  EXPECT_NEAR(x[1], -1.925, kStepTol);
}

TEST(Sgd, MomentumStepsMatchHandComputation) {
  Sgd sgd(2, SgdParams{0.1, 0.9});
  std::vector<Scalar> x = {1, -2};
  const std::vector<Scalar> g1 = {0.5, 0.25}, g2 = {1, -1}, g3 = {0, 0};
  sgd.step(x.data(), g1.data());  // v = g1 = (0.5, 0.25); x = (0.95, -2.025)
  EXPECT_NEAR(x[0], 0.95, kStepTol);
  EXPECT_NEAR(x[1], -2.025, kStepTol);
  sgd.step(x.data(), g2.data());  // v = 0.9 v + g2 = (1.45, -0.775); x = (0.805, -1.9475)
  EXPECT_NEAR(x[0], 0.805, kStepTol);
  EXPECT_NEAR(x[1], -1.9475, kStepTol);
  sgd.step(x.data(), g3.data());  // v = (1.305, -0.6975); x = (0.6745, -1.87775)
  EXPECT_NEAR(x[0], 0.6745, kStepTol);
  EXPECT_NEAR(x[1], -1.87775, kStepTol);
  sgd.reset();  // a fresh run: the buffer starts again from g
  sgd.step(x.data(), g1.data());
  EXPECT_NEAR(x[0], 0.6745 - 0.05, kStepTol);
  EXPECT_EQ(sgd.steps_taken(), 1);
}

TEST(Sgd, ParamsCheckNamesTheFlag) {
  try {
    SgdParams{0.0, 0.0}.check();
    ADD_FAILURE() << "lr = 0 accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--lr"), std::string::npos);
  }
  try {
    SgdParams{0.01, 1.0}.check();
    ADD_FAILURE() << "momentum = 1 accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--momentum"), std::string::npos);
  }
  EXPECT_NO_THROW(SgdParams{}.check());
}

}  // namespace
}  // namespace landscape
