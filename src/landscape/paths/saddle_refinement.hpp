// Is a reported barrier real? `--refine`, for a path from any method: start at the path's
// highest point and descend to the saddle point it stands for, with a climbing-image NEB
// (nudged_elastic_band.hpp) on the stretch of the path around it.
//
// The stretch runs from the lowest point of the path before its highest point, walking down the
// profile, to the lowest one after it: the two valleys the barrier separates. Up to `images`
// of its points (the highest one always among them) become a band with fixed ends, and the
// highest image climbs from the first step: up along the band, down across it, so it stops
// where the gradient vanishes. The refined barrier is f there, and |grad f| says how close to a
// stationary point the descent came: it has converged when |grad f| is at most `tol` times the
// steepest |grad f| of the band it started from (a scale-free test: forces on the test surfaces
// are 1 to 100, near a trained network's minima 1e-4), and it stops there.
// The refined barrier can be lower than H (the path crossed the ridge above its saddle) or
// higher (the path's points straddled the top of a narrow pass).
//
// Legend: P = landscape dimension.
#pragma once

#include <vector>

#include "core/parameter_table.hpp"
#include "core/scalar.hpp"
#include "landscape/landscape.hpp"
#include "landscape/paths/found_path.hpp"

namespace landscape {

// Flags: table() below (docs/algorithms.md §13).
struct RefineParams {
  int images = 9;     // points of the band around the highest one, ends included
  int steps = 200;    // climbing-image NEB steps
  double lr = 1e-3;   // (the lr decays 0.7 per eighth of the steps)
  double tol = 1e-3;  // converged: |grad f| <= tol x the steepest |grad f| on the first band
  static const ParameterTable<RefineParams>& table();
  void check() const { table().check(*this); }  // UsageError naming the flag
};

inline const ParameterTable<RefineParams>& RefineParams::table() {
  using P = RefineParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("refine-steps", &P::steps, "climbing-image steps of --refine").range(0, 100000000)
      .field("refine-images", &P::images, "band points around the highest point for --refine")
          .range(3, 100000)
      .field("refine-tol", &P::tol, "--refine: converged when |grad f| <= this x the band's steepest |grad f|")
          .above(0)
      .field("lr", &P::lr, "--refine: the climbing image's distance per component per step").above(0);
  // clang-format on
  return t;
}

struct RefinedSaddle {
  double H = 0;               // the path's highest point (unrefined)
  double H_refined = 0;       // f where the climbing image stopped
  double gradient_norm = 0;   // |grad f| there
  std::vector<Scalar> point;  // [P] where the climbing image stopped
  double tolerance = 0;       // |grad f| it had to reach: tol x the first band's steepest
  bool converged = false;     // gradient_norm <= tolerance (or the highest point is an end)
  int steps = 0;
  long gradient_evaluations = 0, loss_evaluations = 0;
  // The highest point is an end of the path: no barrier between, nothing to refine
  // (H_refined = H, gradient_norm = 0).
  bool at_end = false;
};

RefinedSaddle refine_saddle(const Landscape& f, const FoundPath& path, const RefineParams& params);

}  // namespace landscape
