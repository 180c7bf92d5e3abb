// ONNX's LSTM as a description's lstm layer (docs/algorithms.md §2.9, "Layers"): forward, one
// layer, default activations, zero initial state, with biases; its gates mapped back from
// ONNX's i, o, f, c to PyTorch's i, f, g, o.
#pragma once

#include "models/onnx_translation.hpp"

namespace landscape::onnx_import {

void translate_lstm(Translation& t, const OnnxNode& n);

}  // namespace landscape::onnx_import
