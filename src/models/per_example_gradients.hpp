// The gradient of each example's own loss, g_n = d loss_n / dw (docs/algorithms.md §10.8): the
// rows of the empirical Fisher F = (1/N) sum_n g_n g_n^T (landscape/spectra/curvature_operator.hpp).
// loss_n is the model's loss on example n alone: its cross-entropy, or the mean squared error
// over its outputs, so the dataset loss is the mean of the loss_n.
//
// One graph of one example per row (run_chunk with n = 1, seed 1); threads over examples, each
// row written by one thread: the same bits for any thread count.
//
// Shape legend: P parameters, N examples.
#pragma once

#include <vector>

#include "io/mnist.hpp"
#include "models/model.hpp"

namespace landscape {

// G [N, P] row-major in double: row n is g_n at w [P].
std::vector<double> per_example_gradients(const Model& model, const Dataset& data, const Scalar* w);

}  // namespace landscape
