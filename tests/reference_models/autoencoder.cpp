// Autoencoder 784-32-32 | 32-32-784 without biases (52,224 parameters): activation after the
// first three layers, sigmoid on the reconstruction, MSE against the input
// (docs/algorithms.md §2.1).
#include <cmath>

#include "autodiff/ops.hpp"
#include "reference_models/reference_models.hpp"

namespace landscape::reference {

namespace {
class Autoencoder : public Model {
 public:
  explicit Autoencoder(Activation a) : act_(a) {
    add_block("encoder.0.weight", {32, 784}, 1 / std::sqrt(784.0));
    add_block("encoder.2.weight", {32, 32}, 1 / std::sqrt(32.0));
    add_block("decoder.0.weight", {32, 32}, 1 / std::sqrt(32.0));
    add_block("decoder.2.weight", {784, 32}, 1 / std::sqrt(32.0));
  }
  std::string arch() const override { return "ae"; }
  bool is_classifier() const override { return false; }
  double forward_flops() const override { return 2.0 * (784 * 32 + 32 * 32 + 32 * 32 + 32 * 784); }

  Var forward(Graph& g, const std::vector<Var>& p, Var x /*[N,784]*/) const override {
    return forward_from_input_layer(g, p, linear(g, x, p[0]));
  }
  InputLayer input_layer() const override { return {InputLayer::Kind::Dense, 0}; }
  Var forward_from_input_layer(Graph& g, const std::vector<Var>& p, Var z1 /*[N,32]*/) const override {
    Var e1 = activate(g, act_, z1);
    Var code = activate(g, act_, linear(g, e1, p[1]));  // [N,32]
    Var d1 = activate(g, act_, linear(g, code, p[2]));  // [N,32]
    return sigmoid(g, linear(g, d1, p[3]));             // [N,784] reconstruction
  }

 private:
  Activation act_;
};
}  // namespace

std::unique_ptr<Model> make_autoencoder(Activation a) { return std::make_unique<Autoencoder>(a); }

}  // namespace landscape::reference
