#include "landscape/paths/polygonal_chain.hpp"

namespace landscape {

CurveWeights polygonal_chain_weights(double t) {
  if (t <= 0.5) return {1 - 2 * t, 2 * t, 0};  // w_i -> theta
  return {0, 2 - 2 * t, 2 * t - 1};            // theta -> w_j
}

FoundPath find_polygonal_chain_path(const Landscape& f, std::span<const Scalar> w_i,
                                    std::span<const Scalar> w_j, const CurveParams& params) {
  return train_curve(f, w_i, w_j, polygonal_chain_weights, params);
}

}  // namespace landscape
