#include "models/onnx_translation.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace landscape::onnx_import {

std::vector<Axis> normal_axes(const std::vector<int>& dims) {
  std::vector<Axis> axes{{AxisTag::Batch, -1}};
  for (size_t k = 0; k < dims.size(); ++k) axes.push_back({AxisTag::Feature, dims[k], int(k)});
  return axes;
}

bool is_normal(const std::vector<Axis>& axes) {
  if (axes.empty() || axes[0].tag != AxisTag::Batch) return false;
  for (size_t k = 1; k < axes.size(); ++k)
    if (axes[k].tag != AxisTag::Feature || axes[k].feature != int(k) - 1) return false;
  return true;
}

std::string axes_string(const std::vector<Axis>& axes) {
  std::string s = "[";
  for (const Axis& a : axes) {
    if (s.size() > 1) s += ",";
    switch (a.tag) {
      case AxisTag::Batch: s += "batch"; break;
      case AxisTag::Feature: s += std::to_string(a.size); break;
      case AxisTag::Steps: s += "steps " + std::to_string(a.size); break;
      case AxisTag::Outputs: s += "lstm steps " + std::to_string(a.size); break;
      case AxisTag::Unit: s += "1"; break;
    }
  }
  return s + "]";
}

size_t count(const std::vector<int>& dims) {
  size_t n = 1;
  for (int d : dims) n *= size_t(d);
  return n;
}

int64_t normalized_axis(int64_t axis, size_t rank) { return axis < 0 ? axis + int64_t(rank) : axis; }

Meaning constant_value(OnnxTensor t) {
  Meaning m;
  m.constant = true;
  m.tensor = std::move(t);
  return m;
}

Meaning activation(int value, std::vector<Axis> axes) {
  Meaning m;
  m.value = value;
  m.axes = std::move(axes);
  return m;
}

Translation::Translation(const OnnxGraph& graph) : g(graph), nodes(graph.nodes) {
  for (size_t k = 0; k < nodes.size(); ++k) nodes[k].index = int(k);  // messages count from 0
}

// ---- values ----

void Translation::fail(const OnnxNode& n, const std::string& what) const {
  throw Error(g.file + ": " + n.label() + ": " + what);
}

Meaning& Translation::meaning(const OnnxNode& n, size_t input) {
  if (input >= n.inputs.size() || n.inputs[input].empty()) fail(n, "needs input " + std::to_string(input));
  auto it = values.find(n.inputs[input]);
  if (it == values.end()) fail(n, "reads '" + n.inputs[input] + "', which no earlier node gives");
  if (!it->second.unusable.empty()) fail(n, "reads '" + n.inputs[input] + "', " + it->second.unusable);
  return it->second;
}

bool Translation::has_input(const OnnxNode& n, size_t input) const {
  return input < n.inputs.size() && !n.inputs[input].empty();
}

const OnnxTensor& Translation::constant(const OnnxNode& n, size_t input, const char* what) {
  const Meaning& m = meaning(n, input);
  if (!m.constant)
    fail(n, std::string("needs a constant ") + what + " (input " + std::to_string(input) + ")");
  return m.tensor;
}

std::vector<int64_t> Translation::constant_ints(const OnnxNode& n, size_t input, const char* what) {
  std::vector<int64_t> out;
  for (double v : constant(n, input, what).values) out.push_back(whole(n, v, what));
  return out;
}

// An integer read from a constant (shapes, indices, axes): finite and of a sane size; the
// int64 extremes ONNX uses for "to the end" are clamped to +-2^62.
int64_t Translation::whole(const OnnxNode& n, double v, const char* what) const {
  if (!std::isfinite(v)) fail(n, std::string(what) + " holds a value that is not a finite integer");
  return int64_t(std::clamp(v, -0x1p62, 0x1p62));
}

// A layer's size (features, channels, kernel, hidden units): 1 .. 2^24, as a description's.
int Translation::layer_size(const OnnxNode& n, int64_t v, const char* what) const {
  if (v < 1 || v > kMaxSize)
    fail(n, std::string(what) + " " + std::to_string(v) + " is out of range (1.." + std::to_string(kMaxSize) +
                ")");
  return int(v);
}

void Translation::define(const OnnxNode& n, size_t output, Meaning m) {
  if (output < n.outputs.size() && !n.outputs[output].empty()) values[n.outputs[output]] = std::move(m);
}

void Translation::define_constant(const OnnxNode& n, OnnxTensor t) {
  define(n, 0, constant_value(std::move(t)));
}

const std::vector<int>& Translation::dims_of(int value) const {
  return value == 0 ? input_dims : steps[value - 1].dims;
}

// ---- steps ----

int Translation::add_step(const OnnxNode& n, LayerSpec layer, std::vector<int> inputs, std::vector<int> dims,
                          Blocks blocks) {
  if (layer.type == LayerType::Linear || layer.type == LayerType::Conv2d || layer.type == LayerType::Lstm) {
    layer.name = unique_name(n);
    for (auto& [suffix, block] : blocks) suffix = layer.name + "." + suffix;
  }
  steps.push_back({std::move(layer), std::move(inputs), std::move(dims), std::move(blocks)});
  return int(steps.size());
}

// PyTorch's module path: from the weight's initializer ("3.body.0.weight" -> "3.body.0"),
// else from the node's scope ("/lstm/LSTM" -> "lstm"), else the step's number.
std::string Translation::unique_name(const OnnxNode& n) {
  std::string name;
  if (n.inputs.size() > 1) {
    const std::string& w = n.inputs[1];
    if (w.size() > 7 && w.compare(w.size() - 7, 7, ".weight") == 0) name = w.substr(0, w.size() - 7);
  }
  if (name.empty() && n.name.size() > 1 && n.name[0] == '/') {
    std::vector<std::string> parts;
    for (size_t at = 1, slash; (slash = n.name.find('/', at)) != std::string::npos; at = slash + 1) {
      const std::string part = n.name.substr(at, slash - at);
      // torch names a child scope "body.0" under "body": keep the longer one
      if (!parts.empty() && part.compare(0, parts.back().size() + 1, parts.back() + ".") == 0)
        parts.pop_back();
      parts.push_back(part);
    }
    for (const std::string& p : parts) name += (name.empty() ? "" : ".") + p;
  }
  if (name.empty()) name = "layer" + std::to_string(steps.size());
  std::string unique = name;
  for (int k = 1; names.count(unique); ++k) unique = name + "_" + std::to_string(k);
  names.insert(unique);
  return unique;
}

// The activation as one translated value in its plain layout: a pending point-wise function
// becomes its layer (once: the meaning is updated in place).
int Translation::materialize(const OnnxNode& n, Meaning& m) {
  if (!m.unusable.empty()) fail(n, m.unusable);
  if (m.log_softmax)
    fail(n, "reads a LogSoftmax; only the graph's output may be one (the loss takes logits)");
  if (!is_identity(m.pointwise)) {
    const auto layer = identify_pointwise(*m.pointwise);
    if (!layer) {
      const std::string known = name_unsupported_activation(*m.pointwise);
      fail(n, "the element-wise ops before it compute " +
                  (known.empty() ? "no activation" : known + ", not an activation") +
                  " a description names (relu, leaky_relu, sigmoid, tanh, softplus, gelu)");
    }
    if (*layer) m.value = add_step(n, **layer, {m.value}, dims_of(m.value));
    m.pointwise = nullptr;
  }
  return m.value;
}

// An activation read as [batch, features...]: the value, its example shape.
int Translation::plain_input(const OnnxNode& n, size_t input, const char* needs) {
  Meaning& m = meaning(n, input);
  if (m.constant)
    fail(n, std::string("needs an activation as input ") + std::to_string(input) + ", gets a constant");
  if (!is_normal(m.axes))
    fail(n, std::string("needs ") + needs + " [batch, ...], gets " + axes_string(m.axes) +
                (std::any_of(m.axes.begin(), m.axes.end(),
                             [](const Axis& a) { return a.tag == AxisTag::Outputs; })
                     ? " (take the last step: out[:, -1])"
                     : ""));
  if (m.pad && n.op != "Conv" && n.op != "AveragePool")
    fail(n, "reads a Pad; only a Conv or AveragePool may");
  return materialize(n, m);
}

}  // namespace landscape::onnx_import
