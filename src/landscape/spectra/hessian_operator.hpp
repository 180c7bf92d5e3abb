// The Hessian of a model's mean loss over a dataset, at fixed weights, as a symmetric operator
// for Lanczos, Hutchinson and SLQ (docs/algorithms.md §10.2). Each product is one exact
// Hessian-vector product over the whole dataset (models/dataset_hvp.hpp); vectors are double,
// the network runs in the build's Scalar.
//
// Restricted to one parameter block b (a layer's weight or bias), the operator is the diagonal
// block H_bb = d^2 loss / dw_b^2: v is zero outside the block and only the block of H v is
// kept. Its spectrum is the per-layer spectrum users of PyHessian ask for.
//
// Legend: P parameters, n = P or the size of block b.
#pragma once

#include <memory>
#include <vector>

#include "io/mnist.hpp"
#include "landscape/spectra/symmetric_operator.hpp"
#include "models/model.hpp"

namespace landscape {

// model and data must outlive the operator; w [P] is copied. block < 0: the whole Hessian,
// else layout()[block]'s diagonal block. products (may be nullptr) counts the products made.
SymmetricOperator hessian_operator(const Model& model, const Dataset& data, const Scalar* w, int block = -1,
                                   std::shared_ptr<long> products = nullptr);

}  // namespace landscape
