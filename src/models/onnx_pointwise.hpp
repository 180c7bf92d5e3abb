// Activations as torch.onnx.export writes them (docs/algorithms.md §2.9). An exporter spells one
// activation in many ways: GELU as Div, Erf, Add, Mul, Mul (or as eight ops for its tanh form),
// Softplus(beta = 2) as Mul, Softplus, Div, LeakyRelu as one op. So the importer collects a run
// of element-wise ops on one activation into a tree and recognises it by what it computes: the
// tree is evaluated at probe points and compared with each activation a description can name.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/model_description.hpp"

namespace landscape {

struct PointwiseExpr;
using Pointwise = std::shared_ptr<const PointwiseExpr>;

// One node of the tree: "x" (the activation), "const", or an ONNX op name with its arguments
// (and LeakyRelu's alpha, Gelu's approximate as alpha 1 = tanh).
struct PointwiseExpr {
  std::string op;
  double constant = 0, alpha = 0;
  std::vector<Pointwise> args;
  double size = 1;  // nodes of the tree, shared ones counted each time (evaluation's cost)
};

// The largest tree the importer evaluates: runs beyond it are an Error (a graph of 60 ops
// x = x * x would otherwise take 2^60 steps to evaluate once).
inline constexpr double kMaxPointwiseSize = 1e5;

Pointwise pointwise_input();
Pointwise pointwise_constant(double c);
Pointwise pointwise_op(const std::string& op, std::vector<Pointwise> args, double alpha = 0);

double evaluate_pointwise(const PointwiseExpr& e, double x);
bool is_identity(const Pointwise& e);  // null or "x"

// The activation layer the tree computes (relu, leaky_relu with its slope, sigmoid, tanh,
// softplus with its beta, gelu in either form), nullopt when it is none of them; a tree equal
// to x itself gives an empty optional inside: the caller adds no layer.
std::optional<std::optional<LayerSpec>> identify_pointwise(const PointwiseExpr& e);
// For a tree identify_pointwise does not name: "SiLU (x * sigmoid(x))", ELU, Mish, Hardswish;
// "" when it is none of them either.
std::string name_unsupported_activation(const PointwiseExpr& e);

// ---- element-wise nodes in the translation (models/onnx_translation.hpp) ----
// On constants they compute the value; on one activation (with scalar constants) they grow its
// tree; an Add of a vector after a bias-free MatMul or Conv is its bias, and an Add of two
// different activations a residual join. Which ops are read: the table (onnx_op_table.hpp).

struct OnnxNode;
namespace onnx_import {
struct Translation;

void translate_unary_pointwise(Translation& t, const OnnxNode& n);   // Relu, Erf, Softplus, Identity, ...
void translate_dropout(Translation& t, const OnnxNode& n);           // the identity, noted in train mode
void translate_binary_pointwise(Translation& t, const OnnxNode& n);  // Add, Sub, Mul, Div, Pow
}  // namespace onnx_import

}  // namespace landscape
