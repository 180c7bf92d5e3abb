#include "models/onnx_pointwise.hpp"

#include <algorithm>
#include <cmath>

#include "core/parameter_table.hpp"

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
const std::vector<std::string> kUnary = {"Relu",      "Sigmoid", "Tanh", "Erf",      "Exp",
                                         "Log",       "Sqrt",    "Neg",  "Abs",      "Softplus",
                                         "LeakyRelu", "Elu",     "Gelu", "Identity", "Dropout"};
const std::vector<std::string> kBinary = {"Add", "Sub", "Mul", "Div", "Pow"};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

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

bool is_unary_pointwise_op(const std::string& op) { return contains(kUnary, op); }
bool is_binary_pointwise_op(const std::string& op) { return contains(kBinary, op); }
std::string pointwise_op_list() {
  std::string s;
  for (const auto* list : {&kBinary, &kUnary})
    for (const std::string& op : *list)
      if (op != "Elu") s += (s.empty() ? "" : ", ") + op;  // read only to name ELU when refusing it
  return s;
}

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

}  // namespace landscape
