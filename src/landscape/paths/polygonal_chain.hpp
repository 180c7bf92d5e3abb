// The polygonal chain with one bend of Garipov et al. (NeurIPS 2018, section 3), `landscape
// path --method polychain`: straight from w_i to the bend theta, then straight on to w_j,
//   phi_theta(t) = 2 (t theta + (1/2 - t) w_i)          for 0 <= t <= 1/2,
//   phi_theta(t) = 2 ((t - 1/2) w_j + (1 - t) theta)    for 1/2 <= t <= 1,
// trained at random t by the loop shared with the Bezier curve (trained_curve.hpp). With an
// odd number of points (--points, 51 by default) t = 1/2 is sampled, so the bend is on the
// reported path.
#pragma once

#include <span>

#include "landscape/paths/trained_curve.hpp"

namespace landscape {

CurveWeights polygonal_chain_weights(double t);

FoundPath find_polygonal_chain_path(const Landscape& f, std::span<const Scalar> w_i,
                                    std::span<const Scalar> w_j, const CurveParams& params);

}  // namespace landscape
