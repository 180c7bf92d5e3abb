#include "models/model.hpp"

#include "autodiff/ops.hpp"
#include "core/error.hpp"

namespace landscape {

Activation parse_activation(const std::string& name) {
  return parse_enum(kActivationNames, name, "activation");
}

Var activate(Graph& g, Activation a, Var x) {
  return a == Activation::Softplus ? softplus(g, x) : relu(g, x);
}

size_t Model::num_params() const {
  return layout_.empty() ? 0 : layout_.back().offset + layout_.back().size();
}

void Model::add_block(std::string name, Shape shape, double init_bound) {
  layout_.push_back(ParamBlock{std::move(name), std::move(shape), num_params(), init_bound});
}

Var Model::loss(Graph& g, Var output, Var x, std::vector<int> labels) const {
  if (is_classifier()) return cross_entropy(g, output, std::move(labels));
  return mse(g, output, x);
}

Var Model::forward_from_input_layer(Graph&, const std::vector<Var>&, Var) const {
  throw Error(arch() + ": the model names no input layer to start its forward pass from");
}

std::unique_ptr<Model> make_model(const std::string& arch, Activation a) {
  if (arch == "fcp") return make_fcp(a);
  if (arch == "lenet") return make_lenet(a);
  if (arch == "lstm") return make_lstm(a);
  if (arch == "ae") return make_autoencoder(a);
  throw UsageError("--arch must be one of fcp, lenet, lstm, ae; got '" + arch + "'");
}

}  // namespace landscape
