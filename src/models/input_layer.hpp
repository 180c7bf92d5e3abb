// The input layer of a model: its first layer, whose product with the images is the one
// product that every weight vector of a many-point evaluation shares (docs/algorithms.md §2.6).
// For a group of weight vectors, StackedInputLayer stacks their first-layer weights into one
// matrix and InputLayerChunk computes the layer for all of them with one product per chunk of
// images (and its weight gradients with one more), where the single-point loop would run one
// small product per point.
//
// Shape legend: n images of a chunk, g points of the group, O outputs of a dense layer,
// C channels and k x k taps of a convolution, S x S its output image, 784 = 28 x 28 pixels.
#pragma once

#include <memory>
#include <vector>

#include "core/scalar.hpp"
#include "core/sparse_rows.hpp"
#include "core/tensor.hpp"

namespace landscape {

class Model;

struct InputLayer {
  enum class Kind {
    None,         // the model names none: each point runs its whole forward pass
    Dense,        // z = x W^T (+ b), W [O,784]: FCP, the autoencoder
    Convolution,  // z = conv2d(x as [n,1,28,28], W, b, padding), W [C,1,k,k], stride 1: LeNet
  };
  Kind kind = Kind::None;
  int weight = -1;  // index of the weight's block in Model::layout()
  int bias = -1;    // the bias's block ([O] or [C]); -1: none
  int padding = 0;  // Convolution: zeros on every side of the 28 x 28 image
};

// The input layers of g weight vectors, stacked: W_stack [g*O, 784] (dense) or [g*C, k*k]
// (convolution), point p's rows p*O .. p*O+O-1, and their biases. Built once per group and
// read-only afterwards, so the threads of a group share it.
class StackedInputLayer {
 public:
  // w[p] [P] the group's weight vectors in the model's layout; the model must name an input
  // layer (Error otherwise, or when its block shapes do not fit the kind).
  StackedInputLayer(const Model& model, const Scalar* const* w, int points);

  const InputLayer& layer() const { return layer_; }
  int points() const { return points_; }
  int outputs() const { return outputs_; }  // O, or C
  int taps() const { return taps_; }        // 784, or k*k
  int side() const { return side_; }        // convolution: S, the output's side
  size_t output_size(int n) const;          // values of one point's z for n images
  Shape output_shape(int n) const;          // [n,O] or [n,C,S,S]
  const Scalar* weights() const { return weights_.data(); }  // [g*outputs, taps]
  const Scalar* bias(int p) const;  // [outputs] of point p, nullptr without a bias
  // Whether every stacked weight is finite: only then may a product skip zero pixels (an inf
  // weight times a skipped zero would have been NaN; docs/algorithms.md §2.5).
  bool finite() const { return finite_; }
  size_t weight_offset() const { return weight_offset_; }  // the blocks' offsets in [P]
  size_t bias_offset() const { return bias_offset_; }

 private:
  InputLayer layer_;
  int points_, outputs_ = 0, taps_ = 0, kernel_ = 0, side_ = 0;
  size_t weight_offset_ = 0, bias_offset_ = 0;
  std::vector<Scalar> weights_;  // [g*outputs, taps]
  std::vector<Scalar> biases_;   // [g, outputs], empty without a bias
  bool finite_ = true;
  friend class InputLayerChunk;
};

// One thread's work on one chunk of images for a stacked group: forward() computes every
// point's z; after the points' graphs have filled their dz, backward() adds each point's
// weight and bias gradient into its flat gradient. The buffers are kept from chunk to chunk
// (nothing is allocated once the first chunk has sized them).
class InputLayerChunk {
 public:
  explicit InputLayerChunk(const StackedInputLayer& stack) : s_(stack) {}

  // z of every point for images x [n,784]; with_gradient also zeroes each point's dz.
  void forward(const Scalar* x, int n, bool with_gradient);
  // Point p's z ([n,O] or [n,C,S,S]) and its dz, as views into this object's buffers.
  Tensor z(int p) const;
  Tensor dz(int p) const;
  // grad[p] [P] += d(loss share)/dW and /db of point p, from the dz the graphs left.
  void backward(Scalar* const* grad);

 private:
  void dense_forward();
  void convolution_forward();
  void dense_backward(Scalar* const* grad);
  void convolution_backward(Scalar* const* grad);

  const StackedInputLayer& s_;
  const Scalar* x_ = nullptr;  // [n,784] this chunk's images
  int n_ = 0;
  std::shared_ptr<const SparseRows> nonzeros_;  // dense layer: x's nonzeros, when it skips zeros
  std::vector<Scalar> patches_;  // convolution: [k*k, n*S*S] the taps of every output pixel
  std::vector<Scalar> stacked_;  // [n, g*O] (dense) or [g*C, n*S*S] (convolution): the product
  std::vector<Scalar> z_, dz_;   // [g, output_size(n)] each point's z and dz, point-major
  std::vector<Scalar> dw_;       // [g*outputs, taps] the stacked weight gradient
};

}  // namespace landscape
