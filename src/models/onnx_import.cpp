// The translation of an ONNX graph into a model description (docs/algorithms.md §2.9).
//
// The nodes are read in their order (ONNX files are topologically sorted) and every value gets
// a meaning: a constant (initializers, Constant nodes, and what shape arithmetic computes from
// them), or an activation: one of the translated values (the model's input, or the output of a
// translated layer), seen through the layout ONNX holds it in (the batch axis, feature axes,
// and the time and direction axes around an LSTM), perhaps with a point-wise function of it not
// yet made a layer (onnx_pointwise.hpp) or zero padding waiting for the next convolution.
// Ops that only move axes or compute shapes (the glue torch.onnx.export writes around a
// reshape or an LSTM) change the meaning and add no layer; a Gemm, Conv, pooling, Flatten or
// LSTM adds one step; an Add of two different activations adds a join. At the end the steps,
// a graph in which every join closes a fork, become the nested list of a description: a join
// is a residual block whose body is one branch and whose skip is the identity or the other
// branch's single linear or conv layer.
#include "models/onnx_import.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "core/error.hpp"
#include "models/described_model.hpp"
#include "models/onnx_pointwise.hpp"

namespace landscape {

namespace {

// In a shape computed by the graph (the output of Shape and what is built from it): the batch,
// unknown until the model runs. NaN survives Gather, Concat and Unsqueeze, as the batch does.
const double kBatch = std::numeric_limits<double>::quiet_NaN();

enum class AxisTag {
  Batch,    // the examples
  Feature,  // one axis of an example's shape, `feature` its position there
  Steps,    // an LSTM's input steps (a flat input seen as [T, I])
  Outputs,  // an LSTM's hidden state at every step; only the last one is a description's output
  Unit,     // an axis of size 1 (ONNX's LSTM direction axis, an Unsqueeze, the last step kept)
};

struct Axis {
  AxisTag tag;
  int64_t size;  // -1 for the batch
  int feature = -1;
};

// What an ONNX value is to the translation.
struct Meaning {
  bool constant = false;
  OnnxTensor tensor;         // a constant's value (a uniform fill: one value, a -1 in dims)
  int value = 0;             // an activation: translated value (0 the input, k the output of step k - 1)
  std::vector<Axis> axes;    // ... in this layout
  Pointwise pointwise;       // ... under this point-wise function (null: none)
  int pad = 0;               // ... zero-padded by a Pad on every side of H and W
  bool log_softmax = false;  // ... under a log-softmax over the classes (only the output may be)
  std::string unusable;      // why this value cannot be used (an LSTM's cell state)
};

struct Step {
  LayerSpec layer;
  std::vector<int> inputs;  // translated values it reads: one, or two for a join (Add)
  std::vector<int> dims;    // per example, after it
  std::vector<std::pair<std::string, std::vector<double>>> blocks;  // "fc1.weight" -> values
};

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

OnnxTensor scalar_tensor(double v, bool integer) { return OnnxTensor{{}, {v}, integer}; }

constexpr int64_t kMaxSize = int64_t(1) << 24;  // a description's largest size (model_description.cpp)

// The block of PyTorch's gates (i, f, g, o) that ONNX (i, o, f, c) holds at position k.
constexpr int kOnnxGateOf[4] = {0, 2, 3, 1};

class Translator {
 public:
  explicit Translator(const OnnxGraph& g) : g_(g), nodes_(g.nodes) {
    for (size_t k = 0; k < nodes_.size(); ++k) nodes_[k].index = int(k);  // messages count from 0
  }

  ModelDescription run() {
    if (g_.inputs.size() != 1)
      throw Error(g_.file + ": the graph has " + std::to_string(g_.inputs.size()) +
                  " inputs; a model reads one batch");
    if (g_.outputs.size() != 1)
      throw Error(g_.file + ": the graph has " + std::to_string(g_.outputs.size()) +
                  " outputs; a model gives one");
    declare_input(g_.inputs[0]);
    for (const auto& [name, t] : g_.initializers) {
      Meaning m;
      m.constant = true;
      m.tensor = t;
      values_[name] = m;
    }
    for (const OnnxNode& n : nodes_) translate(n);
    return describe();
  }

 private:
  // ---- values ----

  [[noreturn]] void fail(const OnnxNode& n, const std::string& what) const {
    throw Error(g_.file + ": " + n.label() + ": " + what);
  }

  Meaning& meaning(const OnnxNode& n, size_t input) {
    if (input >= n.inputs.size() || n.inputs[input].empty()) fail(n, "needs input " + std::to_string(input));
    auto it = values_.find(n.inputs[input]);
    if (it == values_.end()) fail(n, "reads '" + n.inputs[input] + "', which no earlier node gives");
    if (!it->second.unusable.empty()) fail(n, "reads '" + n.inputs[input] + "', " + it->second.unusable);
    return it->second;
  }
  bool has_input(const OnnxNode& n, size_t input) const {
    return input < n.inputs.size() && !n.inputs[input].empty();
  }

  const OnnxTensor& constant(const OnnxNode& n, size_t input, const char* what) {
    const Meaning& m = meaning(n, input);
    if (!m.constant)
      fail(n, std::string("needs a constant ") + what + " (input " + std::to_string(input) + ")");
    return m.tensor;
  }
  std::vector<int64_t> constant_ints(const OnnxNode& n, size_t input, const char* what) {
    std::vector<int64_t> out;
    for (double v : constant(n, input, what).values) out.push_back(whole(n, v, what));
    return out;
  }

  // An integer read from a constant (shapes, indices, axes): finite and of a sane size; the
  // int64 extremes ONNX uses for "to the end" are clamped to +-2^62.
  int64_t whole(const OnnxNode& n, double v, const char* what) const {
    if (!std::isfinite(v)) fail(n, std::string(what) + " holds a value that is not a finite integer");
    return int64_t(std::clamp(v, -0x1p62, 0x1p62));
  }
  // A layer's size (features, channels, kernel, hidden units): 1 .. 2^24, as a description's.
  int layer_size(const OnnxNode& n, int64_t v, const char* what) const {
    if (v < 1 || v > kMaxSize)
      fail(n, std::string(what) + " " + std::to_string(v) + " is out of range (1.." +
                  std::to_string(kMaxSize) + ")");
    return int(v);
  }
  // Axes given as an attribute (older opsets) or as the second input (opset 13 on).
  std::vector<int64_t> axes_argument(const OnnxNode& n, size_t input) {
    if (n.has("axes")) return n.ints_attribute("axes");
    return has_input(n, input) ? constant_ints(n, input, "axes") : std::vector<int64_t>{};
  }

  void define(const OnnxNode& n, size_t output, Meaning m) {
    if (output < n.outputs.size() && !n.outputs[output].empty()) values_[n.outputs[output]] = std::move(m);
  }
  void define_constant(const OnnxNode& n, OnnxTensor t) {
    Meaning m;
    m.constant = true;
    m.tensor = std::move(t);
    define(n, 0, std::move(m));
  }
  Meaning activation(int value, std::vector<Axis> axes) {
    Meaning m;
    m.value = value;
    m.axes = std::move(axes);
    return m;
  }

  const std::vector<int>& dims_of(int value) const {
    return value == 0 ? input_dims_ : steps_[value - 1].dims;
  }

  void declare_input(const OnnxValueInfo& in) {
    const std::string where = g_.file + ": graph input '" + in.name + "'";
    if (in.dims.size() < 2)
      throw Error(where + ": needs a batch axis and an example's shape, got rank " +
                  std::to_string(in.dims.size()));
    int64_t values = 1;
    for (size_t k = 1; k < in.dims.size(); ++k) {
      if (in.dims[k] < 1)
        throw Error(where + ": axis " + std::to_string(k) + " has no fixed size; only the batch may vary");
      if (in.dims[k] > kMaxSize || (values *= in.dims[k]) > kMaxSize)
        throw Error(where + ": an example of over " + std::to_string(kMaxSize) + " values is not supported");
    }
    declared_batch_ = in.dims[0];
    Meaning m;
    if (in.dims.size() == 2 || in.dims.size() == 4) {
      input_dims_.assign(in.dims.begin() + 1, in.dims.end());
      m = activation(0, normal_axes(input_dims_));
    } else if (in.dims.size() == 3) {  // sequences [batch, T, I]: the flat input an lstm layer reads
      input_dims_ = {int(in.dims[1] * in.dims[2])};
      m = activation(0,
                     {{AxisTag::Batch, -1}, {AxisTag::Steps, in.dims[1]}, {AxisTag::Feature, in.dims[2], 0}});
    } else {
      throw Error(where + ": an example must be [D], [T,I] or [C,H,W]; the input has rank " +
                  std::to_string(in.dims.size()));
    }
    values_[in.name] = m;
  }

  // A Dropout exported in train mode (its training_mode input true) drops values at random in
  // PyTorch; here, as in every evaluation of a model, it is the identity.
  void note_train_mode_dropout(const OnnxNode& n) {
    if (!has_input(n, 2)) return;
    const Meaning& mode = meaning(n, 2);
    if (!mode.constant || mode.tensor.values.empty() || mode.tensor.values[0] == 0) return;
    notes_.push_back(n.label() +
                     " is a Dropout exported in train mode; it is read as the identity (eval mode), "
                     "as every evaluation here takes it");
  }

  // ---- steps ----

  int add_step(const OnnxNode& n, LayerSpec layer, std::vector<int> inputs, std::vector<int> dims,
               std::vector<std::pair<std::string, std::vector<double>>> blocks = {}) {
    if (layer.type == LayerType::Linear || layer.type == LayerType::Conv2d || layer.type == LayerType::Lstm) {
      layer.name = unique_name(n);
      for (auto& [suffix, values] : blocks) suffix = layer.name + "." + suffix;
    }
    steps_.push_back({std::move(layer), std::move(inputs), std::move(dims), std::move(blocks)});
    return int(steps_.size());
  }

  // PyTorch's module path: from the weight's initializer ("3.body.0.weight" -> "3.body.0"),
  // else from the node's scope ("/lstm/LSTM" -> "lstm"), else the step's number.
  std::string unique_name(const OnnxNode& n) {
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
    if (name.empty()) name = "layer" + std::to_string(steps_.size());
    std::string unique = name;
    for (int k = 1; names_.count(unique); ++k) unique = name + "_" + std::to_string(k);
    names_.insert(unique);
    return unique;
  }

  // The activation as one translated value in its plain layout: a pending point-wise function
  // becomes its layer (once: the meaning is updated in place).
  int materialize(const OnnxNode& n, Meaning& m) {
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
  int plain_input(const OnnxNode& n, size_t input, const char* needs) {
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

  // ---- ops ----

  void translate(const OnnxNode& n) {
    const std::string& op = n.op;
    if (op == "Constant") return define_constant(n, constant_node(n));
    if (is_unary_pointwise_op(op) || is_binary_pointwise_op(op)) return pointwise(n);
    if (op == "Gemm" || op == "MatMul") return linear(n);
    if (op == "Conv") return conv(n);
    if (op == "MaxPool" || op == "AveragePool") return pool(n);
    if (op == "Pad") return pad(n);
    if (op == "Flatten") return flatten(n);
    if (op == "Reshape") return reshape(n);
    if (op == "LSTM") return lstm(n);
    if (op == "LogSoftmax") return log_softmax(n);
    if (op == "Shape") return shape(n);
    if (op == "Gather") return gather(n);
    if (op == "Slice") return slice(n);
    if (op == "Squeeze" || op == "Unsqueeze") return squeeze(n, op == "Unsqueeze");
    if (op == "Transpose") return transpose(n);
    if (op == "Concat") return concat(n);
    if (op == "ConstantOfShape") return constant_of_shape(n);
    if (op == "Cast") return cast(n);
    fail(n, "op '" + op + "' is not supported; supported: " + onnx_supported_ops());
  }

  OnnxTensor constant_node(const OnnxNode& n) {
    if (n.has("value")) return n.attributes.at("value").t;
    if (n.has("value_float")) return scalar_tensor(n.float_attribute("value_float", 0), false);
    if (n.has("value_int")) return scalar_tensor(double(n.int_attribute("value_int", 0)), true);
    if (n.has("value_floats")) {
      const auto& f = n.attributes.at("value_floats").floats;
      return OnnxTensor{{int64_t(f.size())}, f, false};
    }
    if (n.has("value_ints")) {
      const auto& i = n.ints_attribute("value_ints");
      return OnnxTensor{{int64_t(i.size())}, std::vector<double>(i.begin(), i.end()), true};
    }
    fail(n, "a Constant needs a value, value_float(s) or value_int(s)");
  }

  void pointwise(const OnnxNode& n) {
    if (n.op == "Dropout") note_train_mode_dropout(n);
    if (is_unary_pointwise_op(n.op)) {
      Meaning& x = meaning(n, 0);
      if (x.constant) {
        OnnxTensor t = x.tensor;
        const Pointwise e =
            pointwise_op(n.op, {pointwise_input()}, n.float_attribute("alpha", n.op == "Elu" ? 1 : 0.01));
        for (double& v : t.values) v = evaluate_pointwise(*e, v);
        return define_constant(n, t);
      }
      Meaning y = pointwise_operand(n, 0);
      double alpha = n.op == "LeakyRelu" ? n.float_attribute("alpha", 0.01)
                     : n.op == "Elu"     ? n.float_attribute("alpha", 1)
                                         : 0;
      if (n.op == "Gelu") alpha = n.string_attribute("approximate", "none") == "tanh";
      y.pointwise = pointwise_op(n.op, {y.pointwise ? y.pointwise : pointwise_input()}, alpha);
      return define(n, 0, checked_run(n, y));
    }
    Meaning& a = meaning(n, 0);
    Meaning& b = meaning(n, 1);
    if (a.constant && b.constant) return define_constant(n, fold_binary(n, a.tensor, b.tensor));
    if (a.constant || b.constant) return activation_and_constant(n, a.constant ? 1 : 0);
    if (a.value == b.value) {  // two functions of one activation: x * erf(x / c), x * x, ...
      Meaning y = pointwise_operand(n, 0);
      const Meaning z = pointwise_operand(n, 1);
      y.pointwise = pointwise_op(n.op, {y.pointwise ? y.pointwise : pointwise_input(),
                                        z.pointwise ? z.pointwise : pointwise_input()});
      return define(n, 0, checked_run(n, y));
    }
    if (n.op != "Add")
      fail(n,
           "combines two different activations with " + n.op + "; only Add (a residual join) is supported");
    const int left = plain_input(n, 0, "an activation"), right = plain_input(n, 1, "an activation");
    if (dims_of(left) != dims_of(right))
      fail(n, "adds activations of shapes " +
                  shape_string(Shape(dims_of(left).begin(), dims_of(left).end())) + " and " +
                  shape_string(Shape(dims_of(right).begin(), dims_of(right).end())));
    LayerSpec join;
    join.type = LayerType::Residual;
    const int v = add_step(n, join, {left, right}, dims_of(left));
    define(n, 0, activation(v, normal_axes(dims_of(v))));
  }

  Meaning checked_run(const OnnxNode& n, Meaning m) const {
    if (m.pointwise->size > kMaxPointwiseSize)
      fail(n, "a run of element-wise ops too long to be an activation");
    return m;
  }

  Meaning pointwise_operand(const OnnxNode& n, size_t input) {
    Meaning m = meaning(n, input);
    if (!is_normal(m.axes)) fail(n, "an element-wise op on " + axes_string(m.axes) + " is not supported");
    if (m.pad || m.log_softmax) fail(n, "an element-wise op after a Pad or LogSoftmax is not supported");
    return m;
  }

  void activation_and_constant(const OnnxNode& n, size_t act) {
    const OnnxTensor& c = meaning(n, 1 - act).tensor;
    if (c.values.size() == 1) {  // a scalar: part of a point-wise function
      Meaning y = pointwise_operand(n, act);
      Pointwise x = y.pointwise ? y.pointwise : pointwise_input(), k = pointwise_constant(c.values[0]);
      y.pointwise = act == 0 ? pointwise_op(n.op, {x, k}) : pointwise_op(n.op, {k, x});
      return define(n, 0, checked_run(n, y));
    }
    // A vector: the bias of the linear layer a MatMul just added (or of a bias-free conv)
    Meaning y = meaning(n, act);
    if (n.op != "Add" || !is_identity(y.pointwise) || y.value == 0 || !is_normal(y.axes))
      fail(n, n.op + " of an activation and a constant of " + std::to_string(c.values.size()) +
                  " values is not supported (only a bias after MatMul or Conv)");
    Step& s = steps_[y.value - 1];
    const bool biasable =
        (s.layer.type == LayerType::Linear || s.layer.type == LayerType::Conv2d) && !s.layer.bias;
    const size_t out = size_t(s.layer.out);
    if (!biasable || c.values.size() != out)
      fail(n, "adds " + std::to_string(c.values.size()) +
                  " constants to an activation that is not the output of a "
                  "bias-free linear or conv layer with as many outputs");
    s.layer.bias = true;
    s.blocks.push_back({s.layer.name + ".bias", c.values});
    define(n, 0, y);
  }

  OnnxTensor fold_binary(const OnnxNode& n, const OnnxTensor& a, const OnnxTensor& b) {
    const bool a_scalar = a.values.size() == 1, b_scalar = b.values.size() == 1;
    if (!a_scalar && !b_scalar && a.dims != b.dims)
      fail(n, "broadcasting of constants of different shapes is not supported");
    OnnxTensor out = a_scalar ? b : a;
    out.integer = a.integer && b.integer;
    for (size_t k = 0; k < out.values.size(); ++k) {
      const Pointwise e = pointwise_op(n.op, {pointwise_constant(a.values[a_scalar ? 0 : k]),
                                              pointwise_constant(b.values[b_scalar ? 0 : k])});
      out.values[k] = evaluate_pointwise(*e, 0);
      if (out.integer && n.op == "Div") out.values[k] = std::trunc(out.values[k]);
    }
    return out;
  }

  // Gemm(X, W, b) with W [out, in] (transB = 1, nn.Linear's export) or [in, out]; MatMul(X, W)
  // with W [in, out], its bias (if any) in the Add that follows.
  void linear(const OnnxNode& n) {
    const int x = plain_input(n, 0, "a flat activation");
    const std::vector<int>& in = dims_of(x);
    if (in.size() != 1)
      fail(n, "needs a flat input [batch, D], gets " + axes_string(normal_axes(in)) + " (add a Flatten)");
    const OnnxTensor& w = constant(n, 1, "weight");
    if (w.dims.size() != 2) fail(n, "needs a 2-D weight");
    const bool gemm = n.op == "Gemm";
    if (gemm && (n.int_attribute("transA", 0) != 0 || n.float_attribute("alpha", 1) != 1 ||
                 (has_input(n, 2) && n.float_attribute("beta", 1) != 1)))
      fail(n, "only Gemm with transA = 0, alpha = 1 and beta = 1 (nn.Linear's export) is supported");
    const bool out_first = gemm && n.int_attribute("transB", 0) == 1;
    const int64_t outs = layer_size(n, out_first ? w.dims[0] : w.dims[1], "out_features"),
                  ins = out_first ? w.dims[1] : w.dims[0];
    if (ins != in[0])
      fail(n, "weight for " + std::to_string(ins) + " inputs, the activation has " + std::to_string(in[0]));
    std::vector<double> weight(size_t(outs * ins));  // PyTorch's [out, in]
    for (int64_t o = 0; o < outs; ++o)
      for (int64_t i = 0; i < ins; ++i)
        weight[o * ins + i] = out_first ? w.values[o * ins + i] : w.values[i * outs + o];
    LayerSpec l;
    l.type = LayerType::Linear;
    l.out = int(outs);
    l.bias = gemm && has_input(n, 2);
    std::vector<std::pair<std::string, std::vector<double>>> blocks{{"weight", weight}};
    if (l.bias) {
      const OnnxTensor& b = constant(n, 2, "bias");
      if (b.values.size() != size_t(outs))
        fail(n, "bias of " + std::to_string(b.values.size()) + " values for " + std::to_string(outs) +
                    " outputs");
      blocks.push_back({"bias", b.values});
    }
    const int v = add_step(n, l, {x}, {int(outs)}, blocks);
    define(n, 0, activation(v, normal_axes({int(outs)})));
  }

  // Square kernel, equal strides and padding on every side, no dilation or groups: the conv2d
  // of a description. A Pad just before it adds to its padding.
  struct Window {
    int kernel, stride, padding;
  };
  Window window(const OnnxNode& n, int pending_pad, int64_t kernel_from_weight) {
    if (n.string_attribute("auto_pad", "NOTSET") != "NOTSET")
      fail(n, "auto_pad is not supported (export explicit pads)");
    std::vector<int64_t> k = n.ints_attribute("kernel_shape"), s = n.ints_attribute("strides"),
                         p = n.ints_attribute("pads"), d = n.ints_attribute("dilations");
    if (k.empty() && kernel_from_weight > 0) k = {kernel_from_weight, kernel_from_weight};
    if (s.empty()) s = {1, 1};
    if (p.empty()) p = {0, 0, 0, 0};
    auto all_equal = [](const std::vector<int64_t>& v) {
      return std::adjacent_find(v.begin(), v.end(), std::not_equal_to<>()) == v.end();
    };
    if (k.size() != 2 || !all_equal(k)) {
      std::string sides;
      for (int64_t v : k) sides += (sides.empty() ? "" : "x") + std::to_string(v);
      fail(n, "square 2-D kernels only (k x k); this one is " + sides);
    }
    if (s.size() != 2 || !all_equal(s)) fail(n, "needs equal strides along H and W");
    if (p.size() != 4 || !all_equal(p)) fail(n, "needs the same padding on every side");
    for (int64_t v : d)
      if (v != 1) fail(n, "dilation is not supported");
    if (n.int_attribute("ceil_mode", 0) != 0)
      fail(n, "ceil_mode is not supported (PyTorch's default floor mode is)");
    layer_size(n, k[0], "kernel");
    layer_size(n, s[0], "stride");
    if (p[0] < 0 || p[0] > kMaxSize) fail(n, "padding " + std::to_string(p[0]) + " is out of range");
    return {int(k[0]), int(s[0]), int(p[0]) + pending_pad};
  }

  static int side(int size, const Window& w) {
    return size + 2 * w.padding < w.kernel ? 0 : (size + 2 * w.padding - w.kernel) / w.stride + 1;
  }

  void conv(const OnnxNode& n) {
    const int pending = meaning(n, 0).pad;
    const int x = plain_input(n, 0, "an image");
    const std::vector<int>& in = dims_of(x);
    if (in.size() != 3) fail(n, "needs an image [batch, C, H, W]");
    const OnnxTensor& w = constant(n, 1, "weight");
    if (w.dims.size() != 4 || w.dims[1] != in[0] || w.dims[2] != w.dims[3])
      fail(n, "needs a weight [out, " + std::to_string(in[0]) + ", k, k] (square kernels only), gets " +
                  shape_string(Shape(w.dims.begin(), w.dims.end())));
    if (n.int_attribute("group", 1) != 1) fail(n, "grouped convolution is not supported");
    layer_size(n, w.dims[0], "out_channels");
    layer_size(n, w.dims[2], "kernel");
    const Window win = window(n, pending, w.dims[2]);
    if (win.kernel != w.dims[2]) fail(n, "kernel_shape differs from the weight's");
    LayerSpec l;
    l.type = LayerType::Conv2d;
    l.out = int(w.dims[0]);
    l.kernel = win.kernel;
    l.stride = win.stride;
    l.padding = win.padding;
    l.bias = has_input(n, 2);
    std::vector<std::pair<std::string, std::vector<double>>> blocks{{"weight", w.values}};
    if (l.bias) blocks.push_back({"bias", constant(n, 2, "bias").values});
    const std::vector<int> out{l.out, side(in[1], win), side(in[2], win)};
    const int v = add_step(n, l, {x}, out, blocks);
    define(n, 0, activation(v, normal_axes(out)));
  }

  void pool(const OnnxNode& n) {
    const bool average = n.op == "AveragePool";
    const int pending = meaning(n, 0).pad;
    const int x = plain_input(n, 0, "an image");
    const std::vector<int>& in = dims_of(x);
    if (in.size() != 3) fail(n, "needs an image [batch, C, H, W]");
    const Window win = window(n, pending, 0);
    // A description's average pooling counts the padding, as PyTorch's default
    // (count_include_pad = True; exported as a Pad before the pool, or as the attribute).
    if (average && win.padding > pending && n.int_attribute("count_include_pad", 0) == 0)
      fail(
          n,
          "average pooling that leaves the padding out of the count (count_include_pad = 0) is not supported");
    if (n.outputs.size() > 1 && !n.outputs[1].empty()) fail(n, "MaxPool's indices output is not supported");
    LayerSpec l;
    l.type = average ? LayerType::AvgPool2d : LayerType::MaxPool2d;
    l.kernel = win.kernel;
    l.stride = win.stride;
    l.padding = win.padding;
    const std::vector<int> out{in[0], side(in[1], win), side(in[2], win)};
    const int v = add_step(n, l, {x}, out);
    define(n, 0, activation(v, normal_axes(out)));
  }

  void pad(const OnnxNode& n) {
    Meaning y = meaning(n, 0);
    if (y.constant || !is_normal(y.axes) || y.axes.size() != 4) fail(n, "needs an image [batch, C, H, W]");
    if (n.string_attribute("mode", "constant") != "constant")
      fail(n, "only zero padding (mode constant) is supported");
    if (has_input(n, 2) && constant(n, 2, "pad value").values.at(0) != 0)
      fail(n, "only zero padding is supported");
    const std::vector<int64_t> p = n.has("pads") ? n.ints_attribute("pads") : constant_ints(n, 1, "pads");
    if (p.size() != 8 || p[0] || p[1] || p[4] || p[5] || p[2] != p[3] || p[2] != p[6] || p[2] != p[7])
      fail(n, "needs the same padding on every side of H and W, none on N and C");
    if (p[2] > kMaxSize) fail(n, "padding " + std::to_string(p[2]) + " is out of range");
    y.pad += int(p[2]);
    define(n, 0, y);
  }

  void flatten(const OnnxNode& n) {
    if (n.int_attribute("axis", 1) != 1) fail(n, "only Flatten with axis = 1 is supported");
    define(n, 0, flat(n, plain_input(n, 0, "an activation")));
  }

  Meaning flat(const OnnxNode& n, int x) {
    const std::vector<int> dims = dims_of(x);
    if (dims.size() == 1) return activation(x, normal_axes(dims));
    LayerSpec l;
    l.type = LayerType::Flatten;
    const int v = add_step(n, l, {x}, {int(count(dims))});
    return activation(v, normal_axes(dims_of(v)));
  }

  // Reshape to [batch, D] is a flatten; to [batch, T, I] the view of a flat input as an LSTM's
  // steps; to [batch, C, H, W] of the model's input, the input's shape.
  void reshape(const OnnxNode& n) {
    Meaning& m = meaning(n, 0);
    const std::vector<int64_t> target_raw = [&] {
      std::vector<int64_t> t;
      for (double v : constant(n, 1, "shape").values) t.push_back(std::isnan(v) ? -2 : whole(n, v, "shape"));
      return t;
    }();
    if (m.constant) {  // the shape must account for every value (-1: the rest, 0: as before)
      OnnxTensor t = m.tensor;
      t.dims = target_raw;
      int64_t known = 1, unknown = -1;
      for (size_t k = 0; k < t.dims.size(); ++k) {
        if (t.dims[k] == 0 && k < m.tensor.dims.size()) t.dims[k] = m.tensor.dims[k];
        if (t.dims[k] == -1 && unknown < 0)
          unknown = int64_t(k);
        else if (t.dims[k] < 0 || t.dims[k] > kMaxSize)
          fail(n, "reshapes a constant to an unsupported shape");
        else
          known *= t.dims[k];
        if (known > kMaxSize) fail(n, "reshapes a constant to an unsupported shape");
      }
      const int64_t count = int64_t(t.values.size());
      if (unknown >= 0) t.dims[size_t(unknown)] = known > 0 ? count / known : 0;
      int64_t product = 1;
      for (int64_t d : t.dims) product *= d;
      if (product != count)
        fail(n, "reshapes a constant of " + std::to_string(count) + " values to " + std::to_string(product));
      return define_constant(n, t);
    }
    std::vector<Axis> kept;  // size-1 axes carry nothing
    for (const Axis& a : m.axes)
      if (a.tag != AxisTag::Unit) kept.push_back(a);
    Meaning y = m;
    y.axes = kept;
    if (!is_normal(y.axes))
      fail(n, "reshapes " + axes_string(m.axes) + "; only [batch, ...] can be reshaped");
    const int x = materialize(n, y);
    const std::vector<int> dims = dims_of(x);
    const int64_t total = int64_t(count(dims));
    // The batch entry: the batch computed by Shape (-2 here), -1 or 0 in front, or the batch
    // the export was traced with.
    if (target_raw.empty()) fail(n, "reshape to a scalar is not supported");
    const int64_t b = target_raw[0];
    if (!(b == -2 || b == -1 || b == 0 || (declared_batch_ > 0 && b == declared_batch_)))
      fail(n, "the first axis of the target shape must stay the batch");
    std::vector<int64_t> rest(target_raw.begin() + 1, target_raw.end());
    int64_t known = 1, unknown = -1;
    for (size_t k = 0; k < rest.size(); ++k) {
      if (rest[k] == -1 && unknown < 0)
        unknown = int64_t(k);
      else if (rest[k] > 0 && rest[k] <= kMaxSize && known * rest[k] <= kMaxSize)
        known *= rest[k];
      else
        fail(n, "target shape entry " + std::to_string(rest[k]) + " is not supported");
    }
    if (unknown >= 0) rest[size_t(unknown)] = total / known;
    int64_t product = 1;
    for (int64_t r : rest) product *= r;
    if (product != total)
      fail(n, "reshapes " + std::to_string(total) + " values per example to " + std::to_string(product));
    if (rest.size() == 1) return define(n, 0, flat(n, x));
    if (rest.size() == 2) {
      Meaning seq = flat(n, x);
      seq.axes = {{AxisTag::Batch, -1}, {AxisTag::Steps, rest[0]}, {AxisTag::Feature, rest[1], 0}};
      return define(n, 0, seq);
    }
    if (rest.size() == 3 && x == 0 && steps_.empty()) {
      input_dims_.assign(rest.begin(), rest.end());
      return define(n, 0, activation(0, normal_axes(input_dims_)));
    }
    fail(n, "reshape to " + std::to_string(rest.size()) +
                " axes per example is only supported on the model's input");
  }

  // ONNX's LSTM (forward, one layer, default activations, zero initial state) on steps
  // [T, batch, I] (layout 0, after batch_first's Transpose) or [batch, T, I] (layout 1).
  void lstm(const OnnxNode& n) {
    Meaning& x = meaning(n, 0);
    const int layout = int(n.int_attribute("layout", 0));
    const AxisTag first = layout == 0 ? AxisTag::Steps : AxisTag::Batch,
                  second = layout == 0 ? AxisTag::Batch : AxisTag::Steps;
    if (x.constant || x.axes.size() != 3 || x.axes[0].tag != first || x.axes[1].tag != second ||
        x.axes[2].tag != AxisTag::Feature)
      fail(n, "needs the model's input seen as steps (x.view(batch, T, I), batch_first), gets " +
                  (x.constant ? std::string("a constant") : axes_string(x.axes)));
    if (n.string_attribute("direction", "forward") != "forward")
      fail(n, "only a forward (not bidirectional) LSTM is supported");
    if (n.has("clip") || n.int_attribute("input_forget", 0) != 0)
      fail(n, "clip and input_forget are not supported");
    if (n.has("activations")) fail(n, "only the default activations (sigmoid, tanh, tanh) are supported");
    if (has_input(n, 4)) fail(n, "sequence_lens is not supported (every sequence has all its steps)");
    if (has_input(n, 7)) fail(n, "peephole weights are not supported");
    for (size_t k : {5, 6})
      if (has_input(n, k)) {
        const OnnxTensor& s = constant(n, k, "zero initial state");
        if (std::any_of(s.values.begin(), s.values.end(), [](double v) { return v != 0; }))
          fail(n, "only a zero initial state is supported");
      }
    if (!has_input(n, 3)) fail(n, "an LSTM without biases (bias = False) is not supported");
    const int64_t H = layer_size(n, n.int_attribute("hidden_size", 0), "hidden_size"),
                  T = layout == 0 ? x.axes[0].size : x.axes[1].size, I = x.axes[2].size;
    const OnnxTensor &W = constant(n, 1, "W"), &R = constant(n, 2, "R"), &B = constant(n, 3, "B");
    if (W.dims != std::vector<int64_t>{1, 4 * H, I} || R.dims != std::vector<int64_t>{1, 4 * H, H} ||
        B.values.size() != size_t(8 * H))
      fail(n, "needs W [1, 4H, I], R [1, 4H, H] and B [1, 8H] for H = " + std::to_string(H));
    // ONNX's gate blocks i, o, f, c back to PyTorch's i, f, g, o; B is [bias_ih, bias_hh].
    auto gates = [&](const std::vector<double>& v, size_t offset, int64_t width) {
      std::vector<double> out(size_t(4 * H * width));
      for (int k = 0; k < 4; ++k)
        std::copy_n(v.begin() + offset + size_t(kOnnxGateOf[k] * H * width), H * width,
                    out.begin() + k * H * width);
      return out;
    };
    const int input = materialize(n, x);
    LayerSpec l;
    l.type = LayerType::Lstm;
    l.input_size = int(I);
    l.hidden_size = int(H);
    const int v = add_step(n, l, {input}, {int(H)},
                           {{"weight_ih_l0", gates(W.values, 0, I)},
                            {"weight_hh_l0", gates(R.values, 0, H)},
                            {"bias_ih_l0", gates(B.values, 0, 1)},
                            {"bias_hh_l0", gates(B.values, size_t(4 * H), 1)}});
    const Axis batch{AxisTag::Batch, -1}, unit{AxisTag::Unit, 1}, hidden{AxisTag::Feature, H, 0};
    const Axis steps{AxisTag::Outputs, T};
    define(n, 0,
           activation(v, layout == 0 ? std::vector<Axis>{steps, unit, batch, hidden}
                                     : std::vector<Axis>{batch, steps, unit, hidden}));
    define(n, 1,
           activation(v, layout == 0 ? std::vector<Axis>{unit, batch, hidden}
                                     : std::vector<Axis>{batch, unit, hidden}));
    Meaning cell;
    cell.unusable = "the LSTM's cell state, which a description's lstm layer does not give";
    define(n, 2, cell);
  }

  void log_softmax(const OnnxNode& n) {
    Meaning y = meaning(n, 0);
    if (y.constant || !is_normal(y.axes) || y.axes.size() != 2) fail(n, "needs logits [batch, K]");
    const int64_t axis = n.int_attribute("axis", -1);
    if (axis != -1 && axis != 1) fail(n, "only a LogSoftmax over the classes is supported");
    materialize(n, y);
    y.log_softmax = true;
    define(n, 0, y);
  }

  // ---- shapes and axes ----

  void shape(const OnnxNode& n) {
    const Meaning& m = meaning(n, 0);
    OnnxTensor t{{0}, {}, true};
    if (m.constant) {
      for (int64_t d : m.tensor.dims) t.values.push_back(d < 0 ? kBatch : double(d));
    } else {
      for (const Axis& a : m.axes) t.values.push_back(a.tag == AxisTag::Batch ? kBatch : double(a.size));
    }
    t.dims = {int64_t(t.values.size())};
    define_constant(n, t);
  }

  static int64_t normalized_axis(int64_t axis, size_t rank) { return axis < 0 ? axis + int64_t(rank) : axis; }

  void gather(const OnnxNode& n) {
    const Meaning& m = meaning(n, 0);
    const OnnxTensor& idx = constant(n, 1, "indices");
    if (m.constant) {
      if (m.tensor.dims.size() != 1 || n.int_attribute("axis", 0) != 0)
        fail(n, "only Gather from a 1-D constant is supported");
      OnnxTensor t{idx.dims, {}, m.tensor.integer};
      for (double i : idx.values) {
        const int64_t k = normalized_axis(whole(n, i, "index"), m.tensor.values.size());
        if (k < 0 || k >= int64_t(m.tensor.values.size())) fail(n, "index out of range");
        t.values.push_back(m.tensor.values[size_t(k)]);
      }
      return define_constant(n, t);
    }
    Meaning y = m;
    const int64_t axis = normalized_axis(n.int_attribute("axis", 0), m.axes.size());
    if (axis < 0 || axis >= int64_t(m.axes.size()) || idx.values.size() != 1)
      fail(n, "only a Gather of one index is supported");
    const Axis a = m.axes[size_t(axis)];
    const int64_t i = normalized_axis(whole(n, idx.values[0], "index"), size_t(std::max<int64_t>(a.size, 1)));
    const bool last_step = a.tag == AxisTag::Outputs && i == a.size - 1;
    if (!last_step && !(a.tag == AxisTag::Unit && i == 0))
      fail(n, "takes index " + std::to_string(whole(n, idx.values[0], "index")) + " of axis " +
                  std::to_string(axis) + " of " + axes_string(m.axes) +
                  "; only the LSTM's last step (out[:, -1]) or h_n[0] can be taken");
    if (idx.dims.empty())
      y.axes.erase(y.axes.begin() + axis);
    else
      y.axes[size_t(axis)] = {AxisTag::Unit, 1};
    define(n, 0, y);
  }

  void slice(const OnnxNode& n) {
    const Meaning& m = meaning(n, 0);
    if (m.constant) fail(n, "Slice of a constant is not supported");
    std::vector<int64_t> starts, ends, axes, steps;
    if (n.has("starts")) {
      starts = n.ints_attribute("starts");
      ends = n.ints_attribute("ends");
      axes = n.ints_attribute("axes");
    } else {
      starts = constant_ints(n, 1, "starts");
      ends = constant_ints(n, 2, "ends");
      if (has_input(n, 3)) axes = constant_ints(n, 3, "axes");
      if (has_input(n, 4)) steps = constant_ints(n, 4, "steps");
    }
    if (axes.empty())
      for (size_t k = 0; k < starts.size(); ++k) axes.push_back(int64_t(k));
    if (ends.size() != starts.size() || axes.size() != starts.size() ||
        (!steps.empty() && steps.size() != starts.size()))
      fail(n, "starts, ends, axes and steps must be of one length");
    Meaning y = m;
    for (size_t k = 0; k < axes.size(); ++k) {
      const int64_t axis = normalized_axis(axes[k], m.axes.size());
      if (axis < 0 || axis >= int64_t(m.axes.size())) fail(n, "axis out of range");
      Axis& a = y.axes[size_t(axis)];
      if (!steps.empty() && steps[k] != 1) fail(n, "only Slice with step 1 is supported");
      const int64_t start = normalized_axis(starts[k], size_t(std::max<int64_t>(a.size, 1)));
      const bool to_end = ends[k] >= a.size;
      if (a.tag == AxisTag::Outputs && start == a.size - 1 && to_end)
        a = {AxisTag::Unit, 1};
      else if (!(start == 0 && (a.tag == AxisTag::Batch ? ends[k] >= (int64_t(1) << 31) - 1 : to_end)))
        fail(n, "slices axis " + std::to_string(axis) + " of " + axes_string(m.axes) +
                    "; only the LSTM's last step can be sliced");
    }
    define(n, 0, y);
  }

  void squeeze(const OnnxNode& n, bool unsqueeze) {
    const Meaning& m = meaning(n, 0);
    std::vector<int64_t> axes = axes_argument(n, 1);
    if (m.constant) {
      OnnxTensor t = m.tensor;
      if (unsqueeze) {
        const size_t rank = t.dims.size() + axes.size();
        for (int64_t& a : axes) a = normalized_axis(a, rank);
        std::sort(axes.begin(), axes.end());
        for (int64_t a : axes)
          t.dims.insert(t.dims.begin() + std::min<int64_t>(a, int64_t(t.dims.size())), 1);
      } else {
        std::vector<int64_t> d;
        for (size_t k = 0; k < t.dims.size(); ++k) {
          const bool listed =
              axes.empty() ? t.dims[k] == 1 : std::any_of(axes.begin(), axes.end(), [&](int64_t a) {
                return normalized_axis(a, t.dims.size()) == int64_t(k);
              });
          if (!listed) d.push_back(t.dims[k]);
        }
        t.dims = d;
      }
      return define_constant(n, t);
    }
    Meaning y = m;
    if (unsqueeze) {
      const size_t rank = m.axes.size() + axes.size();
      for (int64_t& a : axes) a = normalized_axis(a, rank);
      std::sort(axes.begin(), axes.end());
      for (int64_t a : axes) {
        if (a < 0 || a > int64_t(y.axes.size())) fail(n, "axis out of range");
        y.axes.insert(y.axes.begin() + a, Axis{AxisTag::Unit, 1});
      }
    } else {
      std::vector<Axis> kept;
      for (size_t k = 0; k < m.axes.size(); ++k) {
        const bool listed = std::any_of(axes.begin(), axes.end(), [&](int64_t a) {
          return normalized_axis(a, m.axes.size()) == int64_t(k);
        });
        const bool one =
            m.axes[k].tag == AxisTag::Unit || (m.axes[k].tag == AxisTag::Feature && m.axes[k].size == 1);
        if (listed && !one)
          fail(n, "squeezes axis " + std::to_string(k) + " of " + axes_string(m.axes) +
                      ", which is not of size 1");
        if (listed || (axes.empty() && m.axes[k].tag == AxisTag::Unit)) continue;
        kept.push_back(m.axes[k]);
      }
      // a squeezed feature axis of size 1 leaves the example's shape: renumber the rest
      int f = 0;
      for (Axis& a : kept)
        if (a.tag == AxisTag::Feature) a.feature = f++;
      if (f != int(std::count_if(m.axes.begin(), m.axes.end(),
                                 [](const Axis& a) { return a.tag == AxisTag::Feature; })))
        fail(n, "squeezing an axis of the example's shape is not supported");
      y.axes = kept;
    }
    define(n, 0, y);
  }

  void transpose(const OnnxNode& n) {
    const Meaning& m = meaning(n, 0);
    std::vector<int64_t> perm = n.ints_attribute("perm");
    const size_t rank = m.constant ? m.tensor.dims.size() : m.axes.size();
    if (perm.empty())
      for (size_t k = 0; k < rank; ++k) perm.push_back(int64_t(rank - 1 - k));
    std::vector<int64_t> sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    for (size_t k = 0; k < sorted.size(); ++k)
      if (sorted[k] != int64_t(k) || sorted.size() != rank)
        fail(n, "perm is not a permutation of the tensor's axes");
    if (m.constant) {
      if (rank != 2) fail(n, "only a Transpose of a 2-D constant is supported");
      const int64_t r = m.tensor.dims[0], c = m.tensor.dims[1];
      if (r < 0 || c < 0 || size_t(r) * size_t(c) != m.tensor.values.size())
        fail(n, "a constant's shape does not match its values");
      OnnxTensor t = m.tensor;
      if (perm[0] == 1) {
        t.dims = {c, r};
        for (int64_t i = 0; i < r; ++i)
          for (int64_t j = 0; j < c; ++j) t.values[size_t(j * r + i)] = m.tensor.values[size_t(i * c + j)];
      }
      return define_constant(n, t);
    }
    Meaning y = m;
    for (size_t k = 0; k < rank; ++k) y.axes[k] = m.axes[size_t(perm[k])];
    int last = -1;  // the example's own axes must keep their order
    for (const Axis& a : y.axes)
      if (a.tag == AxisTag::Feature) {
        if (a.feature < last)
          fail(n, "reorders the axes of an example " + axes_string(m.axes) + "; not supported");
        last = a.feature;
      }
    define(n, 0, y);
  }

  void concat(const OnnxNode& n) {
    OnnxTensor t{{0}, {}, true};
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      const OnnxTensor& c = constant(n, k, "piece of a shape");
      if (c.dims.size() > 1) fail(n, "only a Concat of 1-D constants (a shape) is supported");
      t.values.insert(t.values.end(), c.values.begin(), c.values.end());
      t.integer = t.integer && c.integer;
    }
    t.dims = {int64_t(t.values.size())};
    define_constant(n, t);
  }

  void constant_of_shape(const OnnxNode& n) {
    const OnnxTensor& s = constant(n, 0, "shape");
    const std::vector<double>& value =
        n.has("value") ? n.attributes.at("value").t.values : std::vector<double>{};
    const double fill = value.empty() ? 0 : value[0];
    OnnxTensor t;
    size_t total = 1;
    bool known = true;
    for (double d : s.values) {
      const int64_t v = std::isnan(d) ? -1 : whole(n, d, "shape");
      if (v < -1 || (v >= 0 && (v > kMaxSize || total * size_t(v) > size_t(kMaxSize))))
        fail(n, "a shape entry " + std::to_string(v) + " is out of range");
      t.dims.push_back(v);
      if (v < 0)
        known = false;
      else
        total *= size_t(v);
    }
    t.values.assign(known ? total : 1, fill);  // a shape holding the batch: one value stands for all
    define_constant(n, t);
  }

  void cast(const OnnxNode& n) {
    Meaning y = meaning(n, 0);
    const int64_t to = n.int_attribute("to", 1);
    if (y.constant) {
      y.tensor.integer = to != 1 && to != 10 && to != 11;
      if (y.tensor.integer)
        for (double& v : y.tensor.values) v = std::isnan(v) ? v : std::trunc(v);
    } else if (to != 1 && to != 11) {
      fail(n, "casts an activation to a type other than float or double");
    }
    define(n, 0, y);
  }

  // ---- the description ----

  // The value `v` dominates through: a layer's input, or a join's fork.
  int parent(int v) {
    const Step& s = steps_[v - 1];
    return s.inputs.size() == 1 ? s.inputs[0] : fork(s.inputs[0], s.inputs[1]);
  }
  int fork(int a, int b) {
    std::set<int> above_a;
    for (int v = a;; v = parent(v)) {
      above_a.insert(v);
      if (v == 0) break;
    }
    for (int v = b;; v = parent(v)) {
      if (above_a.count(v)) return v;
      if (v == 0) break;
    }
    return 0;
  }

  // The layers that take value `from` to value `to`, joins nested as residual blocks.
  std::vector<LayerSpec> layers_between(int from, int to) {
    std::vector<LayerSpec> out;
    for (int v = to; v != from;) {
      if (v == 0)
        throw Error(g_.file + ": a branch of the graph does not start where its join's other branch does");
      const Step& s = steps_[v - 1];
      if (s.inputs.size() == 1) {
        out.push_back(s.layer);
        v = s.inputs[0];
        continue;
      }
      const int f = fork(s.inputs[0], s.inputs[1]);
      std::vector<LayerSpec> a = layers_between(f, s.inputs[0]), b = layers_between(f, s.inputs[1]);
      auto projection = [](const std::vector<LayerSpec>& l) {
        return l.empty() ||
               (l.size() == 1 && (l[0].type == LayerType::Linear || l[0].type == LayerType::Conv2d));
      };
      if (!projection(b) && projection(a))
        std::swap(a, b);  // the body is the first operand unless only it can be the skip
      if (!projection(b))
        throw Error(g_.file +
                    ": an Add joins two branches of several layers; a residual block needs one of them to be "
                    "the identity or a single linear or conv layer");
      LayerSpec r = s.layer;
      r.body = a;
      r.projection = b;
      r.name = common_prefix(r);
      out.push_back(r);
      v = f;
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

  // A residual block's module path: the longest one all its layers' names are under.
  static std::string common_prefix(const LayerSpec& r) {
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

  ModelDescription describe() {
    const OnnxValueInfo& out = g_.outputs[0];
    auto it = values_.find(out.name);
    if (it == values_.end()) throw Error(g_.file + ": no node gives the graph's output '" + out.name + "'");
    Meaning& m = it->second;
    if (m.constant) throw Error(g_.file + ": the graph's output is a constant");
    if (!is_normal(m.axes))
      throw Error(g_.file + ": the graph's output is " + axes_string(m.axes) + ", not [batch, ...]");
    const bool log_softmax = m.log_softmax;
    m.log_softmax = false;
    OnnxNode end;
    end.op = "output";
    end.name = out.name;
    end.index = int(g_.nodes.size());
    const int v = materialize(end, m);
    ModelDescription d;
    d.file = g_.file;
    const size_t slash = g_.file.find_last_of('/');
    d.name = g_.file.substr(slash == std::string::npos ? 0 : slash + 1);
    if (d.name.size() > 5 && d.name.compare(d.name.size() - 5, 5, ".onnx") == 0)
      d.name.resize(d.name.size() - 5);
    d.input = input_dims_;
    // An output the size of the input is an autoencoder's reconstruction; else logits (a final
    // LogSoftmax changes no cross-entropy: log_softmax(log_softmax(z)) = log_softmax(z)).
    d.loss =
        count(dims_of(v)) == count(input_dims_) && !log_softmax ? LossKind::MseInput : LossKind::CrossEntropy;
    d.layers = layers_between(0, v);
    if (d.layers.empty()) throw Error(g_.file + ": the graph computes nothing from its input");
    d.notes = notes_;
    find_folded_batchnorm(d);
    order_as_registered(d);
    d.weights = weights(d);
    return d;
  }

  // The flat vector in PyTorch's registration order (parameters_to_vector), not the order the
  // layers run in: torch.onnx.export writes the initializers in state_dict order, under the
  // parameters' names (docs/algorithms.md §2.9). A block whose values the exporter computed (an
  // LSTM's gates, a bias-free Linear's transposed weight) carries a generated name and no
  // position: when the named ones are in run order, the run order is taken for all, with a
  // note; when they are not, the order is not known and the import is refused.
  void order_as_registered(ModelDescription& d) const {
    if (g_.initializer_order.empty()) return;  // a graph built by hand: no order to read
    std::map<std::string, size_t> rank;
    for (size_t k = 0; k < g_.initializer_order.size(); ++k) rank[g_.initializer_order[k]] = k;
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
          g_.file + ": the module registers its parameters in another order (" + join_names(registered) +
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

  static std::string join_names(const std::vector<std::string>& names) {
    std::string s;
    for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
    return s;
  }

  // torch.onnx.export of a model in eval mode folds a BatchNorm into the conv before it: the conv
  // then has a bias, and both its weight and bias carry generated names.
  void find_folded_batchnorm(ModelDescription& d) const {
    if (g_.initializer_order.empty()) return;
    for (const Step& s : steps_)
      if (s.layer.type == LayerType::Conv2d && s.layer.bias && !s.blocks.empty() &&
          !g_.initializers.count(s.blocks.front().first)) {
        d.folded_batchnorm.push_back({s.layer.name, s.layer.out});
        d.notes.push_back("conv '" + s.layer.name +
                          "' has weights under generated names and a bias: most likely a " +
                          "BatchNorm the exporter folded into it (eval mode), so PyTorch's parameters have " +
                          std::to_string(s.layer.out) + " or " + std::to_string(2 * s.layer.out) +
                          " more values than this import");
      }
  }

  // The initializers' values at their blocks' offsets.
  std::vector<double> weights(const ModelDescription& d) {
    std::map<std::string, const std::vector<double>*> by_name;
    for (const Step& s : steps_)
      for (const auto& [name, values] : s.blocks) by_name[name] = &values;
    const auto model = make_described_model(d);
    std::vector<double> w(model->num_params());
    for (const ParamBlock& b : model->layout()) {
      auto it = by_name.find(b.name);
      if (it == by_name.end() || it->second->size() != b.size())
        throw Error(g_.file + ": the weights of '" + b.name + "' (" + shape_string(b.shape) +
                    ") are not in the graph");
      std::copy(it->second->begin(), it->second->end(), w.begin() + std::ptrdiff_t(b.offset));
    }
    return w;
  }

  const OnnxGraph& g_;
  std::vector<OnnxNode> nodes_;
  std::map<std::string, Meaning> values_;
  std::vector<Step> steps_;
  std::vector<int> input_dims_;
  int64_t declared_batch_ = -1;
  std::set<std::string> names_;
  std::vector<std::string> notes_;  // ModelDescription::notes
};

}  // namespace

ModelDescription translate_onnx_graph(const OnnxGraph& g) { return Translator(g).run(); }

ModelDescription read_onnx_model(const std::string& path) {
  return translate_onnx_graph(read_onnx_graph(path));
}

std::string onnx_supported_ops() {
  return "Gemm, MatMul (+ Add of a bias), Conv, MaxPool, AveragePool, Pad (before Conv or AveragePool), Flatten, "
         "Reshape, LSTM, LogSoftmax (at the output), the element-wise ops " +
         pointwise_op_list() +
         " (as relu, leaky_relu, sigmoid, tanh, softplus, gelu or a residual Add), and the glue Constant, Shape, "
         "Gather, Slice, Concat, ConstantOfShape, Cast, Transpose, Squeeze, Unsqueeze";
}

}  // namespace landscape
