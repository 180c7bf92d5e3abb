#include "landscape/spectra/hessian_operator.hpp"

#include <string>

#include "core/error.hpp"
#include "models/dataset_hvp.hpp"

namespace landscape {

SymmetricOperator hessian_operator(const Model& model, const Dataset& data, const Scalar* w,
                                   int block, std::shared_ptr<long> products) {
  const size_t P = model.num_params();
  if (block >= int(model.layout().size()))
    throw Error("hessian_operator: block " + std::to_string(block) + " of a model with " +
                std::to_string(model.layout().size()));
  const size_t offset = block < 0 ? 0 : model.layout()[block].offset;
  const size_t n = block < 0 ? P : model.layout()[block].size();
  auto weights = std::make_shared<const std::vector<Scalar>>(w, w + P);
  SymmetricOperator A;
  A.n = n;
  A.apply = [&model, &data, weights, offset, n, P, products](const double* v, double* Av) {
    std::vector<Scalar> vs(P, Scalar(0)), hv(P);  // v embedded in the whole parameter vector
    for (size_t i = 0; i < n; ++i) vs[offset + i] = Scalar(v[i]);
    dataset_hvp(model, data, weights->data(), vs.data(), hv.data());
    for (size_t i = 0; i < n; ++i) Av[i] = hv[offset + i];
    if (products) ++*products;
  };
  return A;
}

}  // namespace landscape
