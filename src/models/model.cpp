#include "models/model.hpp"

#include "autodiff/ops.hpp"
#include "core/error.hpp"
#include "models/described_model.hpp"
#include "models/model_description.hpp"

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

void check_data_fits(const Dataset& data, const Model& model, const std::string& what) {
  check_data_fits(data, model.input_size(), model.is_classifier(), model.classes(), what);
}

Tensor Model::group_activations(const Scalar*, const Tensor&, size_t) const {
  throw Error(arch() + ": the model names no permutation groups to take activations of");
}

Var Model::forward_from_input_layer(Graph&, const std::vector<Var>&, Var) const {
  throw Error(arch() + ": the model names no input layer to start its forward pass from");
}

namespace {
// --activation relu: the text's variant of the study's models (§2.2), every softplus layer of
// PyTorch's default form becomes a ReLU; the LSTM's gates keep their sigmoid and tanh.
void replace_softplus(std::vector<LayerSpec>& layers) {
  for (LayerSpec& l : layers) {
    if (l.type == LayerType::Softplus && l.beta == 1 && l.threshold == 20) l.type = LayerType::Relu;
    replace_softplus(l.body);
  }
}
}  // namespace

std::unique_ptr<Model> make_model(const std::string& arch, Activation a) {
  ModelDescription d = read_model_description(model_description_path(arch));
  if (a == Activation::Relu) replace_softplus(d.layers);
  return make_described_model(d);
}

}  // namespace landscape
