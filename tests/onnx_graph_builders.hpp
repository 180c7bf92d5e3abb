// Small ONNX graphs built by hand for the import's tests (test_onnx_import.cpp,
// test_pytorch_user_models.cpp): a tensor filled with one value, a node, attributes.
#pragma once

#include <string>
#include <vector>

#include "models/onnx_graph.hpp"

namespace landscape {
namespace testing {

inline OnnxTensor tensor(std::vector<int64_t> dims, double fill = 0.1) {
  size_t n = 1;
  for (int64_t d : dims) n *= size_t(d);
  return OnnxTensor{dims, std::vector<double>(n, fill), false};
}

// A node named "/OP" unless `name` is given.
inline OnnxNode node(const char* op, std::vector<std::string> in, std::vector<std::string> out,
                     std::string name = "") {
  OnnxNode n;
  n.op = op;
  n.name = name.empty() ? std::string("/") + op : name;
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  return n;
}

inline OnnxAttribute ints(std::vector<int64_t> v) {
  OnnxAttribute a;
  a.kind = OnnxAttribute::Kind::Ints;
  a.ints = std::move(v);
  return a;
}
inline OnnxAttribute integer(int64_t v) {
  OnnxAttribute a;
  a.kind = OnnxAttribute::Kind::Int;
  a.i = v;
  return a;
}
inline OnnxAttribute text(const char* s) {
  OnnxAttribute a;
  a.kind = OnnxAttribute::Kind::String;
  a.s = s;
  return a;
}

}  // namespace testing
}  // namespace landscape
