#include "landscape/spectra/hessian_operator.hpp"

#include "landscape/spectra/parameter_block_operator.hpp"
#include "models/dataset_hvp.hpp"

namespace landscape {

SymmetricOperator hessian_operator(const Model& model, const Dataset& data, const Scalar* w, int block,
                                   std::shared_ptr<long> products) {
  return parameter_block_operator(
      model, w, block,
      [&model, &data](const Scalar* at, const Scalar* v, Scalar* Hv) { dataset_hvp(model, data, at, v, Hv); },
      products, "hessian_operator");
}

}  // namespace landscape
