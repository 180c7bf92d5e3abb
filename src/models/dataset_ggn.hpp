// Generalised Gauss-Newton products of a model's mean loss over a whole dataset
// (docs/algorithms.md §10.8): G v = J^T H_L J v, with J = d(output)/dw, the Jacobian of the
// network's output, and H_L the Hessian of the loss in that output:
//   cross-entropy over K classes:  H_L = (diag(p) - p p^T) / N per example, p = softmax(z);
//   mean squared error over D outputs per example: H_L = 2 / (N D) I.
// G is positive semi-definite (H_L is), equals the Hessian where the network is linear in w,
// and drops the Hessian's second term, sum of dL/dz times d^2 z / dw^2.
//
// Per chunk: J v is the output's tangent in a tangent-mode forward (graph.hpp); u = H_L (J v) is
// formed at the outputs; J^T u is a plain forward and a backward seeded with u
// (Graph::backward_from). Chunks, threads and summation order as dataset_hvp: same inputs and
// thread count, same bits.
//
// Shape legend: P parameters, N images.
#pragma once

#include "io/mnist.hpp"
#include "models/dataset_loss.hpp"
#include "models/model.hpp"

namespace landscape {

// w, v [P] in layout order; Gv [P] receives G v. chunk <= 0: as dataset_loss. Returns the loss
// (and accuracy) at w like dataset_loss.
DatasetLoss dataset_ggn_product(const Model& model, const Dataset& data, const Scalar* w, const Scalar* v,
                                Scalar* Gv, int chunk = 0);

// u = H_L r at one chunk's outputs z [n, K or D] for tangents r (same shape), the whole
// dataset's weight included (total examples N): the formulas above, in double.
void loss_hessian_times(const Model& model, const Tensor& z, const Tensor& r, long total, Tensor& u);

}  // namespace landscape
