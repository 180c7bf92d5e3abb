// The analytic surfaces: gradients against central differences, and the stationary points
// published for them (docs/algorithms.md §6 for Figure 3; Mueller & Brown 1979 for theirs), found
// here by Newton's method from the published coordinates and checked for position, height and
// kind (minimum: both Hessian eigenvalues > 0; saddle: one < 0).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "landscape/analytic_landscapes.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

// value(x, y, &gx, &gy) of either surface.
template <class Surface>
double value(const Surface& s, double x, double y, double* gx = nullptr, double* gy = nullptr) {
  return s.value(x, y, gx, gy);
}

// Largest relative error of the analytic gradient against central differences (step h) over
// random points of the box [lo, hi]^2. The surfaces compute in double in both builds.
template <class Surface>
double worst_gradient_error(const Surface& s, double lo, double hi, double h) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(lo, hi);
  double worst = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const double x = u(rng), y = u(rng);
    double gx, gy;
    value(s, x, y, &gx, &gy);
    const double nx = (value(s, x + h, y) - value(s, x - h, y)) / (2 * h);
    const double ny = (value(s, x, y + h) - value(s, x, y - h)) / (2 * h);
    const double err = std::hypot(gx - nx, gy - ny);
    const double scale = std::max({std::hypot(gx, gy), std::hypot(nx, ny), 1e-3});
    worst = std::max(worst, err / scale);
  }
  return worst;
}

struct Stationary {
  double x, y, f;
  double hxx, hxy, hyy;  // Hessian at the point
  int negative_eigenvalues;
};

// Newton on grad f = 0 from (x, y), Hessian by central differences of the analytic gradient.
template <class Surface>
Stationary newton_stationary(const Surface& s, double x, double y) {
  const double h = 1e-6;
  Stationary p{};
  for (int it = 0; it < 50; ++it) {
    double gx, gy, a1, a2, b1, b2, c1, c2, d1, d2;
    value(s, x, y, &gx, &gy);
    value(s, x + h, y, &a1, &a2);
    value(s, x - h, y, &b1, &b2);
    value(s, x, y + h, &c1, &c2);
    value(s, x, y - h, &d1, &d2);
    p.hxx = (a1 - b1) / (2 * h);
    p.hyy = (c2 - d2) / (2 * h);
    p.hxy = 0.5 * ((a2 - b2) + (c1 - d1)) / (2 * h);
    const double det = p.hxx * p.hyy - p.hxy * p.hxy;
    const double dx = (p.hyy * gx - p.hxy * gy) / det;
    const double dy = (-p.hxy * gx + p.hxx * gy) / det;
    x -= dx;
    y -= dy;
    if (std::hypot(dx, dy) < 1e-14) break;
  }
  double gx, gy;
  p.x = x;
  p.y = y;
  p.f = value(s, x, y, &gx, &gy);
  EXPECT_LT(std::hypot(gx, gy), 1e-8) << "Newton did not converge near (" << x << ", " << y << ")";
  const double det = p.hxx * p.hyy - p.hxy * p.hxy;
  const double tr = p.hxx + p.hyy;
  p.negative_eigenvalues = det < 0 ? 1 : (tr < 0 ? 2 : 0);
  return p;
}

void expect_stationary(const Stationary& p, double x, double y, double xy_tol, double f, double f_tol,
                       int negative_eigenvalues) {
  EXPECT_NEAR(p.x, x, xy_tol);
  EXPECT_NEAR(p.y, y, xy_tol);
  EXPECT_NEAR(p.f, f, f_tol) << "at (" << p.x << ", " << p.y << ")";
  EXPECT_EQ(p.negative_eigenvalues, negative_eigenvalues) << "at (" << p.x << ", " << p.y << ")";
}

TEST(Figure3Landscape, GradientMatchesFiniteDifferences) {
  EXPECT_LT(worst_gradient_error(Figure3Landscape{}, -1.2, 1.2, 1e-6), 1e-6);
}

TEST(Figure3Landscape, EvaluateAgreesWithValue) {
  Figure3Landscape s;
  const Scalar x[2] = {Scalar(0.125), Scalar(-0.25)};
  Scalar g[2];
  double gx, gy;
  const double f = s.value(0.125, -0.25, &gx, &gy);
  EXPECT_EQ(s.evaluate(x, g), f);
  EXPECT_EQ(g[0], Scalar(gx));
  EXPECT_EQ(g[1], Scalar(gy));
  EXPECT_EQ(s.evaluate(x, nullptr), f);
  EXPECT_EQ(s.dimension(), 2u);
}

TEST(Figure3Landscape, PublishedMinimaAndSaddles) {
  // docs/algorithms.md §6: minima near (-0.6138,-0.5354), f = 0.10871 and (0.4881,-0.0223),
  // f = -3.1e-5; saddles (-0.1647,-0.0699), f = 0.62439 and (0.0529,-0.6882), f = 0.63726.
  Figure3Landscape s;
  expect_stationary(newton_stationary(s, -0.6138, -0.5354), -0.6138, -0.5354, 6e-5, 0.10871, 6e-6, 0);
  expect_stationary(newton_stationary(s, 0.4881, -0.0223), 0.4881, -0.0223, 6e-5, -3.1e-5, 6e-7, 0);
  const Stationary low = newton_stationary(s, -0.1647, -0.0699);
  expect_stationary(low, -0.1647, -0.0699, 6e-5, 0.62439, 6e-6, 1);
  expect_stationary(newton_stationary(s, 0.0529, -0.6882), 0.0529, -0.6882, 6e-5, 0.63726, 6e-6, 1);
  // The constant the golden tests use is that saddle's height rounded down.
  EXPECT_LE(Figure3Landscape::kLowestSaddleHeight, low.f);
  EXPECT_GT(Figure3Landscape::kLowestSaddleHeight, low.f - 1e-5);
}

TEST(Figure3Landscape, StraightLineHeight) {
  // docs/algorithms.md §6: the straight line from w1 to w2 rises to H0 = 1.102.
  Figure3Landscape s;
  double h = -1e300;
  for (int k = 0; k <= 100000; ++k) {
    const double t = k / 100000.0;
    const auto& a = Figure3Landscape::kStart;
    const auto& b = Figure3Landscape::kEnd;
    h = std::max(h, s.value((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]));
  }
  EXPECT_NEAR(h, 1.102, 5e-4);
}

TEST(MuellerBrownLandscape, GradientMatchesFiniteDifferences) {
  EXPECT_LT(worst_gradient_error(MuellerBrownLandscape{}, -1.5, 1.5, 1e-6), 1e-6);
}

TEST(MuellerBrownLandscape, PublishedMinimaAndSaddles) {
  // Mueller & Brown (1979): minima A (-0.558, 1.442) -146.70, B (0.623, 0.028) -108.17,
  // C (-0.050, 0.467) -80.77; saddles (-0.822, 0.624) -40.66 and (0.212, 0.293) -72.25.
  MuellerBrownLandscape s;
  expect_stationary(newton_stationary(s, -0.558, 1.442), -0.558, 1.442, 1e-3, -146.70, 0.006, 0);
  expect_stationary(newton_stationary(s, 0.623, 0.028), 0.623, 0.028, 1e-3, -108.17, 0.006, 0);
  expect_stationary(newton_stationary(s, -0.050, 0.467), -0.050, 0.467, 1e-3, -80.77, 0.006, 0);
  expect_stationary(newton_stationary(s, -0.822, 0.624), -0.822, 0.624, 1e-3, -40.66, 0.006, 1);
  expect_stationary(newton_stationary(s, 0.212, 0.293), 0.212, 0.293, 1e-3, -72.25, 0.006, 1);
}

}  // namespace
}  // namespace landscape
