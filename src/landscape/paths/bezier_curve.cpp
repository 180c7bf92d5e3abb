#include "landscape/paths/bezier_curve.hpp"

namespace landscape {

CurveWeights bezier_weights(double t) {
  const double s = 1 - t;
  return {s * s, 2 * t * s, t * t};  // exact 1, 0, 0 at t = 0 and 0, 0, 1 at t = 1
}

FoundPath find_bezier_path(const Landscape& f, std::span<const Scalar> w_i, std::span<const Scalar> w_j,
                           const CurveParams& params) {
  return train_curve(f, w_i, w_j, bezier_weights, params);
}

}  // namespace landscape
