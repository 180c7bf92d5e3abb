// The ONNX ops that become a description's layers (docs/algorithms.md §2.9, "Layers"): Gemm and
// MatMul a linear layer, Conv a conv2d, MaxPool and AveragePool the pooling layers, a zero Pad
// the padding of the Conv or AveragePool after it, a LogSoftmax at the output dropped (the loss
// takes logits). An attribute a description cannot say (groups, dilation, ceil_mode, ...) is an
// Error naming the node.
#pragma once

#include "models/onnx_translation.hpp"

namespace landscape::onnx_import {

void translate_linear(Translation& t, const OnnxNode& n);  // Gemm, MatMul
void translate_conv(Translation& t, const OnnxNode& n);
void translate_pool(Translation& t, const OnnxNode& n);  // MaxPool, AveragePool
void translate_pad(Translation& t, const OnnxNode& n);
void translate_log_softmax(Translation& t, const OnnxNode& n);

}  // namespace landscape::onnx_import
