// Mean loss (and its gradient) of a model over a whole dataset: the workhorse of full-batch
// L-BFGS, of path finding and of evaluation.
//
// The dataset is cut into chunks of consecutive images (Model::chunk_images); each thread takes
// a fixed, contiguous range of chunks (static schedule), builds one graph per chunk and adds the
// chunk's share n_c/N of the gradient into its own buffer, which it empties into a double sum
// every 16 chunks; the thread sums are then added in thread order, in double. So memory stays
// bounded by the chunk size whatever the dataset size, the result is the same for any chunk
// size and thread count up to summation rounding, and the same inputs with the same thread
// count give the same bits. Small work (under 50 MFLOP: an SGD step of FCP or the autoencoder)
// runs on the calling thread.
#pragma once

#include <vector>

#include "io/mnist.hpp"
#include "models/model.hpp"

namespace landscape {

struct DatasetLoss {
  double loss = 0;          // mean over the dataset (cross-entropy per image, or MSE per pixel)
  long correct = -1;        // images whose argmax logit is the label (classifiers), else -1
  double accuracy() const;  // correct / images, NaN for the autoencoder
  long images = 0;
};

// w [P] in layout order. grad [P] (may be nullptr: forward only, cheaper) receives d loss / dw.
// chunk <= 0 picks min(model.chunk_images(), ceil(N / threads)) so small batches use every
// thread.
DatasetLoss dataset_loss(const Model& model, const Dataset& data, const Scalar* w, Scalar* grad,
                         int chunk = 0);

// The whole-dataset gradient as one plain serial loop over single images: the reference twin
// of dataset_loss's chunked parallel path, used by tests.
DatasetLoss dataset_loss_reference(const Model& model, const Dataset& data, const Scalar* w, Scalar* grad);

// Builds leaves for w's blocks: parameters (gradient into grad) or constants when grad is null.
std::vector<Var> parameter_leaves(Graph& g, const Model& model, const Scalar* w, Scalar* grad);

}  // namespace landscape
