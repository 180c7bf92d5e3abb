// The quadratic Bezier curve of Garipov et al. (NeurIPS 2018, section 3), `landscape path
// --method bezier`: from w_i to w_j pulled towards one control point theta,
//   phi_theta(t) = (1 - t)^2 w_i + 2 t (1 - t) theta + t^2 w_j,   t in [0, 1],
// trained at random t by the loop shared with the polygonal chain (trained_curve.hpp).
#pragma once

#include <span>

#include "landscape/paths/trained_curve.hpp"

namespace landscape {

CurveWeights bezier_weights(double t);  // a = (1-t)^2, c = 2t(1-t), e = t^2

FoundPath find_bezier_path(const Landscape& f, std::span<const Scalar> w_i, std::span<const Scalar> w_j,
                           const CurveParams& params);

}  // namespace landscape
