// The model a description file describes (models/model_description.hpp; docs/algorithms.md
// §2.8): its parameter layout from the layers, its forward pass as the graph of the same ops
// the layers name, in order. The study's four models are shipped descriptions built here, so
// the fast paths are chosen by rules that hold for any description, not by model name:
//   - a first layer that is linear on the flat input is the input layer that many-point
//     evaluations share (models/input_layer.hpp); linear() itself skips the images' zeros;
//   - an lstm layer is the fused lstm_layer op;
//   - images per chunk (Model::chunk_images): 8 with a convolution, 16 with an LSTM, else 256,
//     the values measured for LeNet, the LSTM and FCP (bench/README.md).
#pragma once

#include <memory>

#include "models/model.hpp"
#include "models/model_description.hpp"

namespace landscape {

// Every layer's shapes are checked against its input's, with an Error naming the file, the
// layer and both shapes (a linear layer after a convolution needs a flatten, a residual body
// must keep its input's shape or have a projection, ...).
std::unique_ptr<Model> make_described_model(const ModelDescription& d);

// One line of `landscape describe`: a layer (residual blocks' layers indented under them) with
// the shape it gives per example and the parameters it holds.
struct LayerSummary {
  int depth = 0;           // 0 at the top, 1 inside a residual block, ...
  std::string type, name;  // "conv2d", "conv1"; name "" for a layer without parameters
  Shape output;
  size_t parameters = 0;
  double flops = 0;  // per example, as Model::forward_flops counts them (products only)
  // Per example: the values an activation or pooling computes (a GELU's erf per element), which
  // the FLOPs of the products, the benchmarks' GFLOP/s, leave out.
  double elementwise = 0;
};
std::vector<LayerSummary> summarize_layers(const ModelDescription& d);

}  // namespace landscape
