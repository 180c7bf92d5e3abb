// FourierPathFinder (docs/algorithms.md §5 and §6): the parts (basis, end points, objective and
// its gradient against central differences in float64), stochastic steps and their mini-batches
// (§5.7), and the golden 2-D example of Figure 3, whose bands are read from
// reference_outputs/fig3_golden.csv.
#include <gtest/gtest.h>
#include <omp.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "experiments/paths/mini_batches.hpp"
#include "experiments/paths/path_run.hpp"
#include "fcp_path_case.hpp"
#include "landscape/analytic_landscapes.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "models/init.hpp"
#include "optim/adam.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using Vec = std::vector<Scalar>;

Vec fig3_start() { return {Scalar(Figure3Landscape::kStart[0]), Scalar(Figure3Landscape::kStart[1])}; }
Vec fig3_end() { return {Scalar(Figure3Landscape::kEnd[0]), Scalar(Figure3Landscape::kEnd[1])}; }

PathResult run_path(const Landscape& f, const Vec& a, const Vec& b, const PathParams& p) {
  FourierPathFinder finder(f, a, b, p);
  return finder.run();
}

// A landscape of many dimensions built from the 2-D one: f(x) = sum_k fig3(x_2k, x_2k+1) / K.
// Large enough (P >= 256) that the finder takes its threaded path.
class StackedFigure3 : public Landscape {
 public:
  explicit StackedFigure3(int pairs) : pairs_(pairs) {}
  std::size_t dimension() const override { return std::size_t(2) * pairs_; }
  double evaluate(const Scalar* x, Scalar* grad) const override {
    double f = 0;
    for (int k = 0; k < pairs_; ++k) {
      double gx, gy;
      f += surface_.value(x[2 * k], x[2 * k + 1], &gx, &gy) / pairs_;
      if (grad) {
        grad[2 * k] = Scalar(gx / pairs_);
        grad[2 * k + 1] = Scalar(gy / pairs_);
      }
    }
    return f;
  }
  std::string describe() const override { return "stacked Figure 3 surface"; }

 private:
  int pairs_;
  Figure3Landscape surface_;
};

// StackedFigure3 of `pairs` pairs with end points a, b near w1 and w2 of every pair, each pair
// moved a little.
struct StackedCase {
  StackedFigure3 f;
  Vec a, b;
  explicit StackedCase(int pairs) : f(pairs), a(2 * pairs), b(2 * pairs) {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(-0.03, 0.03);
    for (int k = 0; k < pairs; ++k)
      for (int c = 0; c < 2; ++c) {
        a[2 * k + c] = Scalar(Figure3Landscape::kStart[c] + u(rng));
        b[2 * k + c] = Scalar(Figure3Landscape::kEnd[c] + u(rng));
      }
  }
};

// --- parameters ---------------------------------------------------------------------------

void expect_usage_error_naming(const PathParams& p, const std::string& flag) {
  try {
    p.check();
    ADD_FAILURE() << "accepted, expected an error naming " << flag;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(flag), std::string::npos) << e.what();
  }
}

TEST(PathParams, DefaultsAreThePublishedNotebooks) {
  PathParams p;
  EXPECT_EQ(p.terms, 10);
  EXPECT_EQ(p.points, 51);
  EXPECT_EQ(p.lambda, 1e-4);
  EXPECT_EQ(p.lr, 1e-3);
  EXPECT_EQ(p.steps, 100);
  EXPECT_EQ(p.point_loss, PointLoss::Plain);
  EXPECT_EQ(p.grad_noise, 0.0);
  EXPECT_EQ(p.select, PathSelect::MinLossSum);
  EXPECT_NO_THROW(p.check());
  const PathParams toy = PathParams::figure3(100, 7);
  EXPECT_EQ(toy.terms, 15);
  EXPECT_EQ(toy.points, 101);
  EXPECT_EQ(toy.lr, 0.01);
  EXPECT_EQ(toy.steps, 300);
  EXPECT_EQ(toy.point_loss, PointLoss::Squared);
  EXPECT_EQ(toy.grad_noise, 1.0);
  EXPECT_EQ(toy.select, PathSelect::MinObjective);
  EXPECT_EQ(toy.lambda, 100);
  EXPECT_EQ(toy.noise_seed, 7u);
}

TEST(PathParams, CheckNamesTheFlag) {
  expect_usage_error_naming({.terms = 0}, "--terms");
  expect_usage_error_naming({.points = 1}, "--points");
  expect_usage_error_naming({.lambda = -1e-4}, "--lambda");
  expect_usage_error_naming({.lambda = NAN}, "--lambda");
  expect_usage_error_naming({.lr = 0}, "--lr");
  expect_usage_error_naming({.steps = -1}, "--steps");
  expect_usage_error_naming({.grad_noise = -1}, "--grad-noise");
  EXPECT_THROW(parse_point_loss("cubed"), UsageError);
  EXPECT_THROW(parse_path_select("best"), UsageError);
  EXPECT_EQ(parse_point_loss(to_string(PointLoss::Squared)), PointLoss::Squared);
  EXPECT_EQ(parse_path_select(to_string(PathSelect::MinObjective)), PathSelect::MinObjective);
  Figure3Landscape f;
  EXPECT_THROW(FourierPathFinder(f, fig3_start(), fig3_end(), {.points = 0}), UsageError);
  EXPECT_THROW(FourierPathFinder(f, fig3_start(), Vec{0, 0, 0}, PathParams{}), Error);
}

// --- the path ------------------------------------------------------------------------------

TEST(FourierPath, BasisIsSineWithExactZerosAtTheEnds) {
  Figure3Landscape f;
  FourierPathFinder finder(f, fig3_start(), fig3_end(), {.terms = 15, .points = 101});
  EXPECT_EQ(finder.t().front(), 0.0);
  EXPECT_EQ(finder.t().back(), 1.0);
  for (int n = 1; n <= 15; ++n) {
    EXPECT_EQ(finder.basis(n, 0), 0.0);
    EXPECT_EQ(finder.basis(n, 100), 0.0);
    for (int m = 0; m <= 100; ++m)
      EXPECT_NEAR(finder.basis(n, m), std::sin(n * M_PI * m / 100.0), 1e-13) << n << " " << m;
  }
  EXPECT_EQ(finder.basis(2, 50), 0.0);  // sin(pi): an exact zero inside too
}

TEST(FourierPath, EndPointsAreTheGivenVectorsExactly) {
  const StackedCase stacked(150);
  const StackedFigure3& f = stacked.f;
  const Vec &a = stacked.a, &b = stacked.b;
  PathParams p{.terms = 7, .points = 33};
  FourierPathFinder finder(f, a, b, p);
  Vec coef(std::size_t(7) * f.dimension());
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(-3, 3);
  for (Scalar& c : coef) c = Scalar(u(rng));
  Vec W(std::size_t(33) * f.dimension());
  finder.path_points(coef.data(), W.data());
  for (std::size_t i = 0; i < f.dimension(); ++i) {
    ASSERT_EQ(W[i], a[i]) << i;
    ASSERT_EQ(W[32 * f.dimension() + i], b[i]) << i;
  }
  // and on a path the optimizer found
  p.lr = 0.01;
  p.steps = 20;
  p.lambda = 1;
  const PathResult r = run_path(f, a, b, p);
  EXPECT_GT(r.reported_step, 0);
  finder.path_points(r.b.data(), W.data());
  for (std::size_t i = 0; i < f.dimension(); ++i) {
    ASSERT_EQ(W[i], a[i]) << i;
    ASSERT_EQ(W[32 * f.dimension() + i], b[i]) << i;
  }
}

TEST(FourierPath, ObjectiveOfTheStraightLineByHand) {
  // b = 0: L = sum_m l(w_i + t_m (w_j - w_i)) + lambda (M-1) |w_j - w_i|^2 / (M-1)^2.
  Figure3Landscape f;
  for (PointLoss loss : {PointLoss::Plain, PointLoss::Squared}) {
    const PathParams p{.terms = 3, .points = 11, .lambda = 2.5, .point_loss = loss};
    FourierPathFinder finder(f, fig3_start(), fig3_end(), p);
    const Vec zero(6, Scalar(0));
    const Vec a = fig3_start(), b = fig3_end();
    double expected = 0;
    for (int m = 0; m <= 10; ++m) {
      const double t = m / 10.0;
      const double v = f.value((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]);
      expected += loss == PointLoss::Plain ? v : v * v;
    }
    const double d2 = std::pow(double(b[0]) - a[0], 2) + std::pow(double(b[1]) - a[1], 2);
    expected += 2.5 * 10 * d2 / 100;
    Vec grad(6);
    EXPECT_NEAR(finder.objective(zero.data(), grad.data()), expected,
                testing::kFloat64 ? 1e-12 : 1e-5);  // float32: the points are rounded
  }
}

// Relative error of dL/db against central differences over every `stride`-th component of b.
double objective_gradient_error(const Landscape& f, const Vec& a, const Vec& b, const PathParams& p,
                                unsigned seed, std::size_t stride = 1) {
  FourierPathFinder finder(f, a, b, p);
  const std::size_t nb = std::size_t(p.terms) * f.dimension();
  Vec coef(nb), grad(nb);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-0.1, 0.1);
  for (Scalar& c : coef) c = Scalar(u(rng));
  finder.objective(coef.data(), grad.data());
  const double h = 1e-6;
  double err2 = 0, norm2 = 0;
  for (std::size_t i = 0; i < nb; i += stride) {
    const Scalar keep = coef[i];
    coef[i] = keep + h;
    const double up = finder.objective(coef.data(), nullptr);
    coef[i] = keep - h;
    const double down = finder.objective(coef.data(), nullptr);
    coef[i] = keep;
    const double numeric = (up - down) / (2 * h);
    err2 += (grad[i] - numeric) * (grad[i] - numeric);
    norm2 += numeric * numeric;
  }
  return std::sqrt(err2 / norm2);
}

TEST(FourierPath, GradientWithRespectToBMatchesFiniteDifferences) {
  if (!testing::kFloat64) GTEST_SKIP() << "finite-difference checks run in the float64 build";
  Figure3Landscape f;
  for (PointLoss loss : {PointLoss::Plain, PointLoss::Squared})
    for (double lambda : {0.0, 10.0, 1000.0}) {
      const PathParams p{.terms = 6, .points = 13, .lambda = lambda, .point_loss = loss};
      EXPECT_LT(objective_gradient_error(f, fig3_start(), fig3_end(), p, 3), 1e-8)
          << to_string(loss) << " lambda " << lambda;
    }
  // the threaded path (P >= 256)
  const StackedCase big(130);
  const PathParams p{.terms = 3, .points = 9, .lambda = 0.5, .point_loss = PointLoss::Squared};
  // every 13th component: 60 of the 780
  EXPECT_LT(objective_gradient_error(big.f, big.a, big.b, p, 4, 13), 1e-7);
}

TEST(FourierPathFinder, StepsZeroReportsTheStraightLine) {
  Figure3Landscape f;
  PathParams p = PathParams::figure3(10, 1);
  p.steps = 0;
  const PathResult r = run_path(f, fig3_start(), fig3_end(), p);
  EXPECT_EQ(r.steps, 0);
  EXPECT_EQ(r.reported_step, 0);
  EXPECT_EQ(r.H, r.H_linear);
  EXPECT_EQ(r.length, r.length_linear);
  EXPECT_EQ(r.loss_sum, r.loss_sum_linear);
  EXPECT_EQ(r.profile, r.profile_linear);
  for (Scalar c : r.b) ASSERT_EQ(c, Scalar(0));
  EXPECT_NEAR(r.length, std::hypot(0.49 + 0.62, -0.02 + 0.54), 1e-6);
  ASSERT_EQ(r.profile.size(), 101u);
  EXPECT_EQ(r.H, *std::max_element(r.profile.begin(), r.profile.end()));
}

TEST(FourierPathFinder, SameBitsForAnyThreadCount) {
  const StackedCase s(200);
  const PathParams p{
      .terms = 5, .points = 21, .lambda = 10, .lr = 0.01, .steps = 15, .grad_noise = 0.01, .noise_seed = 9};
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const PathResult one = run_path(s.f, s.a, s.b, p);
  omp_set_num_threads(3);
  const PathResult three = run_path(s.f, s.a, s.b, p);
  omp_set_num_threads(saved);
  EXPECT_EQ(one.b, three.b);
  EXPECT_EQ(one.H, three.H);
  EXPECT_EQ(one.objective, three.objective);
  EXPECT_EQ(one.reported_step, three.reported_step);
  EXPECT_LT(one.H, one.H_linear);
}

// The progress hook: told after every step, in order, with the steps asked for; it changes
// nothing of the path (the same bits as a run without it).
TEST(FourierPathFinder, ObserverHearsEveryStepInOrderAndChangesNothing) {
  Figure3Landscape f;
  PathParams p = PathParams::figure3(10, 3);
  p.steps = 7;
  std::vector<std::pair<int, int>> heard;
  FourierPathFinder observed(f, fig3_start(), fig3_end(), p);
  observed.observe_steps([&](int done, int steps) { heard.emplace_back(done, steps); });
  const PathResult with = observed.run();
  ASSERT_EQ(heard.size(), 7u);
  for (int k = 0; k < 7; ++k) EXPECT_EQ(heard[k], std::make_pair(k + 1, 7));
  const PathResult without = run_path(f, fig3_start(), fig3_end(), p);
  EXPECT_EQ(with.b, without.b);
  EXPECT_EQ(with.H, without.H);
  p.steps = 0;  // the straight line: no step, nothing to tell
  heard.clear();
  FourierPathFinder line(f, fig3_start(), fig3_end(), p);
  line.observe_steps([&](int done, int steps) { heard.emplace_back(done, steps); });
  line.run();
  EXPECT_TRUE(heard.empty());
}

// The ETA of a path run inside a pair: this pair's remaining steps at its own pace, then the
// pairs after it at the mean of those computed (this pair's pace while none is).
TEST(PairStep, SecondsLeftFromThisPairsPaceAndTheMeanPair) {
  const PathPair pair{0, 1};
  // Step 25 of 100 after 10 s: this pair takes 40 s, 30 s of it left. Two pairs computed
  // before it in 120 s (60 s each), one more after it: 30 + 60.
  const PairStep later{pair, 25, 100, 3, 4, 2, 4, 10, 130};
  EXPECT_DOUBLE_EQ(later.seconds_left(), 90);
  // The first pair of three: the two after it at this pair's 40 s.
  const PairStep first{pair, 25, 100, 1, 3, 0, 3, 10, 10};
  EXPECT_DOUBLE_EQ(first.seconds_left(), 30 + 2 * 40);
  // The last pair's last step: nothing left.
  const PairStep last{pair, 100, 100, 3, 3, 2, 3, 40, 160};
  EXPECT_DOUBLE_EQ(last.seconds_left(), 0);
}

TEST(FourierPathFinder, NoiseSeedIsReproducible) {
  Figure3Landscape f;
  const PathResult r1 = run_path(f, fig3_start(), fig3_end(), PathParams::figure3(100, 4));
  const PathResult r2 = run_path(f, fig3_start(), fig3_end(), PathParams::figure3(100, 4));
  const PathResult r3 = run_path(f, fig3_start(), fig3_end(), PathParams::figure3(100, 5));
  EXPECT_EQ(r1.b, r2.b);
  EXPECT_EQ(r1.H, r2.H);
  EXPECT_NE(r1.b, r3.b);
}

TEST(FourierPathFinder, SelectionKeepsTheBestIterate) {
  // Each rule reports an iterate at least as good as the straight line under that rule, and
  // the rules pick differently.
  Figure3Landscape f;
  PathParams p{
      .terms = 10, .points = 51, .lambda = 10, .lr = 0.01, .steps = 200, .select = PathSelect::MinLossSum};
  const PathResult by_loss = run_path(f, fig3_start(), fig3_end(), p);
  EXPECT_LT(by_loss.loss_sum, by_loss.loss_sum_linear);
  p.select = PathSelect::MinObjective;
  const PathResult by_objective = run_path(f, fig3_start(), fig3_end(), p);
  FourierPathFinder finder(f, fig3_start(), fig3_end(), p);
  const Vec zero(20, Scalar(0));
  EXPECT_LE(by_objective.objective, finder.objective(zero.data(), nullptr));
  EXPECT_LE(by_loss.loss_sum, by_objective.loss_sum);
  // the reported profile is that of the reported b
  finder.objective(by_objective.b.data(), nullptr);
  EXPECT_EQ(finder.point_values(), by_objective.profile);
}

// --- stochastic steps (docs/algorithms.md §5.7) --------------------------------------------

// Algorithm 2 as run() did it before stochastic steps existed (§5.3), written from the public
// objective(): every iterate judged by the evaluation that gives its step's gradient. The plain
// twin that a full-batch run (batch = 0) must match bit for bit.
PathResult full_batch_twin(const Landscape& f, const Vec& a, const Vec& b, const PathParams& p) {
  FourierPathFinder finder(f, a, b, p);
  const std::size_t nb = std::size_t(p.terms) * f.dimension();
  Vec coef(nb, Scalar(0)), grad(nb, Scalar(0));
  AdamParams ap;
  ap.lr = p.lr;
  Adam adam(nb, ap);
  Rng noise(p.noise_seed);
  PathResult r;
  double best = 0;
  for (int k = 0; k <= p.steps; ++k) {
    const bool last = k == p.steps;
    const double L = finder.objective(coef.data(), last ? nullptr : grad.data());
    const std::vector<double>& fm = finder.point_values();
    double ell = 0;
    for (double v : fm) ell += p.point_loss == PointLoss::Plain ? v : v * v;
    const double criterion = p.select == PathSelect::MinObjective ? L : ell;
    if (k == 0) {
      r.H_linear = *std::max_element(fm.begin(), fm.end());
      r.profile_linear = fm;
    }
    if (k == 0 || criterion < best) {
      best = criterion;
      r.H = *std::max_element(fm.begin(), fm.end());
      r.profile = fm;
      r.b = coef;
      r.objective = L;
      r.reported_step = k;
    }
    if (last) break;
    if (p.grad_noise > 0)
      for (Scalar& g : grad) g = static_cast<Scalar>(g + p.grad_noise * noise.normal());
    adam.step(coef.data(), grad.data());
  }
  return r;
}

// A full landscape's loss evaluated alone (a stochastic run's judgement) and with its gradient
// (a full-batch run's) may differ in the last bits: the two passes sum in other orders.
constexpr double kLossOnlyTolerance = testing::kFloat64 ? 1e-12 : 1e-6;

void expect_near_values(const std::vector<double>& x, const std::vector<double>& y) {
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t m = 0; m < x.size(); ++m)
    EXPECT_NEAR(x[m], y[m], kLossOnlyTolerance * std::abs(y[m])) << "point " << m;
}

using testing::expect_same_path;

using FcpCase = testing::FcpPathCase;

TEST(StochasticSteps, FullBatchIsBitForBitThePlainTwin) {
  Figure3Landscape fig3;  // squared loss, noise, min-objective
  const PathParams toy = PathParams::figure3(100, 3);
  expect_same_path(run_path(fig3, fig3_start(), fig3_end(), toy),
                   full_batch_twin(fig3, fig3_start(), fig3_end(), toy));
  const StackedCase s(200);  // threaded (P >= 256)
  const PathParams p{.terms = 5, .points = 21, .lambda = 10, .lr = 0.01, .steps = 15};
  expect_same_path(run_path(s.f, s.a, s.b, p), full_batch_twin(s.f, s.a, s.b, p));
  const FcpCase fcp;  // a model landscape: evaluate_many over the data
  expect_same_path(fcp.run(0, 0, 1), full_batch_twin(fcp.land, fcp.a, fcp.b, fcp.params));
}

TEST(StochasticSteps, WholeSetBatchIsTheFullBatchPath) {
  // B = N: every batch is the dataset in its own order, so each step's gradient is the full
  // one; judged at every step (eval_every 1) the run selects as the full batch does.
  // The gradients are the same bits, so is every iterate; the judged losses agree up to the
  // order of their sums (kLossOnlyTolerance).
  const FcpCase fcp;
  const PathResult full = fcp.run(0, 0, 1), whole = fcp.run(40, 1, 7);
  EXPECT_EQ(whole.b, full.b);
  EXPECT_EQ(whole.reported_step, full.reported_step);
  EXPECT_GT(full.reported_step, 0);
  expect_near_values(whole.profile, full.profile);
  expect_near_values(whole.profile_linear, full.profile_linear);
  EXPECT_NEAR(whole.H, full.H, kLossOnlyTolerance * full.H);
  ASSERT_EQ(whole.checkpoints.size(), full.checkpoints.size());
  for (std::size_t k = 0; k < full.checkpoints.size(); ++k)
    EXPECT_NEAR(whole.checkpoints[k].loss_sum, full.checkpoints[k].loss_sum,
                kLossOnlyTolerance * full.checkpoints[k].loss_sum);
}

TEST(StochasticSteps, SeededAndDifferentForAnotherSeed) {
  const FcpCase fcp;
  const PathResult one = fcp.run(10, 4, 1), again = fcp.run(10, 4, 1), other = fcp.run(10, 4, 2);
  expect_same_path(one, again);
  EXPECT_NE(one.b, other.b);
  EXPECT_NE(one.profile, other.profile);                // (H may be an end point's loss, the same in both)
  EXPECT_EQ(one.profile_linear, other.profile_linear);  // b^0, on the full landscape
}

TEST(StochasticSteps, ReportedValuesAreFullLandscapeValuesOfAJudgedIterate) {
  const FcpCase fcp;
  const PathResult r = fcp.run(10, 4, 3);
  // judged: b^0, b^4, b^8 and the last, b^12; the reported one among them
  std::vector<int> judged;
  for (const PathCheckpoint& c : r.checkpoints) judged.push_back(c.step);
  EXPECT_EQ(judged, (std::vector<int>{0, 4, 8, 12}));
  EXPECT_NE(std::find(judged.begin(), judged.end(), r.reported_step), judged.end());
  EXPECT_GT(r.reported_step, 0);
  // the profile is the full landscape's at the reported path's points, H its max
  FourierPathFinder finder(fcp.land, fcp.a, fcp.b, fcp.params);
  const std::size_t P = fcp.land.dimension(), M = std::size_t(fcp.params.points);
  Vec W(M * P);
  finder.path_points(r.b.data(), W.data());
  std::vector<double> f(M);
  fcp.land.evaluate_many(W.data(), M, f.data(), nullptr);
  // The finder passes the path's basis, which computes the first layer from its products
  // (docs/algorithms.md §2.6): the same values up to rounding.
  const double tol = testing::kFloat64 ? 1e-12 : 1e-5;
  ASSERT_EQ(r.profile.size(), M);
  for (std::size_t m = 0; m < M; ++m) EXPECT_NEAR(r.profile[m], f[m], tol * f[m]) << "point " << m;
  EXPECT_EQ(r.H, *std::max_element(r.profile.begin(), r.profile.end()));
  EXPECT_NEAR(r.H, *std::max_element(f.begin(), f.end()), tol * r.H);
  double sum = 0;
  for (double v : f) sum += v;
  EXPECT_NEAR(r.loss_sum, sum, tol * sum);
  EXPECT_EQ(r.checkpoints.back().H_reported, r.H);
  // the straight line's as in a full-batch run (b^0 judged on the full landscape)
  const PathResult full = fcp.run(0, 0, 1);
  EXPECT_NEAR(r.H_linear, full.H_linear, kLossOnlyTolerance * full.H_linear);
  expect_near_values(r.profile_linear, full.profile_linear);
  // without --eval-every only b^0 and the last are judged
  const PathResult ends = fcp.run(10, 0, 3);
  ASSERT_EQ(ends.checkpoints.size(), 2u);
  EXPECT_EQ(ends.checkpoints[1].step, 12);
}

TEST(StochasticSteps, BadValuesAreUsageErrorsNamingTheFlag) {
  expect_usage_error_naming({.batch = -1}, "--batch");
  expect_usage_error_naming({.eval_every = -1}, "--eval-every");
  expect_usage_error_naming({.eval_every = 5}, "--eval-every");  // without --batch
  const FcpCase fcp;
  for (int bad : {41, -3}) try {
      mini_batch_source(*fcp.model, fcp.data, bad);
      ADD_FAILURE() << bad << " accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("--batch"), std::string::npos) << e.what();
    }
  // a finder asked for batches but given none
  EXPECT_THROW(FourierPathFinder(fcp.land, fcp.a, fcp.b, {.batch = 10}), Error);
}

TEST(MiniBatches, DistinctSortedImagesEachEpochAPermutation) {
  const FcpCase fcp;
  MiniBatchLandscapes batches(*fcp.model, fcp.data, 12, 5);  // S = 3 batches an epoch, 4 left out
  for (int e = 0; e < 3; ++e) {
    std::vector<int> seen;
    for (int s = 0; s < 3; ++s) {
      const std::vector<int> rows = batches.images(3 * e + s);
      ASSERT_EQ(rows.size(), 12u);
      EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
      seen.insert(seen.end(), rows.begin(), rows.end());
    }
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end()) << "epoch " << e;
    EXPECT_GE(seen.front(), 0);
    EXPECT_LT(seen.back(), 40);
  }
  // a function of (seed, k) only: asked out of order, or by another object, the same
  MiniBatchLandscapes fresh(*fcp.model, fcp.data, 12, 5);
  const std::vector<int> late = fresh.images(7);
  EXPECT_EQ(fresh.images(0), batches.images(0));
  EXPECT_EQ(late, batches.images(7));
  EXPECT_NE(MiniBatchLandscapes(*fcp.model, fcp.data, 12, 6).images(0), fresh.images(0));
  // the landscape of a batch is the model's loss over those images
  const Landscape& step = fresh.at(4);
  Dataset subset;
  subset.images = Tensor({12, kImagePixels});
  const std::vector<int> rows = fresh.images(4);
  for (int r = 0; r < 12; ++r) {
    std::copy_n(fcp.data.images.data() + std::size_t(rows[r]) * kImagePixels, kImagePixels,
                subset.images.data() + std::size_t(r) * kImagePixels);
    subset.labels.push_back(fcp.data.labels[rows[r]]);
  }
  EXPECT_EQ(step.evaluate(fcp.a.data(), nullptr),
            ModelLandscape(*fcp.model, subset).evaluate(fcp.a.data(), nullptr));
  // B = N: the dataset itself, in order
  std::vector<int> all(40);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_EQ(MiniBatchLandscapes(*fcp.model, fcp.data, 40, 9).images(3), all);
}

// --- Figure 3, golden ----------------------------------------------------------------------

struct GoldenRow {
  std::string kind;
  double lambda = NAN;
  long seed = -1;
  double lo = NAN, hi = NAN, paper = NAN;
};

double field(const std::string& s) { return s.empty() ? NAN : std::stod(s); }

std::vector<GoldenRow> read_golden() {
  std::ifstream in(testing::reference_path("fig3_golden.csv"));
  EXPECT_TRUE(in.good()) << "missing reference_outputs/fig3_golden.csv";
  std::vector<GoldenRow> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      EXPECT_EQ(line, "case,lambda,seed,H_min,H_max,H_paper");
      header = false;
      continue;
    }
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    f.resize(6);
    GoldenRow r;
    r.kind = f[0];
    r.lambda = field(f[1]);
    r.seed = f[2].empty() ? -1 : std::stol(f[2]);
    r.lo = field(f[3]);
    r.hi = field(f[4]);
    r.paper = field(f[5]);
    rows.push_back(r);
  }
  return rows;
}

double saddle_floor() {
  for (const GoldenRow& r : read_golden())
    if (r.kind == "saddle_floor") return r.lo;
  ADD_FAILURE() << "no saddle_floor row";
  return Figure3Landscape::kLowestSaddleHeight;
}

TEST(Figure3Golden, HeightsInTheirBands) {
  Figure3Landscape f;
  const std::vector<GoldenRow> rows = read_golden();
  int checked = 0;
  for (const GoldenRow& g : rows) {
    PathParams p;
    if (g.kind == "linear") {
      p = PathParams::figure3(10, 0);
      p.steps = 0;
    } else if (g.kind == "published") {
      p = PathParams::figure3(g.lambda, std::uint64_t(g.seed));
    } else if (g.kind == "noise_free") {
      p = PathParams::figure3(g.lambda, 0);
      p.grad_noise = 0;
      p.terms = 10;
      p.points = 100;
    } else if (g.kind == "plain") {
      p = PathParams::figure3(g.lambda, std::uint64_t(g.seed));
      p.point_loss = PointLoss::Plain;
    } else {
      continue;
    }
    const PathResult r = run_path(f, fig3_start(), fig3_end(), p);
    const double H = g.kind == "linear" ? r.H_linear : r.H;
    EXPECT_GE(H, g.lo) << g.kind << " lambda " << g.lambda;
    EXPECT_LE(H, g.hi) << g.kind << " lambda " << g.lambda;
    EXPECT_GE(H, saddle_floor()) << g.kind << " lambda " << g.lambda;
    ++checked;
  }
  EXPECT_EQ(checked, 10);
}

TEST(Figure3Golden, NoResolvedPathBelowTheLowestSaddle) {
  // Paths sampled finely enough to follow the surface (M >= 101, the published M, and a
  // smoothness weight that keeps the points spread): their highest point is never below the
  // saddle. (Coarser sampling can undershoot: M = 51, squared loss, lambda 10, 15 terms, noise
  // seed 2, 200 steps reports H = 0.6190 although the path itself crosses the ridge higher; see
  // the next test.)
  Figure3Landscape f;
  const double floor = saddle_floor();
  int runs = 0;
  for (PointLoss loss : {PointLoss::Plain, PointLoss::Squared})
    for (double lambda : {10.0, 100.0, 1000.0, 1e4})
      for (int points : {101, 201})
        for (int terms : {3, 10, 15})
          for (double noise : {0.0, 1.0}) {
            PathParams p = PathParams::figure3(lambda, 2);
            p.point_loss = loss;
            p.points = points;
            p.terms = terms;
            p.grad_noise = noise;
            const PathResult r = run_path(f, fig3_start(), fig3_end(), p);
            EXPECT_GE(r.H, floor) << to_string(loss) << " lambda " << lambda << " M " << points << " NF "
                                  << terms << " noise " << noise;
            ++runs;
          }
  EXPECT_EQ(runs, 96);
}

TEST(Figure3Golden, EveryContinuousPathCrossesTheSaddle) {
  // With weak smoothness or few points the M samples can straddle the ridge, so the sampled H
  // may sit below the saddle; the path w(t) itself, sampled densely, never does.
  Figure3Landscape f;
  const double floor = saddle_floor();
  struct Case {
    double lambda;
    int points, terms;
    PointLoss loss;
  };
  std::vector<Case> cases = {{10, 51, 15, PointLoss::Squared}};  // the undershoot named above
  for (double lambda : {0.0, 0.1, 1.0})
    for (int points : {11, 21, 51}) cases.push_back({lambda, points, 15, PointLoss::Plain});
  for (const Case& c : cases) {
    PathParams p = PathParams::figure3(c.lambda, c.lambda == 10 ? 2 : 3);
    p.point_loss = c.loss;
    p.points = c.points;
    p.terms = c.terms;
    p.steps = 200;
    const PathResult r = run_path(f, fig3_start(), fig3_end(), p);
    PathParams dense = p;
    dense.points = 20001;
    FourierPathFinder fine(f, fig3_start(), fig3_end(), dense);
    Vec W(2 * 20001);
    fine.path_points(r.b.data(), W.data());
    double top = -1e300;
    for (int m = 0; m < 20001; ++m) top = std::max(top, f.value(W[2 * m], W[2 * m + 1]));
    EXPECT_GE(top, floor) << "lambda " << c.lambda << " M " << c.points;
    EXPECT_GE(top, r.H);
  }
}

TEST(Figure3Command, WritesTheTableInsideTheBands) {
  // `landscape fig3 --out DIR` runs the published procedure with the golden seed.
  const char* binary = std::getenv("LANDSCAPE_BINARY");
  if (!binary) GTEST_SKIP() << "LANDSCAPE_BINARY not set (meson test sets it)";
  const std::string dir = testing::temp_dir() + "/fig3";
  std::map<std::string, GoldenRow> band;  // lambda label -> its row
  for (const GoldenRow& g : read_golden()) {
    if (g.kind == "linear") band["linear"] = g;
    if (g.kind == "published") band[std::to_string(int(g.lambda))] = g;
  }
  ASSERT_EQ(band.size(), 4u);
  const std::string cmd = std::string("'") + binary + "' fig3 --out '" + dir + "' --seed " +
                          std::to_string(band["10"].seed) + " --threads 2 >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(dir + "/fig3.csv");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "lambda,H,length");
  int rows = 0;
  while (std::getline(in, line)) {
    const std::string label = line.substr(0, line.find(','));
    ASSERT_TRUE(band.count(label)) << line;
    const double H = std::stod(line.substr(label.size() + 1));
    EXPECT_GE(H, band[label].lo) << line;
    EXPECT_LE(H, band[label].hi) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 4);
  for (const char* name : {"fig3_plain.csv", "path_linear.csv", "path_10.csv", "path_1000.csv",
                           "path_plain_100.csv", "manifest.json"})
    EXPECT_TRUE(testing::file_exists(dir + "/" + name)) << name;
  // no --out: a usage error (exit 2)
  const std::string bad = std::string("'") + binary + "' fig3 >/dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(bad.c_str())), 2);
}

TEST(MuellerBrownPath, BarrierBetweenTheDeepMinima) {
  // Between minima A (-0.558, 1.442) and B (0.623, 0.028) every path climbs at least to the
  // higher of the two saddles on the way, -40.66; the straight line climbs far higher.
  MuellerBrownLandscape f;
  const Vec a = {Scalar(-0.558), Scalar(1.442)}, b = {Scalar(0.623), Scalar(0.028)};
  const PathParams p{.terms = 10, .points = 101, .lambda = 10, .lr = 0.01, .steps = 500};
  const PathResult r = run_path(f, a, b, p);
  EXPECT_GT(r.H_linear, 0);
  EXPECT_LT(r.H, -15);
  EXPECT_GE(r.H, -40.66);
}

}  // namespace
}  // namespace landscape
