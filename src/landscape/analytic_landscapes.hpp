// Analytic test surfaces in R^2 behind the Landscape interface: cheap, exactly known, and with
// minima and saddles whose positions and heights are published, so a path finder can be
// checked against the true barrier.
//
// - Figure3Landscape: the paper's 2-D example (docs/algorithms.md §6.1), two wide Gaussian wells
//   and two narrow Gaussian bumps between them, shifted by C so the deeper minimum sits near 0.
// - MuellerBrownLandscape: the classic Mueller-Brown potential (K. Mueller and L. D. Brown,
//   Theor. Chim. Acta 53, 75 (1979)), three minima joined by two saddles, the standard test of
//   minimum-energy-path methods.
#pragma once

#include <array>
#include <string>

#include "landscape/landscape.hpp"

namespace landscape {

using Point2 = std::array<double, 2>;

// A landscape on R^2 given by its value and partial derivatives in double; evaluate() rounds
// them to Scalar for the path finders.
class PlanarLandscape : public Landscape {
 public:
  std::size_t dimension() const override { return 2; }
  double evaluate(const Scalar* x, Scalar* grad) const override;
  virtual double value(double x, double y, double* dfdx = nullptr, double* dfdy = nullptr) const = 0;
};

// f(x,y) = -exp(-3|r-c1|^2) - exp(-3|r-c2|^2) + exp(-15|r-d1|^2) + exp(-15|r-d2|^2) + C
class Figure3Landscape : public PlanarLandscape {
 public:
  static constexpr Point2 kC1 = {-0.5, -0.5};           // centre of the left well
  static constexpr Point2 kC2 = {0.5, 0.0};             // centre of the right well
  static constexpr Point2 kD1 = {-0.2, -0.4};           // centre of the lower bump
  static constexpr Point2 kD2 = {0.0, 0.3};             // centre of the upper bump
  static constexpr double kWellWidth = 3;               // the 3 in exp(-3|r-c|^2)
  static constexpr double kBumpWidth = 15;              // the 15 in exp(-15|r-d|^2)
  static constexpr double kShift = 1.0190055296306975;  // C
  // The end points of Figure 3's paths (near the two minima) and the facts of
  // docs/algorithms.md §6.1:
  static constexpr Point2 kStart = {-0.62, -0.54};  // w1
  static constexpr Point2 kEnd = {0.49, -0.02};     // w2
  // No continuous path from w1 to w2 stays below the lower saddle, at (-0.1647,-0.0699).
  static constexpr double kLowestSaddleHeight = 0.62439;

  double value(double x, double y, double* dfdx = nullptr, double* dfdy = nullptr) const override;
  std::string describe() const override { return "Figure 3 surface (docs/algorithms.md §6)"; }
};

// V(x,y) = sum_{k=1..4} A_k exp(a_k (x-x_k)^2 + b_k (x-x_k)(y-y_k) + c_k (y-y_k)^2),
// with the published parameters (Mueller & Brown 1979, Table I) below.
class MuellerBrownLandscape : public PlanarLandscape {
 public:
  static constexpr std::array<double, 4> kA = {-200, -100, -170, 15};
  static constexpr std::array<double, 4> ka = {-1, -1, -6.5, 0.7};
  static constexpr std::array<double, 4> kb = {0, 0, 11, 0.6};
  static constexpr std::array<double, 4> kc = {-10, -10, -6.5, 0.7};
  static constexpr std::array<double, 4> kx = {1, 0, -0.5, -1};
  static constexpr std::array<double, 4> ky = {0, 0.5, 1.5, 1};

  double value(double x, double y, double* dfdx = nullptr, double* dfdy = nullptr) const override;
  std::string describe() const override { return "Mueller-Brown potential"; }
};

}  // namespace landscape
