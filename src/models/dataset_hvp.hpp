// Exact Hessian-vector products of a model's mean loss over a whole dataset
// (docs/algorithms.md §10.2): H v with H = d^2 loss / dw^2 at w, by Pearlmutter's R-operator on
// the autodiff graph (graph.hpp, tangent mode), for about twice the cost of a gradient and no
// finite-difference step to choose. The building block of the Lanczos, Hutchinson and SLQ estimates
// (landscape/spectra/lanczos.hpp, hutchinson_trace.hpp, spectral_density.hpp).
//
// Cut into chunks and threads as dataset_loss (dataset_loss.hpp): each thread takes a fixed,
// contiguous range of chunks (static schedule), builds one tangent-mode graph per chunk with
// seed n_c/N, and adds the chunk's H v into its own double buffer; the thread buffers are then
// added in thread order. Same inputs and thread count, same bits; 1 and 2 threads agree up to
// summation rounding. The LSTM goes through its composition from primitive ops in tangent mode
// (lstm_layer.cpp), which carries the tangent rules.
//
// Shape legend: P parameters, N images.
#pragma once

#include "io/mnist.hpp"
#include "models/dataset_loss.hpp"
#include "models/model.hpp"

namespace landscape {

// w, v [P] in layout order; Hv [P] receives H v. grad [P] (may be nullptr) receives the
// gradient, which the same pass computes anyway. chunk <= 0: as dataset_loss. Returns the loss
// (and accuracy) at w like dataset_loss.
DatasetLoss dataset_hvp(const Model& model, const Dataset& data, const Scalar* w, const Scalar* v, Scalar* Hv,
                        Scalar* grad = nullptr, int chunk = 0);

}  // namespace landscape
