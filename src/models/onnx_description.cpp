#include "models/onnx_description.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/tensor.hpp"
#include "models/described_model.hpp"

namespace landscape::onnx_import {

namespace {

int fork(const Translation& t, int a, int b);

// The value `v` dominates through: a layer's input, or a join's fork.
int parent(const Translation& t, int v) {
  const Step& s = t.steps[v - 1];
  return s.inputs.size() == 1 ? s.inputs[0] : fork(t, s.inputs[0], s.inputs[1]);
}

// The nearest value that dominates both a and b.
int fork(const Translation& t, int a, int b) {
  std::set<int> above_a;
  for (int v = a;; v = parent(t, v)) {
    above_a.insert(v);
    if (v == 0) break;
  }
  for (int v = b;; v = parent(t, v)) {
    if (above_a.count(v)) return v;
    if (v == 0) break;
  }
  return 0;
}

// A residual block's module path: the longest one all its layers' names are under.
std::string common_prefix(const LayerSpec& r) {
  std::vector<std::string> names;
  std::function<void(const std::vector<LayerSpec>&)> collect = [&](const std::vector<LayerSpec>& ls) {
    for (const LayerSpec& l : ls) {
      if (!l.name.empty() && l.type != LayerType::Residual) names.push_back(l.name);
      collect(l.body);
      collect(l.projection);
    }
  };
  collect(r.body);
  collect(r.projection);
  if (names.empty()) return "";
  std::string p = names[0];
  for (const std::string& s : names) {
    size_t k = 0;
    while (k < p.size() && k < s.size() && p[k] == s[k]) ++k;
    p.resize(k);
  }
  for (const std::string& s : names)  // cut back to a whole path segment of every name
    while (!p.empty() && !(s.size() > p.size() && s[p.size()] == '.')) {
      const size_t dot = p.rfind('.');
      p.resize(dot == std::string::npos ? 0 : dot);
    }
  return p;
}

std::vector<LayerSpec> layers_between(const Translation& t, int from, int to);

// The join `s` as a residual block: the body one branch from its fork, the skip the other,
// which must be the identity or a single linear or conv layer.
LayerSpec residual_block(const Translation& t, const Step& s, int fork_value) {
  std::vector<LayerSpec> a = layers_between(t, fork_value, s.inputs[0]),
                         b = layers_between(t, fork_value, s.inputs[1]);
  auto projection = [](const std::vector<LayerSpec>& l) {
    return l.empty() || (l.size() == 1 && (l[0].type == LayerType::Linear || l[0].type == LayerType::Conv2d));
  };
  if (!projection(b) && projection(a))
    std::swap(a, b);  // the body is the first operand unless only it can be the skip
  if (!projection(b))
    throw Error(t.g.file +
                ": an Add joins two branches of several layers; a residual block needs one of them to be "
                "the identity or a single linear or conv layer");
  LayerSpec r = s.layer;
  r.body = a;
  r.projection = b;
  r.name = common_prefix(r);
  return r;
}

// The layers that take value `from` to value `to`, joins nested as residual blocks.
std::vector<LayerSpec> layers_between(const Translation& t, int from, int to) {
  std::vector<LayerSpec> out;
  for (int v = to; v != from;) {
    if (v == 0)
      throw Error(t.g.file + ": a branch of the graph does not start where its join's other branch does");
    const Step& s = t.steps[v - 1];
    if (s.inputs.size() == 1) {
      out.push_back(s.layer);
      v = s.inputs[0];
      continue;
    }
    const int f = fork(t, s.inputs[0], s.inputs[1]);
    out.push_back(residual_block(t, s, f));
    v = f;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// The flat vector in PyTorch's registration order (parameters_to_vector), not the order the
// layers run in: torch.onnx.export writes the initializers in state_dict order, under the
// parameters' names (docs/algorithms.md §2.9). A block whose values the exporter computed (an
// LSTM's gates, a bias-free Linear's transposed weight) carries a generated name and no
// position: when the named ones are in run order, the run order is taken for all, with a
// note; when they are not, the order is not known and the import is refused.
void order_as_registered(const Translation& t, ModelDescription& d) {
  if (t.g.initializer_order.empty()) return;  // a graph built by hand: no order to read
  std::map<std::string, size_t> rank;
  for (size_t k = 0; k < t.g.initializer_order.size(); ++k) rank[t.g.initializer_order[k]] = k;
  const auto run_order = make_described_model(d)->layout();
  std::vector<std::string> named, unnamed;
  for (const ParamBlock& b : run_order) (rank.count(b.name) ? named : unnamed).push_back(b.name);
  std::vector<std::string> registered = named;
  std::stable_sort(registered.begin(), registered.end(),
                   [&](const std::string& a, const std::string& b) { return rank.at(a) < rank.at(b); });
  if (unnamed.empty()) {
    if (registered != named) d.parameter_order = registered;
    return;
  }
  const std::string generated = join_names(unnamed);
  if (registered != named)
    throw Error(
        t.g.file + ": the module registers its parameters in another order (" + join_names(registered) +
        ") than its layers run (" + join_names(named) + "), and the exporter gave " + generated +
        " generated names, so where they stand in parameters_to_vector is not known. Register the "
        "layers in __init__ in the order forward() runs them, or write the model as a description (.json) "
        "with a \"parameter_order\" list (docs/algorithms.md §2.9)");
  d.notes.push_back(
      "the exporter computed " + generated +
      " under generated names, so their place in "
      "parameters_to_vector cannot be read from the file: they are taken where the layers run. "
      "If the module registers its layers in __init__ in another order than forward() runs them, "
      "vectors from parameters_to_vector do not fit: register them in run order (for a bias-free "
      "Linear, export with do_constant_folding=False, which keeps the names)");
}

// torch.onnx.export of a model in eval mode folds a BatchNorm into the conv before it: the conv
// then has a bias, and both its weight and bias carry generated names.
void find_folded_batchnorm(const Translation& t, ModelDescription& d) {
  if (t.g.initializer_order.empty()) return;
  for (const Step& s : t.steps)
    if (s.layer.type == LayerType::Conv2d && s.layer.bias && !s.blocks.empty() &&
        !t.g.initializers.count(s.blocks.front().first)) {
      d.folded_batchnorm.push_back({s.layer.name, s.layer.out});
      d.notes.push_back("conv '" + s.layer.name +
                        "' has weights under generated names and a bias: most likely a " +
                        "BatchNorm the exporter folded into it (eval mode), so PyTorch's parameters have " +
                        std::to_string(s.layer.out) + " or " + std::to_string(2 * s.layer.out) +
                        " more values than this import");
    }
}

// The initializers' values at their blocks' offsets.
std::vector<double> weights(const Translation& t, const ModelDescription& d) {
  std::map<std::string, const std::vector<double>*> by_name;
  for (const Step& s : t.steps)
    for (const auto& [name, values] : s.blocks) by_name[name] = &values;
  const auto model = make_described_model(d);
  std::vector<double> w(model->num_params());
  for (const ParamBlock& b : model->layout()) {
    auto it = by_name.find(b.name);
    if (it == by_name.end() || it->second->size() != b.size())
      throw Error(t.g.file + ": the weights of '" + b.name + "' (" + shape_string(b.shape) +
                  ") are not in the graph");
    std::copy(it->second->begin(), it->second->end(), w.begin() + std::ptrdiff_t(b.offset));
  }
  return w;
}

// The model's name: the file's, without its folder and ".onnx".
std::string model_name(const std::string& file) {
  const size_t slash = file.find_last_of('/');
  std::string name = file.substr(slash == std::string::npos ? 0 : slash + 1);
  if (name.size() > 5 && name.compare(name.size() - 5, 5, ".onnx") == 0) name.resize(name.size() - 5);
  return name;
}

}  // namespace

ModelDescription describe(Translation& t) {
  const OnnxValueInfo& out = t.g.outputs[0];
  auto it = t.values.find(out.name);
  if (it == t.values.end()) throw Error(t.g.file + ": no node gives the graph's output '" + out.name + "'");
  Meaning& m = it->second;
  if (m.constant) throw Error(t.g.file + ": the graph's output is a constant");
  if (!is_normal(m.axes))
    throw Error(t.g.file + ": the graph's output is " + axes_string(m.axes) + ", not [batch, ...]");
  const bool log_softmax = m.log_softmax;
  m.log_softmax = false;
  OnnxNode end;  // a pending activation becomes its layer, named for the output in messages
  end.op = "output";
  end.name = out.name;
  end.index = int(t.g.nodes.size());
  const int v = t.materialize(end, m);
  ModelDescription d;
  d.file = t.g.file;
  d.name = model_name(t.g.file);
  d.input = t.input_dims;
  // An output the size of the input is an autoencoder's reconstruction; else logits (a final
  // LogSoftmax changes no cross-entropy: log_softmax(log_softmax(z)) = log_softmax(z)).
  d.loss = count(t.dims_of(v)) == count(t.input_dims) && !log_softmax ? LossKind::MseInput
                                                                      : LossKind::CrossEntropy;
  d.layers = layers_between(t, 0, v);
  if (d.layers.empty()) throw Error(t.g.file + ": the graph computes nothing from its input");
  d.notes = t.notes;
  find_folded_batchnorm(t, d);
  order_as_registered(t, d);
  d.weights = weights(t, d);
  return d;
}

}  // namespace landscape::onnx_import
