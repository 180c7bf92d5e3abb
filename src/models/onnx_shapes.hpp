// The values an ONNX graph starts with, and the ops that only move axes or compute shapes
// (docs/algorithms.md §2.9, "Meanings, not patterns"): the glue torch.onnx.export writes around
// x.view(x.size(0), -1), a batch-first LSTM and out[:, -1]. On a constant they compute its value;
// on an activation they change its layout and add no layer, but for the flatten a Flatten or a
// Reshape to [batch, D] adds.
#pragma once

#include "models/onnx_translation.hpp"

namespace landscape::onnx_import {

// The graph's one input (its layout: [D], [T, I] or [C, H, W] an example) and its initializers
// (constants); an Error when the graph has other than one input and one output.
void declare_graph_values(Translation& t);

void translate_constant(Translation& t, const OnnxNode& n);
void translate_shape(Translation& t, const OnnxNode& n);
void translate_gather(Translation& t, const OnnxNode& n);
void translate_slice(Translation& t, const OnnxNode& n);
void translate_concat(Translation& t, const OnnxNode& n);
void translate_constant_of_shape(Translation& t, const OnnxNode& n);
void translate_cast(Translation& t, const OnnxNode& n);
void translate_transpose(Translation& t, const OnnxNode& n);
void translate_squeeze(Translation& t, const OnnxNode& n);
void translate_unsqueeze(Translation& t, const OnnxNode& n);
void translate_flatten(Translation& t, const OnnxNode& n);
void translate_reshape(Translation& t, const OnnxNode& n);

}  // namespace landscape::onnx_import
