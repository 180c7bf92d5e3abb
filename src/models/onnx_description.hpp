// The translation's steps read back as a model description (docs/algorithms.md §2.9, "Joins"
// and "Names and order"): from the graph's output up, each join a residual block, the flat
// vector in PyTorch's registration order where the file tells it, the weights at their offsets.
#pragma once

#include "models/onnx_translation.hpp"

namespace landscape::onnx_import {

// After every node: the description of the value the graph outputs, with its weights.
ModelDescription describe(Translation& t);

}  // namespace landscape::onnx_import
