#include "landscape/spectra/hessian_operator.hpp"

#include <string>

#include "core/error.hpp"
#include "landscape/spectra/parameter_block_operator.hpp"
#include "models/dataset_hvp.hpp"

namespace landscape {

SymmetricOperator hessian_operator(const Model& model, const Dataset& data, const Scalar* w, int block,
                                   std::shared_ptr<long> products) {
  const size_t P = model.num_params();
  if (block >= int(model.layout().size()))
    throw Error("hessian_operator: block " + std::to_string(block) + " of a model with " +
                std::to_string(model.layout().size()));
  const size_t offset = block < 0 ? 0 : model.layout()[block].offset;
  const size_t n = block < 0 ? P : model.layout()[block].size();
  auto weights = std::make_shared<const std::vector<Scalar>>(w, w + P);
  return parameter_block_operator(
      P, offset, n,
      [&model, &data, weights](const Scalar* v, Scalar* Hv) {
        dataset_hvp(model, data, weights->data(), v, Hv);
      },
      products);
}

}  // namespace landscape
