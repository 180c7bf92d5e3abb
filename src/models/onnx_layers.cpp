#include "models/onnx_layers.hpp"

#include <algorithm>
#include <functional>

#include "core/tensor.hpp"

namespace landscape::onnx_import {

namespace {

// PyTorch's [out, in] from ONNX's [out, in] (Gemm with transB = 1) or [in, out].
std::vector<double> linear_weight(const OnnxTensor& w, bool out_first, int64_t outs, int64_t ins) {
  std::vector<double> weight(size_t(outs * ins));
  for (int64_t o = 0; o < outs; ++o)
    for (int64_t i = 0; i < ins; ++i)
      weight[o * ins + i] = out_first ? w.values[o * ins + i] : w.values[i * outs + o];
  return weight;
}

// Square kernel, equal strides and padding on every side, no dilation or groups: the conv2d
// of a description. A Pad just before it adds to its padding.
struct Window {
  int kernel, stride, padding;
};

bool all_equal(const std::vector<int64_t>& v) {
  return std::adjacent_find(v.begin(), v.end(), std::not_equal_to<>()) == v.end();
}

Window window(const Translation& t, const OnnxNode& n, int pending_pad, int64_t kernel_from_weight) {
  if (n.string_attribute("auto_pad", "NOTSET") != "NOTSET")
    t.fail(n, "auto_pad is not supported (export explicit pads)");
  std::vector<int64_t> k = n.ints_attribute("kernel_shape"), s = n.ints_attribute("strides"),
                       p = n.ints_attribute("pads"), d = n.ints_attribute("dilations");
  if (k.empty() && kernel_from_weight > 0) k = {kernel_from_weight, kernel_from_weight};
  if (s.empty()) s = {1, 1};
  if (p.empty()) p = {0, 0, 0, 0};
  if (k.size() != 2 || !all_equal(k)) {
    std::string sides;
    for (int64_t v : k) {  // "3x5" (two statements: GCC 12 warns, wrongly, of "" + to_string here)
      if (!sides.empty()) sides += "x";
      sides += std::to_string(v);
    }
    t.fail(n, "square 2-D kernels only (k x k); this one is " + sides);
  }
  if (s.size() != 2 || !all_equal(s)) t.fail(n, "needs equal strides along H and W");
  if (p.size() != 4 || !all_equal(p)) t.fail(n, "needs the same padding on every side");
  for (int64_t v : d)
    if (v != 1) t.fail(n, "dilation is not supported");
  if (n.int_attribute("ceil_mode", 0) != 0)
    t.fail(n, "ceil_mode is not supported (PyTorch's default floor mode is)");
  t.layer_size(n, k[0], "kernel");
  t.layer_size(n, s[0], "stride");
  if (p[0] < 0 || p[0] > kMaxSize) t.fail(n, "padding " + std::to_string(p[0]) + " is out of range");
  return {int(k[0]), int(s[0]), int(p[0]) + pending_pad};
}

// An output side of a window over `size` (floor mode).
int side(int size, const Window& w) {
  return size + 2 * w.padding < w.kernel ? 0 : (size + 2 * w.padding - w.kernel) / w.stride + 1;
}

}  // namespace

// Gemm(X, W, b) with W [out, in] (transB = 1, nn.Linear's export) or [in, out]; MatMul(X, W)
// with W [in, out], its bias (if any) in the Add that follows (onnx_pointwise.cpp).
void translate_linear(Translation& t, const OnnxNode& n) {
  const int x = t.plain_input(n, 0, "a flat activation");
  const std::vector<int>& in = t.dims_of(x);
  if (in.size() != 1)
    t.fail(n, "needs a flat input [batch, D], gets " + axes_string(normal_axes(in)) + " (add a Flatten)");
  const OnnxTensor& w = t.constant(n, 1, "weight");
  if (w.dims.size() != 2) t.fail(n, "needs a 2-D weight");
  const bool gemm = n.op == "Gemm";
  if (gemm && (n.int_attribute("transA", 0) != 0 || n.float_attribute("alpha", 1) != 1 ||
               (t.has_input(n, 2) && n.float_attribute("beta", 1) != 1)))
    t.fail(n, "only Gemm with transA = 0, alpha = 1 and beta = 1 (nn.Linear's export) is supported");
  const bool out_first = gemm && n.int_attribute("transB", 0) == 1;
  const int64_t outs = t.layer_size(n, out_first ? w.dims[0] : w.dims[1], "out_features"),
                ins = out_first ? w.dims[1] : w.dims[0];
  if (ins != in[0])
    t.fail(n, "weight for " + std::to_string(ins) + " inputs, the activation has " + std::to_string(in[0]));
  LayerSpec l;
  l.type = LayerType::Linear;
  l.out = int(outs);
  l.bias = gemm && t.has_input(n, 2);
  Blocks blocks{{"weight", linear_weight(w, out_first, outs, ins)}};
  if (l.bias) {
    const OnnxTensor& b = t.constant(n, 2, "bias");
    if (b.values.size() != size_t(outs))
      t.fail(n, "bias of " + std::to_string(b.values.size()) + " values for " + std::to_string(outs) +
                    " outputs");
    blocks.push_back({"bias", b.values});
  }
  const int v = t.add_step(n, l, {x}, {int(outs)}, blocks);
  t.define(n, 0, activation(v, normal_axes({int(outs)})));
}

void translate_conv(Translation& t, const OnnxNode& n) {
  const int pending = t.meaning(n, 0).pad;
  const int x = t.plain_input(n, 0, "an image");
  const std::vector<int>& in = t.dims_of(x);
  if (in.size() != 3) t.fail(n, "needs an image [batch, C, H, W]");
  const OnnxTensor& w = t.constant(n, 1, "weight");
  if (w.dims.size() != 4 || w.dims[1] != in[0] || w.dims[2] != w.dims[3])
    t.fail(n, "needs a weight [out, " + std::to_string(in[0]) + ", k, k] (square kernels only), gets " +
                  shape_string(Shape(w.dims.begin(), w.dims.end())));
  if (n.int_attribute("group", 1) != 1) t.fail(n, "grouped convolution is not supported");
  t.layer_size(n, w.dims[0], "out_channels");
  t.layer_size(n, w.dims[2], "kernel");
  const Window win = window(t, n, pending, w.dims[2]);
  if (win.kernel != w.dims[2]) t.fail(n, "kernel_shape differs from the weight's");
  LayerSpec l;
  l.type = LayerType::Conv2d;
  l.out = int(w.dims[0]);
  l.kernel = win.kernel;
  l.stride = win.stride;
  l.padding = win.padding;
  l.bias = t.has_input(n, 2);
  Blocks blocks{{"weight", w.values}};
  if (l.bias) blocks.push_back({"bias", t.constant(n, 2, "bias").values});
  const std::vector<int> out{l.out, side(in[1], win), side(in[2], win)};
  const int v = t.add_step(n, l, {x}, out, blocks);
  t.define(n, 0, activation(v, normal_axes(out)));
}

void translate_pool(Translation& t, const OnnxNode& n) {
  const bool average = n.op == "AveragePool";
  const int pending = t.meaning(n, 0).pad;
  const int x = t.plain_input(n, 0, "an image");
  const std::vector<int>& in = t.dims_of(x);
  if (in.size() != 3) t.fail(n, "needs an image [batch, C, H, W]");
  const Window win = window(t, n, pending, 0);
  // A description's average pooling counts the padding, as PyTorch's default
  // (count_include_pad = True; exported as a Pad before the pool, or as the attribute).
  if (average && win.padding > pending && n.int_attribute("count_include_pad", 0) == 0)
    t.fail(
        n,
        "average pooling that leaves the padding out of the count (count_include_pad = 0) is not supported");
  if (n.outputs.size() > 1 && !n.outputs[1].empty()) t.fail(n, "MaxPool's indices output is not supported");
  LayerSpec l;
  l.type = average ? LayerType::AvgPool2d : LayerType::MaxPool2d;
  l.kernel = win.kernel;
  l.stride = win.stride;
  l.padding = win.padding;
  const std::vector<int> out{in[0], side(in[1], win), side(in[2], win)};
  const int v = t.add_step(n, l, {x}, out);
  t.define(n, 0, activation(v, normal_axes(out)));
}

// PyTorch exports AvgPool2d(padding = p) as a Pad and an unpadded pool: the padding waits in the
// meaning for the Conv or AveragePool that reads it (Translation::plain_input refuses others).
void translate_pad(Translation& t, const OnnxNode& n) {
  Meaning y = t.meaning(n, 0);
  if (y.constant || !is_normal(y.axes) || y.axes.size() != 4) t.fail(n, "needs an image [batch, C, H, W]");
  if (n.string_attribute("mode", "constant") != "constant")
    t.fail(n, "only zero padding (mode constant) is supported");
  if (t.has_input(n, 2) && t.constant(n, 2, "pad value").values.at(0) != 0)
    t.fail(n, "only zero padding is supported");
  const std::vector<int64_t> p = n.has("pads") ? n.ints_attribute("pads") : t.constant_ints(n, 1, "pads");
  if (p.size() != 8 || p[0] || p[1] || p[4] || p[5] || p[2] != p[3] || p[2] != p[6] || p[2] != p[7])
    t.fail(n, "needs the same padding on every side of H and W, none on N and C");
  if (p[2] > kMaxSize) t.fail(n, "padding " + std::to_string(p[2]) + " is out of range");
  y.pad += int(p[2]);
  t.define(n, 0, y);
}

// Only at the output: cross-entropy on log-softmax outputs is cross-entropy on the logits
// (log_softmax(log_softmax(z)) = log_softmax(z)), so the description reads the logits.
void translate_log_softmax(Translation& t, const OnnxNode& n) {
  Meaning y = t.meaning(n, 0);
  if (y.constant || !is_normal(y.axes) || y.axes.size() != 2) t.fail(n, "needs logits [batch, K]");
  const int64_t axis = n.int_attribute("axis", -1);
  if (axis != -1 && axis != 1) t.fail(n, "only a LogSoftmax over the classes is supported");
  t.materialize(n, y);
  y.log_softmax = true;
  t.define(n, 0, y);
}

}  // namespace landscape::onnx_import
