// A model's curvature product restricted to one block of its parameters, as a symmetric
// operator in double (docs/algorithms.md §10.2): v [n] is embedded at `offset` in a zero
// parameter vector [P], the whole product is taken in the build's Scalar, and its block comes
// back. With offset 0 and n = P it is the whole matrix. The Hessian's and the Gauss-Newton
// matrix's operators are this around their products (hessian_operator.cpp, curvature_operator.cpp).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/scalar.hpp"
#include "landscape/spectra/symmetric_operator.hpp"

namespace landscape {

// product(v, Av): Av [P] = the matrix times v [P]. products (may be nullptr) counts the calls.
inline SymmetricOperator parameter_block_operator(std::size_t P, std::size_t offset, std::size_t n,
                                                  std::function<void(const Scalar*, Scalar*)> product,
                                                  std::shared_ptr<long> products) {
  SymmetricOperator A;
  A.n = n;
  A.apply = [P, offset, n, product = std::move(product), products](const double* v, double* Av) {
    std::vector<Scalar> vs(P, Scalar(0)), out(P);
    for (std::size_t i = 0; i < n; ++i) vs[offset + i] = Scalar(v[i]);
    product(vs.data(), out.data());
    for (std::size_t i = 0; i < n; ++i) Av[i] = out[offset + i];
    if (products) ++*products;
  };
  return A;
}

}  // namespace landscape
