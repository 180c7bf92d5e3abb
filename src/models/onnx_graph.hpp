// An ONNX model file read into plain structs (docs/algorithms.md §2.9): the graph's nodes in
// their (topological) order, its initializers and constants as double tensors, the shapes of its
// inputs and outputs. This is the one file that knows ONNX's protobuf classes (Debian's
// libonnx-dev); models/onnx_import.cpp translates the plain graph into a model description, and
// tests build plain graphs by hand.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace landscape {

// A tensor of an ONNX file, its values widened to double (float32 weights exactly; int64 shape
// values exactly below 2^53). An unknown dimension (the batch of a graph input) is -1.
struct OnnxTensor {
  std::vector<int64_t> dims;
  std::vector<double> values;  // prod(dims) values in row-major order
  bool integer = false;        // of an integer type (shapes, indices, axes)
};

struct OnnxAttribute {
  enum class Kind { Int, Float, Ints, Floats, String, Tensor, Other } kind = Kind::Other;
  int64_t i = 0;
  double f = 0;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::string s;
  OnnxTensor t;
};

struct OnnxNode {
  std::string op, name;                      // op_type ("Gemm"), node name ("/fc1/Gemm")
  std::vector<std::string> inputs, outputs;  // value names; "" for an omitted optional input
  std::map<std::string, OnnxAttribute> attributes;

  int index = 0;  // position in the graph

  bool has(const std::string& key) const { return attributes.count(key) > 0; }
  int64_t int_attribute(const std::string& key, int64_t fallback) const {
    return has(key) ? attributes.at(key).i : fallback;
  }
  double float_attribute(const std::string& key, double fallback) const {
    return has(key) ? attributes.at(key).f : fallback;
  }
  std::vector<int64_t> ints_attribute(const std::string& key) const {  // {} when absent
    return has(key) ? attributes.at(key).ints : std::vector<int64_t>{};
  }
  std::string string_attribute(const std::string& key, const std::string& fallback) const {
    return has(key) ? attributes.at(key).s : fallback;
  }
  // For messages: "node 7 (Gemm '/fc1/Gemm')".
  std::string label() const {
    return "node " + std::to_string(index) + " (" + op + (name.empty() ? "" : " '" + name + "'") + ")";
  }
};

struct OnnxValueInfo {
  std::string name;
  std::vector<int64_t> dims;  // -1 where symbolic ("batch") or unknown
};

struct OnnxGraph {
  std::string file;  // where it was read from, for messages
  std::vector<OnnxNode> nodes;
  std::map<std::string, OnnxTensor> initializers;
  // The initializers' names in the file's order. torch.onnx.export writes them in state_dict
  // order, which is the registration order of parameters_to_vector (docs/algorithms.md §2.9);
  // empty for a graph built by hand (no order known).
  std::vector<std::string> initializer_order;
  std::vector<OnnxValueInfo> inputs;  // the graph inputs that are not initializers
  std::vector<OnnxValueInfo> outputs;
  int64_t opset = 0;  // of the default ("ai.onnx") domain
};

// Reads an ONNX model file; an Error naming the file when it is not one, holds external data,
// or this build has no ONNX support (meson -Donnx=enabled, Debian's libonnx-dev).
OnnxGraph read_onnx_graph(const std::string& path);
// The same from the file's bytes (`name` names it in errors): fuzz/fuzz_targets.hpp.
OnnxGraph parse_onnx_graph(const std::string& name, const std::string& bytes);

}  // namespace landscape
