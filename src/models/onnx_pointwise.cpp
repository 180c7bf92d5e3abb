#include "models/onnx_pointwise.hpp"

#include <algorithm>
#include <cmath>

#include "core/parameter_table.hpp"
#include "core/tensor.hpp"
#include "models/onnx_translation.hpp"

namespace landscape {

Pointwise pointwise_input() { return std::make_shared<PointwiseExpr>(PointwiseExpr{"x", 0, 0, {}, 1}); }
Pointwise pointwise_constant(double c) {
  return std::make_shared<PointwiseExpr>(PointwiseExpr{"const", c, 0, {}, 1});
}
Pointwise pointwise_op(const std::string& op, std::vector<Pointwise> args, double alpha) {
  double size = 1;
  for (const Pointwise& a : args) size += a->size;
  return std::make_shared<PointwiseExpr>(PointwiseExpr{op, 0, alpha, std::move(args), size});
}

namespace {
double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double softplus(double x, double beta) {  // without PyTorch's threshold: the ONNX op's definition
  const double z = beta * x;
  return (std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z)))) / beta;
}
double gelu(double x, bool tanh_form) {
  if (tanh_form) return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
}
}  // namespace

bool is_identity(const Pointwise& e) { return !e || e->op == "x"; }

double evaluate_pointwise(const PointwiseExpr& e, double x) {
  if (e.op == "x") return x;
  if (e.op == "const") return e.constant;
  const double a = evaluate_pointwise(*e.args[0], x);
  if (e.args.size() == 2) {
    const double b = evaluate_pointwise(*e.args[1], x);
    if (e.op == "Add") return a + b;
    if (e.op == "Sub") return a - b;
    if (e.op == "Mul") return a * b;
    if (e.op == "Div") return a / b;
    return std::pow(a, b);  // Pow
  }
  if (e.op == "Relu") return std::max(a, 0.0);
  if (e.op == "Sigmoid") return sigmoid(a);
  if (e.op == "Tanh") return std::tanh(a);
  if (e.op == "Erf") return std::erf(a);
  if (e.op == "Exp") return std::exp(a);
  if (e.op == "Log") return std::log(a);
  if (e.op == "Sqrt") return std::sqrt(a);
  if (e.op == "Neg") return -a;
  if (e.op == "Abs") return std::abs(a);
  if (e.op == "Softplus") return softplus(a, 1);
  if (e.op == "LeakyRelu") return a >= 0 ? a : e.alpha * a;
  if (e.op == "Gelu") return gelu(a, e.alpha != 0);
  if (e.op == "Elu") return a > 0 ? a : e.alpha * std::expm1(a);
  return a;  // Identity, Dropout (inference)
}

std::optional<std::optional<LayerSpec>> identify_pointwise(const PointwiseExpr& e) {
  // Probes cover both tails and the bend of every candidate; the tolerance admits the float32
  // constants an exporter writes (sqrt(2) as 1.41421354: relative 2e-8) and separates GELU's
  // two forms (they differ by up to 5e-4) and softplus of different betas.
  static const std::vector<double> probes = {-9,  -6,  -4,  -3, -2.5, -2, -1.5, -1, -0.7, -0.3, -0.1, 0,
                                             0.1, 0.3, 0.7, 1,  1.5,  2,  2.5,  3,  4,    6,    9};
  auto f = [&](double x) { return evaluate_pointwise(e, x); };
  auto matches = [&](auto&& g) {
    for (double x : probes) {
      const double want = g(x), got = f(x);
      if (!(std::abs(got - want) <= 1e-6 * (1 + std::abs(want)))) return false;
    }
    return true;
  };
  auto layer = [](LayerType t) {
    LayerSpec l;
    l.type = t;
    return l;
  };
  if (matches([](double x) { return x; })) return std::optional<LayerSpec>{};
  if (matches([](double x) { return std::max(x, 0.0); })) return layer(LayerType::Relu);
  if (matches([](double x) { return sigmoid(x); })) return layer(LayerType::Sigmoid);
  if (matches([](double x) { return std::tanh(x); })) return layer(LayerType::Tanh);
  for (bool tanh_form : {false, true})
    if (matches([&](double x) { return gelu(x, tanh_form); })) {
      LayerSpec l = layer(LayerType::Gelu);
      l.tanh_approximation = tanh_form;
      return l;
    }
  if (const double slope = -f(-1); slope != 1 && matches([&](double x) { return x >= 0 ? x : slope * x; })) {
    LayerSpec l = layer(LayerType::LeakyRelu);
    l.negative_slope = slope;
    return l;
  }
  // softplus(0) = log(2) / beta. ONNX's Softplus has no threshold; PyTorch's default (20) is
  // taken, which differs from it by below 2e-9 (log1p(e^-20)).
  if (const double beta = std::log(2.0) / f(0);
      beta > 0 && std::isfinite(beta) && matches([&](double x) { return softplus(x, beta); })) {
    LayerSpec l = layer(LayerType::Softplus);
    // The exporter's beta is a float32 constant; f(0) recovers it to a few ulps of double.
    l.beta = std::abs(double(float(beta)) - beta) <= 1e-12 * beta ? double(float(beta)) : beta;
    return l;
  }
  return std::nullopt;
}

// Common activations a description does not have, by what they compute, for the message that
// refuses them (a SiLU exports as Sigmoid and Mul, an ELU as one op).
std::string name_unsupported_activation(const PointwiseExpr& e) {
  auto matches = [&](auto&& g) {
    for (double x = -6; x <= 6; x += 0.25) {
      const double want = g(x), got = evaluate_pointwise(e, x);
      if (!(std::abs(got - want) <= 1e-6 * (1 + std::abs(want)))) return false;
    }
    return true;
  };
  if (matches([](double x) { return x * sigmoid(x); })) return "SiLU (x * sigmoid(x))";
  if (matches([](double x) { return x * std::tanh(softplus(x, 1)); })) return "Mish (x * tanh(softplus(x)))";
  const double alpha = -evaluate_pointwise(e, -40);  // ELU's value far left: -alpha
  if (alpha > 0 && matches([&](double x) { return x > 0 ? x : alpha * std::expm1(x); }))
    return "ELU (x > 0 ? x : " + parameter_text::number(alpha) + " (e^x - 1))";
  if (matches([](double x) { return x * std::clamp(x + 3, 0.0, 6.0) / 6; }))
    return "Hardswish (x * relu6(x + 3) / 6)";
  return "";
}

// ---- element-wise nodes in the translation ----

namespace onnx_import {

namespace {

// The activation's tree so far: x itself when it has none.
Pointwise tree_of(const Meaning& m) { return m.pointwise ? m.pointwise : pointwise_input(); }

Meaning checked_run(const Translation& t, const OnnxNode& n, Meaning m) {
  if (m.pointwise->size > kMaxPointwiseSize)
    t.fail(n, "a run of element-wise ops too long to be an activation");
  return m;
}

Meaning pointwise_operand(Translation& t, const OnnxNode& n, size_t input) {
  Meaning m = t.meaning(n, input);
  if (!is_normal(m.axes)) t.fail(n, "an element-wise op on " + axes_string(m.axes) + " is not supported");
  if (m.pad || m.log_softmax) t.fail(n, "an element-wise op after a Pad or LogSoftmax is not supported");
  return m;
}

// A Dropout exported in train mode (its training_mode input true) drops values at random in
// PyTorch; here, as in every evaluation of a model, it is the identity.
void note_train_mode_dropout(Translation& t, const OnnxNode& n) {
  if (!t.has_input(n, 2)) return;
  const Meaning& mode = t.meaning(n, 2);
  if (!mode.constant || mode.tensor.values.empty() || mode.tensor.values[0] == 0) return;
  t.notes.push_back(n.label() +
                    " is a Dropout exported in train mode; it is read as the identity (eval mode), "
                    "as every evaluation here takes it");
}

OnnxTensor fold_binary(const Translation& t, const OnnxNode& n, const OnnxTensor& a, const OnnxTensor& b) {
  const bool a_scalar = a.values.size() == 1, b_scalar = b.values.size() == 1;
  if (!a_scalar && !b_scalar && a.dims != b.dims)
    t.fail(n, "broadcasting of constants of different shapes is not supported");
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

// A scalar is part of a point-wise function; a vector the bias of the linear layer a MatMul
// just added (or of a bias-free conv).
void activation_and_constant(Translation& t, const OnnxNode& n, size_t act) {
  const OnnxTensor& c = t.meaning(n, 1 - act).tensor;
  if (c.values.size() == 1) {
    Meaning y = pointwise_operand(t, n, act);
    const Pointwise x = tree_of(y), k = pointwise_constant(c.values[0]);
    y.pointwise = act == 0 ? pointwise_op(n.op, {x, k}) : pointwise_op(n.op, {k, x});
    return t.define(n, 0, checked_run(t, n, y));
  }
  Meaning y = t.meaning(n, act);
  if (n.op != "Add" || !is_identity(y.pointwise) || y.value == 0 || !is_normal(y.axes))
    t.fail(n, n.op + " of an activation and a constant of " + std::to_string(c.values.size()) +
                  " values is not supported (only a bias after MatMul or Conv)");
  Step& s = t.steps[y.value - 1];
  const bool biasable =
      (s.layer.type == LayerType::Linear || s.layer.type == LayerType::Conv2d) && !s.layer.bias;
  if (!biasable || c.values.size() != size_t(s.layer.out))
    t.fail(n, "adds " + std::to_string(c.values.size()) +
                  " constants to an activation that is not the output of a "
                  "bias-free linear or conv layer with as many outputs");
  s.layer.bias = true;
  s.blocks.push_back({s.layer.name + ".bias", c.values});
  t.define(n, 0, y);
}

// An Add of two different activations: a join, which the description makes a residual block
// (docs/algorithms.md §2.9, "Joins").
void add_join(Translation& t, const OnnxNode& n) {
  if (n.op != "Add")
    t.fail(n,
           "combines two different activations with " + n.op + "; only Add (a residual join) is supported");
  const int left = t.plain_input(n, 0, "an activation"), right = t.plain_input(n, 1, "an activation");
  if (t.dims_of(left) != t.dims_of(right))
    t.fail(n, "adds activations of shapes " +
                  shape_string(Shape(t.dims_of(left).begin(), t.dims_of(left).end())) + " and " +
                  shape_string(Shape(t.dims_of(right).begin(), t.dims_of(right).end())));
  LayerSpec join;
  join.type = LayerType::Residual;
  const int v = t.add_step(n, join, {left, right}, t.dims_of(left));
  t.define(n, 0, activation(v, normal_axes(t.dims_of(v))));
}

}  // namespace

void translate_unary_pointwise(Translation& t, const OnnxNode& n) {
  const Meaning& x = t.meaning(n, 0);
  if (x.constant) {
    OnnxTensor c = x.tensor;
    const Pointwise e =
        pointwise_op(n.op, {pointwise_input()}, n.float_attribute("alpha", n.op == "Elu" ? 1 : 0.01));
    for (double& v : c.values) v = evaluate_pointwise(*e, v);
    return t.define_constant(n, c);
  }
  Meaning y = pointwise_operand(t, n, 0);
  double alpha = n.op == "LeakyRelu" ? n.float_attribute("alpha", 0.01)
                 : n.op == "Elu"     ? n.float_attribute("alpha", 1)
                                     : 0;
  if (n.op == "Gelu") alpha = n.string_attribute("approximate", "none") == "tanh";
  y.pointwise = pointwise_op(n.op, {tree_of(y)}, alpha);
  t.define(n, 0, checked_run(t, n, y));
}

void translate_dropout(Translation& t, const OnnxNode& n) {
  note_train_mode_dropout(t, n);
  translate_unary_pointwise(t, n);
}

void translate_binary_pointwise(Translation& t, const OnnxNode& n) {
  const Meaning& a = t.meaning(n, 0);
  const Meaning& b = t.meaning(n, 1);
  if (a.constant && b.constant) return t.define_constant(n, fold_binary(t, n, a.tensor, b.tensor));
  if (a.constant || b.constant) return activation_and_constant(t, n, a.constant ? 1 : 0);
  if (a.value != b.value) return add_join(t, n);
  // two functions of one activation: x * erf(x / c), x * x, ...
  Meaning y = pointwise_operand(t, n, 0);
  const Meaning z = pointwise_operand(t, n, 1);
  y.pointwise = pointwise_op(n.op, {tree_of(y), tree_of(z)});
  t.define(n, 0, checked_run(t, n, y));
}

}  // namespace onnx_import

}  // namespace landscape
