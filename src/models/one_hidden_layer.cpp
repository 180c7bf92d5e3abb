// One hidden layer of W units, FCP-like (no biases, softplus by default): the networks of growing
// width of Choromanska et al. 2015 (docs/algorithms.md §12.1). They trained on downscaled MNIST
// (10x10 images) so that simulated annealing stays affordable; we shrink the images by `pools` 2x2
// average poolings inside the model: 0 -> 28x28 = 784 inputs, 1 -> 14x14 = 196, 2 -> 7x7 = 49.
// Parameters: W x inputs + 10 x W.
#include <cmath>

#include "autodiff/ops.hpp"
#include "core/error.hpp"
#include "models/model.hpp"

namespace landscape {

namespace {
class OneHiddenLayer : public Model {
 public:
  OneHiddenLayer(int width, int pools, Activation a) : width_(width), pools_(pools), act_(a) {
    side_ = kSide >> pools;
    const int inputs = side_ * side_;
    add_block("fc1.weight", {width, inputs}, 1 / std::sqrt(double(inputs)));
    add_block("fc2.weight", {10, width}, 1 / std::sqrt(double(width)));
  }
  std::string arch() const override {
    return "mlp1-" + std::to_string(width_) + (pools_ ? "-pool" + std::to_string(pools_) : "");
  }
  double forward_flops() const override {
    return 2.0 * (side_ * side_ * width_ + width_ * 10) + 784.0;  // + the poolings' additions
  }

  Var forward(Graph& g, const std::vector<Var>& p, Var x /*[N,784]*/) const override {
    const int N = g.value(x).dim(0);
    Var in = x;
    if (pools_ > 0) {
      Var img = reshape(g, x, {N, 1, kSide, kSide});
      for (int k = 0; k < pools_; ++k) img = avgpool2(g, img);  // [N,1,28/2^k,28/2^k]
      in = reshape(g, img, {N, side_ * side_});                 // [N,inputs]
    }
    Var h = activate(g, act_, linear(g, in, p[0]));  // [N,W]
    return linear(g, h, p[1]);                       // [N,10] logits
  }

 private:
  static constexpr int kSide = 28;
  int width_, pools_, side_ = kSide;
  Activation act_;
};
}  // namespace

std::unique_ptr<Model> make_one_hidden_layer(int width, int pools, Activation a) {
  if (width < 1) throw UsageError("--widths: every width must be at least 1");
  if (pools < 0 || pools > 2) throw UsageError("--pool must be 0, 1 or 2 (28x28, 14x14, 7x7 inputs)");
  return std::make_unique<OneHiddenLayer>(width, pools, a);
}

}  // namespace landscape
