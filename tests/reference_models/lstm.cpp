// LSTM on permuted sequential MNIST (15,456 parameters): each image's 784 pixels are permuted by
// the published permutation, read as T = 28 steps of 28 features, fed to one LSTM layer with
// hidden size 48 and zero initial state; a bias-free linear layer maps the last hidden state to
// the 10 logits (docs/algorithms.md §2.1). PyTorch's cell, gate rows in the order i, f, g, o:
//   gates = x_t W_ih^T + b_ih + h W_hh^T + b_hh             [N,192]
//   i = sigma(gates[:, 0:48])   f = sigma(gates[:, 48:96])
//   g = tanh(gates[:, 96:144])  o = sigma(gates[:, 144:192])
//   c' = f * c + i * g          h' = o * tanh(c')
// The activation flag does not apply: the gates keep their sigmoid and tanh. The whole layer is
// one fused op, lstm_layer (autodiff/lstm_layer.cpp).
#include <cmath>
#include <vector>

#include "autodiff/ops.hpp"
#include "models/lstm_permutation.hpp"
#include "reference_models/reference_models.hpp"

namespace landscape::reference {

namespace {
constexpr int kSteps = 28, kFeatures = 28, kHidden = 48;

class Lstm : public Model {
 public:
  Lstm() {
    const double bound = 1 / std::sqrt(double(kHidden));  // PyTorch: all LSTM parameters
    add_block("lstm.weight_ih_l0", {4 * kHidden, kFeatures}, bound);
    add_block("lstm.weight_hh_l0", {4 * kHidden, kHidden}, bound);
    add_block("lstm.bias_ih_l0", {4 * kHidden}, bound);
    add_block("lstm.bias_hh_l0", {4 * kHidden}, bound);
    add_block("fc.weight", {10, kHidden}, 1 / std::sqrt(double(kHidden)));
  }
  std::string arch() const override { return "lstm"; }
  // ~60 KB of saved gates and states per image: 16 images keep a graph in L2 (1.3x faster
  // than 256, bench/README.md).
  int chunk_images() const override { return 16; }
  double forward_flops() const override {  // input and recurrent products (none at t = 0), fc
    return 2.0 * (kSteps * 4 * kHidden * kFeatures + (kSteps - 1) * 4 * kHidden * kHidden + 10 * kHidden);
  }

  Var forward(Graph& g, const std::vector<Var>& p, Var x /*[N,784]*/) const override {
    Var seq = permute_columns(g, x, lstm_permutation());  // [N,784], step t = columns 28t..28t+27
    Var h = lstm_layer(g, seq, p[0], p[1], p[2], p[3]);   // [N,48] the last hidden state
    return linear(g, h, p[4]);                            // [N,10] logits from the last hidden state
  }
};
}  // namespace

std::unique_ptr<Model> make_lstm(Activation) { return std::make_unique<Lstm>(); }

}  // namespace landscape::reference
