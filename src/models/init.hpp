// Initial weights as PyTorch's defaults: every parameter uniform in (-bound, bound), bound
// 1/sqrt(fan_in) for linear and conv weights and biases, 1/sqrt(hidden) for the LSTM
// (ParamBlock::init_bound). Drawn from the seeded Rng, block by block in layout order.
#pragma once

#include <cstdint>
#include <vector>

#include "models/model.hpp"

namespace landscape {

std::vector<Scalar> init_weights(const Model& model, uint64_t seed);

}  // namespace landscape
