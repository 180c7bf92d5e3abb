#include "models/model.hpp"

#include <cstdio>
#include <set>

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

size_t Model::num_params() const { return num_params_; }

void Model::add_block(std::string name, Shape shape, double init_bound) {
  layout_.push_back(ParamBlock{std::move(name), std::move(shape), num_params_, init_bound});
  num_params_ += layout_.back().size();
}

void Model::place_blocks(const std::vector<size_t>& order) {
  std::vector<bool> seen(layout_.size(), false);
  require(order.size() == layout_.size(), arch() + ": a block order must name every parameter block once");
  size_t offset = 0;
  for (size_t k : order) {
    require(k < layout_.size() && !seen[k], arch() + ": a block order must name every parameter block once");
    seen[k] = true;
    layout_[k].offset = offset;
    offset += layout_[k].size();
  }
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
  // What an import could not say for sure, once per process (a study makes its model often).
  static std::set<std::string> said;
  for (const std::string& note : d.notes)
    if (said.insert(d.file + note).second)
      std::fprintf(stderr, "note: %s: %s\n", d.file.c_str(), note.c_str());
  if (a == Activation::Relu) replace_softplus(d.layers);
  return make_described_model(d);
}

}  // namespace landscape
