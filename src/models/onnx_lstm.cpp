#include "models/onnx_lstm.hpp"

#include <algorithm>

namespace landscape::onnx_import {

namespace {

// The block of PyTorch's gates (i, f, g, o) that ONNX (i, o, f, c) holds at position k.
constexpr int kOnnxGateOf[4] = {0, 2, 3, 1};

// What a description's lstm layer computes and ONNX's LSTM can say otherwise: an Error for each.
void check_lstm_form(Translation& t, const OnnxNode& n) {
  if (n.string_attribute("direction", "forward") != "forward")
    t.fail(n, "only a forward (not bidirectional) LSTM is supported");
  if (n.has("clip") || n.int_attribute("input_forget", 0) != 0)
    t.fail(n, "clip and input_forget are not supported");
  if (n.has("activations")) t.fail(n, "only the default activations (sigmoid, tanh, tanh) are supported");
  if (t.has_input(n, 4)) t.fail(n, "sequence_lens is not supported (every sequence has all its steps)");
  if (t.has_input(n, 7)) t.fail(n, "peephole weights are not supported");
  for (size_t k : {5, 6})
    if (t.has_input(n, k)) {
      const OnnxTensor& s = t.constant(n, k, "zero initial state");
      if (std::any_of(s.values.begin(), s.values.end(), [](double v) { return v != 0; }))
        t.fail(n, "only a zero initial state is supported");
    }
  if (!t.has_input(n, 3)) t.fail(n, "an LSTM without biases (bias = False) is not supported");
}

// ONNX's gate blocks i, o, f, c back to PyTorch's i, f, g, o: the four blocks of H x width
// values from `offset` on.
std::vector<double> pytorch_gates(const std::vector<double>& v, size_t offset, int64_t H, int64_t width) {
  std::vector<double> out(size_t(4 * H * width));
  for (int k = 0; k < 4; ++k)
    std::copy_n(v.begin() + offset + size_t(kOnnxGateOf[k] * H * width), H * width,
                out.begin() + k * H * width);
  return out;
}

// Y [T, 1, batch, H] (layout 0) or [batch, T, 1, H] of which only the last step can be used;
// Y_h [1, batch, H] or [batch, 1, H] as it is; the cell state Y_c not at all.
void define_lstm_outputs(Translation& t, const OnnxNode& n, int v, int layout, int64_t T, int64_t H) {
  const Axis batch{AxisTag::Batch, -1}, unit{AxisTag::Unit, 1}, hidden{AxisTag::Feature, H, 0};
  const Axis steps{AxisTag::Outputs, T};
  t.define(n, 0,
           activation(v, layout == 0 ? std::vector<Axis>{steps, unit, batch, hidden}
                                     : std::vector<Axis>{batch, steps, unit, hidden}));
  t.define(n, 1,
           activation(v, layout == 0 ? std::vector<Axis>{unit, batch, hidden}
                                     : std::vector<Axis>{batch, unit, hidden}));
  Meaning cell;
  cell.unusable = "the LSTM's cell state, which a description's lstm layer does not give";
  t.define(n, 2, cell);
}

}  // namespace

// ONNX's LSTM (forward, one layer, default activations, zero initial state) on steps
// [T, batch, I] (layout 0, after batch_first's Transpose) or [batch, T, I] (layout 1).
void translate_lstm(Translation& t, const OnnxNode& n) {
  Meaning& x = t.meaning(n, 0);
  const int layout = int(n.int_attribute("layout", 0));
  const AxisTag first = layout == 0 ? AxisTag::Steps : AxisTag::Batch,
                second = layout == 0 ? AxisTag::Batch : AxisTag::Steps;
  if (x.constant || x.axes.size() != 3 || x.axes[0].tag != first || x.axes[1].tag != second ||
      x.axes[2].tag != AxisTag::Feature)
    t.fail(n, "needs the model's input seen as steps (x.view(batch, T, I), batch_first), gets " +
                  (x.constant ? std::string("a constant") : axes_string(x.axes)));
  check_lstm_form(t, n);
  const int64_t H = t.layer_size(n, n.int_attribute("hidden_size", 0), "hidden_size"),
                T = layout == 0 ? x.axes[0].size : x.axes[1].size, I = x.axes[2].size;
  const OnnxTensor &W = t.constant(n, 1, "W"), &R = t.constant(n, 2, "R"), &B = t.constant(n, 3, "B");
  if (W.dims != std::vector<int64_t>{1, 4 * H, I} || R.dims != std::vector<int64_t>{1, 4 * H, H} ||
      B.values.size() != size_t(8 * H))
    t.fail(n, "needs W [1, 4H, I], R [1, 4H, H] and B [1, 8H] for H = " + std::to_string(H));
  const int input = t.materialize(n, x);
  LayerSpec l;
  l.type = LayerType::Lstm;
  l.input_size = int(I);
  l.hidden_size = int(H);
  // B is [bias_ih, bias_hh], each in ONNX's gate order.
  const int v = t.add_step(n, l, {input}, {int(H)},
                           {{"weight_ih_l0", pytorch_gates(W.values, 0, H, I)},
                            {"weight_hh_l0", pytorch_gates(R.values, 0, H, H)},
                            {"bias_ih_l0", pytorch_gates(B.values, 0, H, 1)},
                            {"bias_hh_l0", pytorch_gates(B.values, size_t(4 * H), H, 1)}});
  define_lstm_outputs(t, n, v, layout, T, H);
}

}  // namespace landscape::onnx_import
