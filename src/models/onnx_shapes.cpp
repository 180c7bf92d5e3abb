#include "models/onnx_shapes.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace landscape::onnx_import {

namespace {

void declare_input(Translation& t, const OnnxValueInfo& in) {
  const std::string where = t.g.file + ": graph input '" + in.name + "'";
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
  t.declared_batch = in.dims[0];
  Meaning m;
  if (in.dims.size() == 2 || in.dims.size() == 4) {
    t.input_dims.assign(in.dims.begin() + 1, in.dims.end());
    m = activation(0, normal_axes(t.input_dims));
  } else if (in.dims.size() == 3) {  // sequences [batch, T, I]: the flat input an lstm layer reads
    t.input_dims = {int(in.dims[1] * in.dims[2])};
    m = activation(0,
                   {{AxisTag::Batch, -1}, {AxisTag::Steps, in.dims[1]}, {AxisTag::Feature, in.dims[2], 0}});
  } else {
    throw Error(where + ": an example must be [D], [T,I] or [C,H,W]; the input has rank " +
                std::to_string(in.dims.size()));
  }
  t.values[in.name] = m;
}

OnnxTensor scalar_tensor(double v, bool integer) { return OnnxTensor{{}, {v}, integer}; }

OnnxTensor constant_node(const Translation& t, const OnnxNode& n) {
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
  t.fail(n, "a Constant needs a value, value_float(s) or value_int(s)");
}

// Axes given as an attribute (older opsets) or as the second input (opset 13 on).
std::vector<int64_t> axes_argument(Translation& t, const OnnxNode& n, size_t input) {
  if (n.has("axes")) return n.ints_attribute("axes");
  return t.has_input(n, input) ? t.constant_ints(n, input, "axes") : std::vector<int64_t>{};
}

bool listed(const std::vector<int64_t>& axes, size_t k, size_t rank) {
  return std::any_of(axes.begin(), axes.end(),
                     [&](int64_t a) { return normalized_axis(a, rank) == int64_t(k); });
}

// A constant's shape with size-1 axes put in or taken out (all of them when `axes` is empty).
OnnxTensor squeezed_constant(const Translation& t, const OnnxNode& n, OnnxTensor c, std::vector<int64_t> axes,
                             bool unsqueeze) {
  if (unsqueeze) {
    const size_t rank = c.dims.size() + axes.size();
    for (int64_t& a : axes) {
      a = normalized_axis(a, rank);
      if (a < 0 || a >= int64_t(rank)) t.fail(n, "axis out of range");  // below -rank: before the start
    }
    std::sort(axes.begin(), axes.end());
    for (int64_t a : axes) c.dims.insert(c.dims.begin() + std::min<int64_t>(a, int64_t(c.dims.size())), 1);
    return c;
  }
  std::vector<int64_t> d;
  for (size_t k = 0; k < c.dims.size(); ++k)
    if (!(axes.empty() ? c.dims[k] == 1 : listed(axes, k, c.dims.size()))) d.push_back(c.dims[k]);
  c.dims = d;
  return c;
}

std::vector<Axis> unsqueezed_axes(const Translation& t, const OnnxNode& n, std::vector<Axis> y,
                                  std::vector<int64_t> axes) {
  const size_t rank = y.size() + axes.size();
  for (int64_t& a : axes) a = normalized_axis(a, rank);
  std::sort(axes.begin(), axes.end());
  for (int64_t a : axes) {
    if (a < 0 || a > int64_t(y.size())) t.fail(n, "axis out of range");
    y.insert(y.begin() + a, Axis{AxisTag::Unit, 1});
  }
  return y;
}

// Only axes of size 1 go; an axis of the example's shape may not (the description's shapes
// have no size-1 axes to lose).
std::vector<Axis> squeezed_axes(const Translation& t, const OnnxNode& n, const std::vector<Axis>& m,
                                const std::vector<int64_t>& axes) {
  std::vector<Axis> kept;
  for (size_t k = 0; k < m.size(); ++k) {
    const bool in_list = listed(axes, k, m.size());
    const bool one = m[k].tag == AxisTag::Unit || (m[k].tag == AxisTag::Feature && m[k].size == 1);
    if (in_list && !one)
      t.fail(n, "squeezes axis " + std::to_string(k) + " of " + axes_string(m) + ", which is not of size 1");
    if (in_list || (axes.empty() && m[k].tag == AxisTag::Unit)) continue;
    kept.push_back(m[k]);
  }
  // a squeezed feature axis of size 1 leaves the example's shape: renumber the rest
  int f = 0;
  for (Axis& a : kept)
    if (a.tag == AxisTag::Feature) a.feature = f++;
  if (f != int(std::count_if(m.begin(), m.end(), [](const Axis& a) { return a.tag == AxisTag::Feature; })))
    t.fail(n, "squeezing an axis of the example's shape is not supported");
  return kept;
}

void squeeze(Translation& t, const OnnxNode& n, bool unsqueeze) {
  const Meaning& m = t.meaning(n, 0);
  const std::vector<int64_t> axes = axes_argument(t, n, 1);
  if (m.constant) return t.define_constant(n, squeezed_constant(t, n, m.tensor, axes, unsqueeze));
  Meaning y = m;
  y.axes = unsqueeze ? unsqueezed_axes(t, n, m.axes, axes) : squeezed_axes(t, n, m.axes, axes);
  t.define(n, 0, y);
}

OnnxTensor transposed_constant(const Translation& t, const OnnxNode& n, const OnnxTensor& c,
                               const std::vector<int64_t>& perm) {
  if (c.dims.size() != 2) t.fail(n, "only a Transpose of a 2-D constant is supported");
  const int64_t r = c.dims[0], cols = c.dims[1];
  if (r < 0 || cols < 0 || size_t(r) * size_t(cols) != c.values.size())
    t.fail(n, "a constant's shape does not match its values");
  OnnxTensor out = c;
  if (perm[0] == 1) {
    out.dims = {cols, r};
    for (int64_t i = 0; i < r; ++i)
      for (int64_t j = 0; j < cols; ++j) out.values[size_t(j * r + i)] = c.values[size_t(i * cols + j)];
  }
  return out;
}

// The activation as a flat [batch, D]: a flatten step unless it is flat already.
Meaning flat(Translation& t, const OnnxNode& n, int x) {
  const std::vector<int> dims = t.dims_of(x);
  if (dims.size() == 1) return activation(x, normal_axes(dims));
  LayerSpec l;
  l.type = LayerType::Flatten;
  const int v = t.add_step(n, l, {x}, {int(count(dims))});
  return activation(v, normal_axes(t.dims_of(v)));
}

// The target shape's entries, the batch computed by Shape (NaN) as -2.
std::vector<int64_t> reshape_target(Translation& t, const OnnxNode& n) {
  std::vector<int64_t> target;
  for (double v : t.constant(n, 1, "shape").values)
    target.push_back(std::isnan(v) ? -2 : t.whole(n, v, "shape"));
  return target;
}

// The shape must account for every value (-1: the rest, 0: as before).
OnnxTensor reshaped_constant(const Translation& t, const OnnxNode& n, const OnnxTensor& c,
                             const std::vector<int64_t>& target) {
  OnnxTensor r = c;
  r.dims = target;
  int64_t known = 1, unknown = -1;
  for (size_t k = 0; k < r.dims.size(); ++k) {
    if (r.dims[k] == 0 && k < c.dims.size()) r.dims[k] = c.dims[k];
    if (r.dims[k] == -1 && unknown < 0)
      unknown = int64_t(k);
    else if (r.dims[k] < 0 || r.dims[k] > kMaxSize)
      t.fail(n, "reshapes a constant to an unsupported shape");
    else
      known *= r.dims[k];
    if (known > kMaxSize) t.fail(n, "reshapes a constant to an unsupported shape");
  }
  const int64_t values = int64_t(r.values.size());
  if (unknown >= 0) r.dims[size_t(unknown)] = known > 0 ? values / known : 0;
  int64_t product = 1;
  for (int64_t d : r.dims) product *= d;
  if (product != values)
    t.fail(n, "reshapes a constant of " + std::to_string(values) + " values to " + std::to_string(product));
  return r;
}

// The target's entries after the batch, -1 resolved, for `total` values per example. The batch
// entry: the batch computed by Shape (-2 here), -1 or 0 in front, or the batch the export was
// traced with.
std::vector<int64_t> example_shape(const Translation& t, const OnnxNode& n,
                                   const std::vector<int64_t>& target, int64_t total) {
  if (target.empty()) t.fail(n, "reshape to a scalar is not supported");
  const int64_t b = target[0];
  if (!(b == -2 || b == -1 || b == 0 || (t.declared_batch > 0 && b == t.declared_batch)))
    t.fail(n, "the first axis of the target shape must stay the batch");
  std::vector<int64_t> rest(target.begin() + 1, target.end());
  int64_t known = 1, unknown = -1;
  for (size_t k = 0; k < rest.size(); ++k) {
    if (rest[k] == -1 && unknown < 0)
      unknown = int64_t(k);
    else if (rest[k] > 0 && rest[k] <= kMaxSize && known * rest[k] <= kMaxSize)
      known *= rest[k];
    else
      t.fail(n, "target shape entry " + std::to_string(rest[k]) + " is not supported");
  }
  if (unknown >= 0) rest[size_t(unknown)] = total / known;
  int64_t product = 1;
  for (int64_t r : rest) product *= r;
  if (product != total)
    t.fail(n, "reshapes " + std::to_string(total) + " values per example to " + std::to_string(product));
  return rest;
}

// Reshape to [batch, D] is a flatten; to [batch, T, I] the view of a flat input as an LSTM's
// steps; to [batch, C, H, W] of the model's input, the input's shape.
void reshape_activation(Translation& t, const OnnxNode& n, const Meaning& m,
                        const std::vector<int64_t>& target) {
  std::vector<Axis> kept;  // size-1 axes carry nothing
  for (const Axis& a : m.axes)
    if (a.tag != AxisTag::Unit) kept.push_back(a);
  Meaning y = m;
  y.axes = kept;
  if (!is_normal(y.axes))
    t.fail(n, "reshapes " + axes_string(m.axes) + "; only [batch, ...] can be reshaped");
  const int x = t.materialize(n, y);
  const std::vector<int> dims = t.dims_of(x);
  const std::vector<int64_t> rest = example_shape(t, n, target, int64_t(count(dims)));
  if (rest.size() == 1) return t.define(n, 0, flat(t, n, x));
  if (rest.size() == 2) {
    Meaning seq = flat(t, n, x);
    seq.axes = {{AxisTag::Batch, -1}, {AxisTag::Steps, rest[0]}, {AxisTag::Feature, rest[1], 0}};
    return t.define(n, 0, seq);
  }
  if (rest.size() == 3 && x == 0 && t.steps.empty()) {
    t.input_dims.assign(rest.begin(), rest.end());
    return t.define(n, 0, activation(0, normal_axes(t.input_dims)));
  }
  t.fail(n, "reshape to " + std::to_string(rest.size()) +
                " axes per example is only supported on the model's input");
}

}  // namespace

void declare_graph_values(Translation& t) {
  const OnnxGraph& g = t.g;
  if (g.inputs.size() != 1)
    throw Error(g.file + ": the graph has " + std::to_string(g.inputs.size()) +
                " inputs; a model reads one batch");
  if (g.outputs.size() != 1)
    throw Error(g.file + ": the graph has " + std::to_string(g.outputs.size()) +
                " outputs; a model gives one");
  declare_input(t, g.inputs[0]);
  for (const auto& [name, tensor] : g.initializers) t.values[name] = constant_value(tensor);
}

void translate_constant(Translation& t, const OnnxNode& n) { t.define_constant(n, constant_node(t, n)); }

void translate_shape(Translation& t, const OnnxNode& n) {
  const Meaning& m = t.meaning(n, 0);
  OnnxTensor s{{0}, {}, true};
  if (m.constant) {
    for (int64_t d : m.tensor.dims) s.values.push_back(d < 0 ? kBatch : double(d));
  } else {
    for (const Axis& a : m.axes) s.values.push_back(a.tag == AxisTag::Batch ? kBatch : double(a.size));
  }
  s.dims = {int64_t(s.values.size())};
  t.define_constant(n, s);
}

// Of a constant, any entries of a 1-D one (a shape); of an activation, only the LSTM's last
// step or the size-1 direction axis (out[:, -1], h_n[0]).
void translate_gather(Translation& t, const OnnxNode& n) {
  const Meaning& m = t.meaning(n, 0);
  const OnnxTensor& idx = t.constant(n, 1, "indices");
  if (m.constant) {
    if (m.tensor.dims.size() != 1 || n.int_attribute("axis", 0) != 0)
      t.fail(n, "only Gather from a 1-D constant is supported");
    OnnxTensor out{idx.dims, {}, m.tensor.integer};
    for (double i : idx.values) {
      const int64_t k = normalized_axis(t.whole(n, i, "index"), m.tensor.values.size());
      if (k < 0 || k >= int64_t(m.tensor.values.size())) t.fail(n, "index out of range");
      out.values.push_back(m.tensor.values[size_t(k)]);
    }
    return t.define_constant(n, out);
  }
  Meaning y = m;
  const int64_t axis = normalized_axis(n.int_attribute("axis", 0), m.axes.size());
  if (axis < 0 || axis >= int64_t(m.axes.size()) || idx.values.size() != 1)
    t.fail(n, "only a Gather of one index is supported");
  const Axis a = m.axes[size_t(axis)];
  const int64_t i = normalized_axis(t.whole(n, idx.values[0], "index"), size_t(std::max<int64_t>(a.size, 1)));
  const bool last_step = a.tag == AxisTag::Outputs && i == a.size - 1;
  if (!last_step && !(a.tag == AxisTag::Unit && i == 0))
    t.fail(n, "takes index " + std::to_string(t.whole(n, idx.values[0], "index")) + " of axis " +
                  std::to_string(axis) + " of " + axes_string(m.axes) +
                  "; only the LSTM's last step (out[:, -1]) or h_n[0] can be taken");
  if (idx.dims.empty())
    y.axes.erase(y.axes.begin() + axis);
  else
    y.axes[size_t(axis)] = {AxisTag::Unit, 1};
  t.define(n, 0, y);
}

// Of an activation only: every axis whole, or the LSTM's last step (out[:, -1:]).
void translate_slice(Translation& t, const OnnxNode& n) {
  const Meaning& m = t.meaning(n, 0);
  if (m.constant) t.fail(n, "Slice of a constant is not supported");
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.has("starts")) {
    starts = n.ints_attribute("starts");
    ends = n.ints_attribute("ends");
    axes = n.ints_attribute("axes");
  } else {
    starts = t.constant_ints(n, 1, "starts");
    ends = t.constant_ints(n, 2, "ends");
    if (t.has_input(n, 3)) axes = t.constant_ints(n, 3, "axes");
    if (t.has_input(n, 4)) steps = t.constant_ints(n, 4, "steps");
  }
  if (axes.empty())
    for (size_t k = 0; k < starts.size(); ++k) axes.push_back(int64_t(k));
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      (!steps.empty() && steps.size() != starts.size()))
    t.fail(n, "starts, ends, axes and steps must be of one length");
  Meaning y = m;
  for (size_t k = 0; k < axes.size(); ++k) {
    const int64_t axis = normalized_axis(axes[k], m.axes.size());
    if (axis < 0 || axis >= int64_t(m.axes.size())) t.fail(n, "axis out of range");
    Axis& a = y.axes[size_t(axis)];
    if (!steps.empty() && steps[k] != 1) t.fail(n, "only Slice with step 1 is supported");
    const int64_t start = normalized_axis(starts[k], size_t(std::max<int64_t>(a.size, 1)));
    const bool to_end = ends[k] >= a.size;
    if (a.tag == AxisTag::Outputs && start == a.size - 1 && to_end)
      a = {AxisTag::Unit, 1};
    else if (!(start == 0 && (a.tag == AxisTag::Batch ? ends[k] >= (int64_t(1) << 31) - 1 : to_end)))
      t.fail(n, "slices axis " + std::to_string(axis) + " of " + axes_string(m.axes) +
                    "; only the LSTM's last step can be sliced");
  }
  t.define(n, 0, y);
}

void translate_concat(Translation& t, const OnnxNode& n) {
  OnnxTensor out{{0}, {}, true};
  for (size_t k = 0; k < n.inputs.size(); ++k) {
    const OnnxTensor& c = t.constant(n, k, "piece of a shape");
    if (c.dims.size() > 1) t.fail(n, "only a Concat of 1-D constants (a shape) is supported");
    out.values.insert(out.values.end(), c.values.begin(), c.values.end());
    out.integer = out.integer && c.integer;
  }
  out.dims = {int64_t(out.values.size())};
  t.define_constant(n, out);
}

void translate_constant_of_shape(Translation& t, const OnnxNode& n) {
  const OnnxTensor& s = t.constant(n, 0, "shape");
  const std::vector<double>& value =
      n.has("value") ? n.attributes.at("value").t.values : std::vector<double>{};
  const double fill = value.empty() ? 0 : value[0];
  OnnxTensor out;
  size_t total = 1;
  bool known = true;
  for (double d : s.values) {
    const int64_t v = std::isnan(d) ? -1 : t.whole(n, d, "shape");
    if (v < -1 || (v >= 0 && (v > kMaxSize || total * size_t(v) > size_t(kMaxSize))))
      t.fail(n, "a shape entry " + std::to_string(v) + " is out of range");
    out.dims.push_back(v);
    if (v < 0)
      known = false;
    else
      total *= size_t(v);
  }
  out.values.assign(known ? total : 1, fill);  // a shape holding the batch: one value stands for all
  t.define_constant(n, out);
}

// ONNX's TensorProto types: 1 float, 10 float16, 11 double; the rest are integers or bool.
void translate_cast(Translation& t, const OnnxNode& n) {
  Meaning y = t.meaning(n, 0);
  const int64_t to = n.int_attribute("to", 1);
  if (y.constant) {
    y.tensor.integer = to != 1 && to != 10 && to != 11;
    if (y.tensor.integer)
      for (double& v : y.tensor.values) v = std::isnan(v) ? v : std::trunc(v);
  } else if (to != 1 && to != 11) {
    t.fail(n, "casts an activation to a type other than float or double");
  }
  t.define(n, 0, y);
}

// Of a 2-D constant; of an activation, any reordering that keeps the example's axes in order
// (a batch-first LSTM's input, [batch, T, I] to [T, batch, I]).
void translate_transpose(Translation& t, const OnnxNode& n) {
  const Meaning& m = t.meaning(n, 0);
  std::vector<int64_t> perm = n.ints_attribute("perm");
  const size_t rank = m.constant ? m.tensor.dims.size() : m.axes.size();
  if (perm.empty())
    for (size_t k = 0; k < rank; ++k) perm.push_back(int64_t(rank - 1 - k));
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (size_t k = 0; k < sorted.size(); ++k)
    if (sorted[k] != int64_t(k) || sorted.size() != rank)
      t.fail(n, "perm is not a permutation of the tensor's axes");
  if (m.constant) return t.define_constant(n, transposed_constant(t, n, m.tensor, perm));
  Meaning y = m;
  for (size_t k = 0; k < rank; ++k) y.axes[k] = m.axes[size_t(perm[k])];
  int last = -1;  // the example's own axes must keep their order
  for (const Axis& a : y.axes)
    if (a.tag == AxisTag::Feature) {
      if (a.feature < last)
        t.fail(n, "reorders the axes of an example " + axes_string(m.axes) + "; not supported");
      last = a.feature;
    }
  t.define(n, 0, y);
}

void translate_squeeze(Translation& t, const OnnxNode& n) { squeeze(t, n, false); }
void translate_unsqueeze(Translation& t, const OnnxNode& n) { squeeze(t, n, true); }

void translate_flatten(Translation& t, const OnnxNode& n) {
  if (n.int_attribute("axis", 1) != 1) t.fail(n, "only Flatten with axis = 1 is supported");
  t.define(n, 0, flat(t, n, t.plain_input(n, 0, "an activation")));
}

void translate_reshape(Translation& t, const OnnxNode& n) {
  const Meaning& m = t.meaning(n, 0);
  const std::vector<int64_t> target = reshape_target(t, n);
  if (m.constant) return t.define_constant(n, reshaped_constant(t, n, m.tensor, target));
  reshape_activation(t, n, m, target);
}

}  // namespace landscape::onnx_import
