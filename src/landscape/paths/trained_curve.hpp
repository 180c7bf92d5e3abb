// A curve from w_i to w_j bent by one free point theta, trained as Garipov, Izmailov,
// Podoprikhin, Vetrov and Wilson ("Loss surfaces, mode connectivity, and fast ensembling of
// DNNs", NeurIPS 2018) train theirs: minimise the loss averaged along the curve,
//   E_{t ~ U[0,1]} f(phi_theta(t)),
// by stochastic gradients with t drawn afresh each step. Both of their simplest curves, the
// quadratic Bezier curve (bezier_curve.hpp) and the polygonal chain with one bend
// (polygonal_chain.hpp), are linear in theta,
//   phi_theta(t) = a(t) w_i + c(t) theta + e(t) w_j,      d phi / d theta = c(t) I,
// so this one loop trains either; each step draws S values t_s and moves theta by Adam
// (optim/adam.hpp) along
//   d/dtheta (1/S) sum_s f(phi(t_s)) = (1/S) sum_s c(t_s) grad f(phi(t_s)).
// theta starts at the midpoint (w_i + w_j) / 2, where both curves are the straight line run at
// uniform speed. The reported curve is the last theta, sampled at t_m = linspace(0, 1, M) and
// measured there (found_path.hpp). a(0) = e(1) = 1 and c(0) = c(1) = 0 keep the end points
// exactly.
//
// Legend: P = landscape dimension, S = t values per step (--curve-samples), M = --points.
#pragma once

#include <cstdint>
#include <span>

#include "core/parameter_table.hpp"
#include "core/scalar.hpp"
#include "landscape/landscape.hpp"
#include "landscape/paths/found_path.hpp"

namespace landscape {

// phi(t) = a w_i + c theta + e w_j
struct CurveWeights {
  double a = 0, c = 0, e = 0;
};
using CurveShape = CurveWeights (*)(double t);

// Flags: table() below (docs/algorithms.md §13); seed and budget are set by the callers.
struct CurveParams {
  double lr = 1e-3;        // Adam's learning rate on theta
  int steps = 100;         // Adam steps
  int samples = 1;         // S: t values per step (Garipov et al.: one per batch)
  int points = 51;         // M: where the reported curve is measured
  std::uint64_t seed = 1;  // of the t draws (per pair, from --seed)
  long budget = 0;         // gradient evaluations at most (0: no limit): steps <= budget / S
  static const ParameterTable<CurveParams>& table();
  // Throws UsageError naming the flag: the table's bounds, budget >= 0.
  void check() const;
};

inline const ParameterTable<CurveParams>& CurveParams::table() {
  using P = CurveParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("lr", &P::lr, "bezier, polychain: Adam's learning rate on the bend").above(0)
      .field("steps", &P::steps, "bezier, polychain: Adam steps").at_least(0)
      .field("curve-samples", &P::samples, "bezier, polychain: random t per step").range(1, 100000)
      .field("points", &P::points, "bezier, polychain: where the curve is measured").range(2, 1000000);
  // clang-format on
  return t;
}

// The curve phi_theta(t) into w[P].
void curve_point(CurveShape shape, double t, const Scalar* w_i, const Scalar* theta, const Scalar* w_j,
                 std::size_t P, Scalar* w);

// Trains theta from the midpoint and reports the curve at M points.
FoundPath train_curve(const Landscape& f, std::span<const Scalar> w_i, std::span<const Scalar> w_j,
                      CurveShape shape, const CurveParams& params);

}  // namespace landscape
