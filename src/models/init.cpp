#include "models/init.hpp"

#include "core/random.hpp"

namespace landscape {

std::vector<Scalar> init_weights(const Model& model, uint64_t seed) {
  std::vector<Scalar> w(model.num_params());
  Rng rng(seed);
  for (const ParamBlock& b : model.layout())
    for (size_t i = 0; i < b.size(); ++i)
      w[b.offset + i] = static_cast<Scalar>(rng.uniform(-b.init_bound, b.init_bound));
  return w;
}

}  // namespace landscape
