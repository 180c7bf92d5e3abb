// The state of an ONNX graph's translation into a model description (docs/algorithms.md §2.9),
// shared by the files that translate its ops (onnx_shapes, onnx_pointwise, onnx_layers,
// onnx_lstm; onnx_op_table.hpp picks one for a node) and the one that reads the description off
// the steps (onnx_description).
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
// a graph in which every join closes a fork, become the nested list of a description.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/model_description.hpp"
#include "models/onnx_graph.hpp"
#include "models/onnx_pointwise.hpp"

namespace landscape::onnx_import {

// In a shape computed by the graph (the output of Shape and what is built from it): the batch,
// unknown until the model runs. NaN survives Gather, Concat and Unsqueeze, as the batch does.
inline const double kBatch = std::numeric_limits<double>::quiet_NaN();

inline constexpr int64_t kMaxSize = int64_t(1) << 24;  // a description's largest size (model_description.cpp)

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

using Blocks = std::vector<std::pair<std::string, std::vector<double>>>;  // "fc1.weight" -> values

struct Step {
  LayerSpec layer;
  std::vector<int> inputs;  // translated values it reads: one, or two for a join (Add)
  std::vector<int> dims;    // per example, after it
  Blocks blocks;
};

std::vector<Axis> normal_axes(const std::vector<int>& dims);  // [batch, dims...]
bool is_normal(const std::vector<Axis>& axes);
std::string axes_string(const std::vector<Axis>& axes);  // for messages: "[batch,3,lstm steps 5]"
size_t count(const std::vector<int>& dims);              // values per example
int64_t normalized_axis(int64_t axis, size_t rank);      // -1 -> rank - 1
Meaning constant_value(OnnxTensor t);
Meaning activation(int value, std::vector<Axis> axes);

struct Translation {
  explicit Translation(const OnnxGraph& graph);

  // ---- values ----
  [[noreturn]] void fail(const OnnxNode& n,
                         const std::string& what) const;  // "FILE: node k (OP 'name'): what"
  Meaning& meaning(const OnnxNode& n, size_t input);      // an Error when it is missing or unusable
  bool has_input(const OnnxNode& n, size_t input) const;
  const OnnxTensor& constant(const OnnxNode& n, size_t input, const char* what);
  std::vector<int64_t> constant_ints(const OnnxNode& n, size_t input, const char* what);
  int64_t whole(const OnnxNode& n, double v, const char* what) const;
  int layer_size(const OnnxNode& n, int64_t v, const char* what) const;
  void define(const OnnxNode& n, size_t output, Meaning m);
  void define_constant(const OnnxNode& n, OnnxTensor t);
  const std::vector<int>& dims_of(int value) const;

  // ---- steps ----
  int add_step(const OnnxNode& n, LayerSpec layer, std::vector<int> inputs, std::vector<int> dims,
               Blocks blocks = {});
  int materialize(const OnnxNode& n, Meaning& m);
  int plain_input(const OnnxNode& n, size_t input, const char* needs);

  const OnnxGraph& g;
  std::vector<OnnxNode> nodes;  // the graph's, numbered from 0 for messages
  std::map<std::string, Meaning> values;
  std::vector<Step> steps;
  std::vector<int> input_dims;
  int64_t declared_batch = -1;
  std::set<std::string> names;     // the layers' names so far (unique_name)
  std::vector<std::string> notes;  // ModelDescription::notes

 private:
  std::string unique_name(const OnnxNode& n);
};

}  // namespace landscape::onnx_import
