// FCP: fully connected perceptron 784-50-50-10 without biases (42,200 parameters),
// activation after the two hidden layers (docs/algorithms.md §2.1).
#include <cmath>

#include "autodiff/ops.hpp"
#include "reference_models/reference_models.hpp"

namespace landscape::reference {

namespace {
class Fcp : public Model {
 public:
  explicit Fcp(Activation a) : act_(a) {
    add_block("fc1.weight", {50, 784}, 1 / std::sqrt(784.0));
    add_block("fc2.weight", {50, 50}, 1 / std::sqrt(50.0));
    add_block("fc3.weight", {10, 50}, 1 / std::sqrt(50.0));
  }
  std::string arch() const override { return "fcp"; }
  double forward_flops() const override { return 2.0 * (784 * 50 + 50 * 50 + 50 * 10); }

  Var forward(Graph& g, const std::vector<Var>& p, Var x /*[N,784]*/) const override {
    return forward_from_input_layer(g, p, linear(g, x, p[0]));
  }
  InputLayer input_layer() const override { return {InputLayer::Kind::Dense, 0}; }
  Var forward_from_input_layer(Graph& g, const std::vector<Var>& p, Var z1 /*[N,50]*/) const override {
    Var h1 = activate(g, act_, z1);
    Var h2 = activate(g, act_, linear(g, h1, p[1]));  // [N,50]
    return linear(g, h2, p[2]);                       // [N,10] logits
  }

 private:
  Activation act_;
};
}  // namespace

std::unique_ptr<Model> make_fcp(Activation a) { return std::make_unique<Fcp>(a); }

}  // namespace landscape::reference
