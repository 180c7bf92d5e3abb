// LeNet-5 as the published code builds it (61,706 parameters): conv 6@5x5 pad 2, avgpool 2,
// conv 16@5x5, avgpool 2, FC 120, 84, 10, all with biases; the activation comes before each
// pooling (docs/algorithms.md §2.1).
#include <cmath>

#include "autodiff/ops.hpp"
#include "reference_models/reference_models.hpp"

namespace landscape::reference {

namespace {
class LeNet : public Model {
 public:
  explicit LeNet(Activation a) : act_(a) {
    const double conv1 = 1 / std::sqrt(1 * 5 * 5.0), conv2 = 1 / std::sqrt(6 * 5 * 5.0);
    add_block("conv1.weight", {6, 1, 5, 5}, conv1);
    add_block("conv1.bias", {6}, conv1);
    add_block("conv2.weight", {16, 6, 5, 5}, conv2);
    add_block("conv2.bias", {16}, conv2);
    add_block("fc1.weight", {120, 400}, 1 / std::sqrt(400.0));
    add_block("fc1.bias", {120}, 1 / std::sqrt(400.0));
    add_block("fc2.weight", {84, 120}, 1 / std::sqrt(120.0));
    add_block("fc2.bias", {84}, 1 / std::sqrt(120.0));
    add_block("fc3.weight", {10, 84}, 1 / std::sqrt(84.0));
    add_block("fc3.bias", {10}, 1 / std::sqrt(84.0));
  }
  std::string arch() const override { return "lenet"; }
  // 8 images keep a chunk's graph in L2 (about 165 KB per image: values, softplus slopes and
  // gradients); with im2col's patch matrices (80 KB more per image) 256 ran 2.7x slower. With
  // the direct convolution kernels 16 and 32 images ran as fast as 8 (bench/README.md, "LeNet
  // on AVX-512"), so 8 stays, and with it the order of the chunk sums.
  int chunk_images() const override { return 8; }
  double forward_flops() const override {  // conv1, conv2 (per output pixel), fc1-3
    return 2.0 * (6 * 25 * 28 * 28 + 16 * 150 * 10 * 10 + 400 * 120 + 120 * 84 + 84 * 10);
  }

  // No input layer for many-point evaluations: see models/input_layer.hpp.
  Var forward(Graph& g, const std::vector<Var>& p, Var x /*[N,784]*/) const override {
    const int N = g.value(x).dim(0);
    Var img = reshape(g, x, {N, 1, 28, 28});
    Var c1 = avgpool2(g, activate(g, act_, conv2d(g, img, p[0], p[1], 2)));  // [N,6,14,14]
    Var c2 = avgpool2(g, activate(g, act_, conv2d(g, c1, p[2], p[3], 0)));   // [N,16,5,5]
    Var flat = reshape(g, c2, {N, 400});                      // channel-major (c,h,w), as torch.flatten
    Var f1 = activate(g, act_, linear(g, flat, p[4], p[5]));  // [N,120]
    Var f2 = activate(g, act_, linear(g, f1, p[6], p[7]));    // [N,84]
    return linear(g, f2, p[8], p[9]);                         // [N,10] logits
  }

 private:
  Activation act_;
};
}  // namespace

std::unique_ptr<Model> make_lenet(Activation a) { return std::make_unique<LeNet>(a); }

}  // namespace landscape::reference
