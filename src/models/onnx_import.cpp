// The translation of an ONNX graph into a model description (docs/algorithms.md §2.9): the
// table of the ops it reads, one row each (onnx_op_table.hpp), and the walk over the nodes
// that looks each one's op up there. What a value means to the translation is in
// onnx_translation.hpp; the ops by concern: onnx_shapes (axes, shapes, constants),
// onnx_pointwise (element-wise runs, bias Adds, residual joins), onnx_layers (Gemm, MatMul,
// Conv, pooling, Pad, LogSoftmax), onnx_lstm; the description read off the steps:
// onnx_description.
#include "models/onnx_import.hpp"

#include <algorithm>

#include "models/onnx_description.hpp"
#include "models/onnx_layers.hpp"
#include "models/onnx_lstm.hpp"
#include "models/onnx_op_table.hpp"
#include "models/onnx_pointwise.hpp"
#include "models/onnx_shapes.hpp"
#include "models/onnx_translation.hpp"

namespace landscape {

namespace onnx_import {

const std::vector<OnnxOp>& op_table() {
  using P = OnnxOpPart;
  // clang-format off
  static const std::vector<OnnxOp> table = {
      {"Gemm",            translate_linear,            P::Layer,       ""},
      {"MatMul",          translate_linear,            P::Layer,       "+ Add of a bias"},
      {"Conv",            translate_conv,              P::Layer,       ""},
      {"MaxPool",         translate_pool,              P::Layer,       ""},
      {"AveragePool",     translate_pool,              P::Layer,       ""},
      {"Pad",             translate_pad,               P::Layer,       "before Conv or AveragePool"},
      {"Flatten",         translate_flatten,           P::Layer,       ""},
      {"Reshape",         translate_reshape,           P::Layer,       ""},
      {"LSTM",            translate_lstm,              P::Layer,       ""},
      {"LogSoftmax",      translate_log_softmax,       P::Layer,       "at the output"},
      {"Add",             translate_binary_pointwise,  P::Elementwise, ""},
      {"Sub",             translate_binary_pointwise,  P::Elementwise, ""},
      {"Mul",             translate_binary_pointwise,  P::Elementwise, ""},
      {"Div",             translate_binary_pointwise,  P::Elementwise, ""},
      {"Pow",             translate_binary_pointwise,  P::Elementwise, ""},
      {"Relu",            translate_unary_pointwise,   P::Elementwise, ""},
      {"Sigmoid",         translate_unary_pointwise,   P::Elementwise, ""},
      {"Tanh",            translate_unary_pointwise,   P::Elementwise, ""},
      {"Erf",             translate_unary_pointwise,   P::Elementwise, ""},
      {"Exp",             translate_unary_pointwise,   P::Elementwise, ""},
      {"Log",             translate_unary_pointwise,   P::Elementwise, ""},
      {"Sqrt",            translate_unary_pointwise,   P::Elementwise, ""},
      {"Neg",             translate_unary_pointwise,   P::Elementwise, ""},
      {"Abs",             translate_unary_pointwise,   P::Elementwise, ""},
      {"Softplus",        translate_unary_pointwise,   P::Elementwise, ""},
      {"LeakyRelu",       translate_unary_pointwise,   P::Elementwise, ""},
      {"Gelu",            translate_unary_pointwise,   P::Elementwise, ""},
      {"Identity",        translate_unary_pointwise,   P::Elementwise, ""},
      {"Dropout",         translate_dropout,           P::Elementwise, ""},
      // read only so that a refused run can say it computes ELU (name_unsupported_activation)
      {"Elu",             translate_unary_pointwise,   P::Unlisted,    ""},
      {"Constant",        translate_constant,          P::Glue,        ""},
      {"Shape",           translate_shape,             P::Glue,        ""},
      {"Gather",          translate_gather,            P::Glue,        ""},
      {"Slice",           translate_slice,             P::Glue,        ""},
      {"Concat",          translate_concat,            P::Glue,        ""},
      {"ConstantOfShape", translate_constant_of_shape, P::Glue,        ""},
      {"Cast",            translate_cast,              P::Glue,        ""},
      {"Transpose",       translate_transpose,         P::Glue,        ""},
      {"Squeeze",         translate_squeeze,           P::Glue,        ""},
      {"Unsqueeze",       translate_unsqueeze,         P::Glue,        ""},
  };
  // clang-format on
  return table;
}

namespace {

void translate_node(Translation& t, const OnnxNode& n) {
  const std::vector<OnnxOp>& ops = op_table();
  const auto row = std::find_if(ops.begin(), ops.end(), [&](const OnnxOp& op) { return n.op == op.name; });
  if (row == ops.end()) t.fail(n, "op '" + n.op + "' is not supported; supported: " + onnx_supported_ops());
  row->translate(t, n);
}

// The parts of the supported list, in order, with the words around each part's ops.
struct PartText {
  OnnxOpPart part;
  const char *before, *after;
};
constexpr PartText kPartTexts[] = {
    {OnnxOpPart::Layer, "", ""},
    {OnnxOpPart::Elementwise, "the element-wise ops ",
     " (as relu, leaky_relu, sigmoid, tanh, softplus, gelu or a residual Add)"},
    {OnnxOpPart::Glue, "and the glue ", ""},
};

}  // namespace

}  // namespace onnx_import

ModelDescription translate_onnx_graph(const OnnxGraph& g) {
  onnx_import::Translation t(g);
  onnx_import::declare_graph_values(t);
  for (const OnnxNode& n : t.nodes) onnx_import::translate_node(t, n);
  return onnx_import::describe(t);
}

ModelDescription read_onnx_model(const std::string& path) {
  return translate_onnx_graph(read_onnx_graph(path));
}

std::string onnx_supported_ops() {
  std::string text;
  for (const onnx_import::PartText& p : onnx_import::kPartTexts) {
    std::string ops;
    for (const onnx_import::OnnxOp& op : onnx_import::op_table())
      if (op.part == p.part)
        ops += (ops.empty() ? "" : ", ") + std::string(op.name) +
               (*op.note ? std::string(" (") + op.note + ")" : "");
    text += (text.empty() ? "" : ", ") + std::string(p.before) + ops + p.after;
  }
  return text;
}

}  // namespace landscape
