// The input layer of a model: its first layer, whose product with the images is the one
// product that every weight vector of a many-point evaluation shares (docs/algorithms.md §2.6).
// For a group of weight vectors, StackedInputLayer stacks their first-layer weights into one
// matrix and InputLayerChunk computes the layer for all of them with one product per chunk of
// images (and its weight gradients with one more), where the single-point loop would run one
// small product per point.
//
// Shape legend: n images of a chunk, K stacked vectors, O outputs of the dense layer,
// 784 = 28 x 28 pixels.
#pragma once

#include <memory>
#include <vector>

#include "core/scalar.hpp"
#include "core/sparse_rows.hpp"
#include "core/tensor.hpp"

namespace landscape {

class Model;

// Only a dense first layer is shared. LeNet's first convolution was too, as one im2col and one
// GEMM for the whole group; once conv2d had its direct kernels (conv2d_kernels.hpp) that made a
// LeNet path step 1.4x the cost of 51 single gradients instead of 1.0x: a convolution's output
// (4,704 values per image) makes the per-point buffers of a chunk outgrow L2 (bench/README.md).
struct InputLayer {
  enum class Kind {
    None,   // the model names none: each point runs its whole forward pass
    Dense,  // z = x W^T (+ b), W [O,784]: FCP, the autoencoder
  };
  Kind kind = Kind::None;
  int weight = -1;  // index of the weight's block in Model::layout()
  int bias = -1;    // the bias's block [O]; -1: none
};

// The input layers of K weight vectors, stacked: W_stack [K*O, 784], vector k's rows
// k*O .. k*O+O-1, and their biases. The vectors are a group's
// points, or the basis its points are combinations of. Built once per group and read-only
// afterwards, so the threads of a group share it.
class StackedInputLayer {
 public:
  // w[k] [P] the K weight vectors in the model's layout; the model must name an input
  // layer (Error otherwise, or when its block shapes do not fit the kind).
  StackedInputLayer(const Model& model, const Scalar* const* w, int vectors);

  const InputLayer& layer() const { return layer_; }
  int vectors() const { return vectors_; }                   // K
  int outputs() const { return outputs_; }                   // O
  int taps() const { return taps_; }                         // the model's input size (784 for MNIST)
  size_t output_size(int n) const;                           // values of one point's z for n images
  Shape output_shape(int n) const;                           // [n,O]
  const Scalar* weights() const { return weights_.data(); }  // [K*O, 784]
  const Scalar* bias(int p) const;                           // [outputs] of point p, nullptr without a bias
  // Whether every stacked weight is finite: only then may a product skip zero pixels (an inf
  // weight times a skipped zero would have been NaN; docs/algorithms.md §2.5).
  bool finite() const { return finite_; }
  size_t weight_offset() const { return weight_offset_; }  // the blocks' offsets in [P]
  size_t bias_offset() const { return bias_offset_; }

 private:
  InputLayer layer_;
  int vectors_, outputs_ = 0, taps_ = 0;
  size_t weight_offset_ = 0, bias_offset_ = 0;
  std::vector<Scalar> weights_;  // [g*outputs, taps]
  std::vector<Scalar> biases_;   // [g, outputs], empty without a bias
  bool finite_ = true;
};

// One thread's work on one chunk of images: forward() computes the products of the chunk with
// every stacked vector; add_weight_gradients() turns the dz of some points into their weight
// and bias gradients, stacked into one product. The buffers are kept from chunk to chunk
// (nothing is allocated once the first chunk has sized them).
class InputLayerChunk {
 public:
  explicit InputLayerChunk(const StackedInputLayer& stack) : s_(stack) {}

  // The products of the images x [n,784] with every stacked vector (bias included).
  void forward(const Scalar* x, int n);
  // Stacked vector k's output [n,O], a view into this object's buffer.
  Tensor product(int k) const;
  // out = sum_k c[k] product(k): the output of a point that is that combination of the stacked
  // vectors (the layer is linear in its weight and bias together; docs/algorithms.md §2.6).
  void combine(const double* c, Scalar* out) const;
  // grad[j] [P] += d/dW and d/db of the layer for the point whose dz is dz[j] [n,O],
  // j < count; one product for up to kPointsPerProduct points.
  void add_weight_gradients(const Scalar* const* dz, int count, Scalar* const* grad);

  static constexpr int kPointsPerProduct = 8;

 private:
  void dense_forward();
  void dense_weight_gradients(const Scalar* const* dz, int count, Scalar* const* grad);

  const StackedInputLayer& s_;
  const Scalar* x_ = nullptr;  // [n,784] this chunk's images
  int n_ = 0;
  std::shared_ptr<const SparseRows> nonzeros_;  // x's nonzeros, when the product skips zeros
  std::vector<Scalar> stacked_;                 // [n, K*O]: the product
  std::vector<Scalar> products_;                // [K, output_size(n)] each stacked vector's output
  std::vector<Scalar> gathered_;  // the dz of up to kPointsPerProduct points, laid out as stacked_
  std::vector<Scalar> dw_;        // [count*outputs, taps] their stacked weight gradient
};

}  // namespace landscape
