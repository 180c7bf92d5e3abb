// The ONNX ops the import reads, one row each (the table: onnx_import.cpp). A node's op is
// looked up here and its row's function translates it; the supported list that an unsupported
// op's error shows (onnx_supported_ops) is made from the rows, so it is what is read.
#pragma once

#include <vector>

#include "models/onnx_graph.hpp"

namespace landscape::onnx_import {

struct Translation;

// Where a row stands in the supported list: "Gemm, ..., LogSoftmax (at the output), the
// element-wise ops Add, ... (as relu, ...), and the glue Constant, ...".
enum class OnnxOpPart {
  Layer,
  Elementwise,
  Glue,
  Unlisted,  // read, but not offered: an op read only to name what a refused run computes
};

struct OnnxOp {
  const char* name;  // the node's op_type
  void (*translate)(Translation& t, const OnnxNode& n);
  OnnxOpPart part;
  const char* note;  // in the list after the name, in parentheses; "" for none
};

const std::vector<OnnxOp>& op_table();

}  // namespace landscape::onnx_import
