// A model's curvature product restricted to one block of its parameters, as a symmetric
// operator in double (docs/algorithms.md §10.2): v [n] is embedded at `offset` in a zero
// parameter vector [P], the whole product is taken in the build's Scalar, and its block comes
// back. With offset 0 and n = P it is the whole matrix. The Hessian's and the Gauss-Newton
// matrix's operators are this around their products (hessian_operator.cpp, curvature_operator.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/scalar.hpp"
#include "landscape/spectra/symmetric_operator.hpp"
#include "models/model.hpp"

namespace landscape {

// product(w, v, Av): Av [P] = the matrix at w times v [P] (dataset_hvp, dataset_ggn_product).
using WeightsProduct = std::function<void(const Scalar* w, const Scalar* v, Scalar* Av)>;

// The matrix at w (copied) restricted to layout()[block] (block < 0: the whole matrix); the
// model must outlive the operator. A block beyond the layout is an Error naming `who`.
// products (may be nullptr) counts the calls.
inline SymmetricOperator parameter_block_operator(const Model& model, const Scalar* w, int block,
                                                  WeightsProduct product, std::shared_ptr<long> products,
                                                  const std::string& who) {
  const std::size_t P = model.num_params();
  if (block >= int(model.layout().size()))
    throw Error(who + ": block " + std::to_string(block) + " of a model with " +
                std::to_string(model.layout().size()));
  const std::size_t offset = block < 0 ? 0 : model.layout()[block].offset;
  const std::size_t n = block < 0 ? P : model.layout()[block].size();
  auto weights = std::make_shared<const std::vector<Scalar>>(w, w + P);
  SymmetricOperator A;
  A.n = n;
  A.apply = [P, offset, n, weights, product = std::move(product), products](const double* v, double* Av) {
    std::vector<Scalar> vs(P, Scalar(0)), out(P);
    for (std::size_t i = 0; i < n; ++i) vs[offset + i] = Scalar(v[i]);
    product(weights->data(), vs.data(), out.data());
    for (std::size_t i = 0; i < n; ++i) Av[i] = out[offset + i];
    if (products) ++*products;
  };
  return A;
}

}  // namespace landscape
