// Loss (and gradient) of one model at many weight vectors over the same data, in one pass over
// the data (docs/algorithms.md §2.6): path steps (51 points), surface grids (2,601 forward
// passes), NEB bands and trained curves evaluate one model at many points.
//
// The points go in groups of kPointsPerGroup. For each group, every chunk of images is read
// once for all of its points while it is in cache; the model's input layer (Model::input_layer)
// is computed for the whole group with one product (models/input_layer.hpp) and its weight
// gradient with one more; the rest of each point's forward and backward pass is its own graph.
// Threads share the chunks as dataset_loss does (static schedule, per-thread two-stage sums,
// added in thread order), so each point gets the numbers dataset_loss gives it, up to the
// summation order inside the shared products, and the same bits for the same thread count.
#pragma once

#include <cstddef>

#include "core/point_basis.hpp"
#include "io/mnist.hpp"
#include "models/dataset_loss.hpp"
#include "models/model.hpp"

namespace landscape {

// Points whose input layers are stacked into one product. A group's stacked weights (8 x 50 x
// 784 for FCP, 1.25 MB) stay in L2 while a chunk meets them; bench/README.md has the
// measurements behind the number.
inline constexpr int kPointsPerGroup = 8;
// Points per pass over the data when they come with a basis: their input layers all come from
// the K basis products, so a group is as large as the per-thread gradient sums allow.
inline constexpr int kPointsPerBasisGroup = 64;

// W [M,P]: the points, each in the model's layout. results[m] receives point m's loss and
// accuracy; G [M,P] (nullptr: forward only) its gradient. chunk as for dataset_loss. With a
// basis (core/point_basis.hpp), W must hold its combinations (rounded to Scalar); the input
// layer is computed from the K basis products, the rest of each point's pass from its row of W.
void dataset_loss_many(const Model& model, const Dataset& data, const Scalar* W, std::size_t M,
                       DatasetLoss* results, Scalar* G, int chunk = 0, const PointBasis* basis = nullptr);

// As dataset_loss_many, with the R combinations of the gradients instead of the gradients.
// With a basis and an input layer, the input layer's weight gradient of each combination is
// one product of the images with the combined dz (R products per chunk instead of M); the
// other blocks combine the points' gradients at the end. Otherwise the gradients are computed
// and combined.
void dataset_loss_many_combined(const Model& model, const Dataset& data, const Scalar* W, std::size_t M,
                                DatasetLoss* results, const GradientCombination& combination, int chunk = 0,
                                const PointBasis* basis = nullptr);

}  // namespace landscape
