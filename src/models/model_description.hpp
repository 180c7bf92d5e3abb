// A network described in a file (docs/algorithms.md §2.8): a JSON document naming the input
// shape, the loss and the layers in order, the way one would write the nn.Sequential of the same
// network in PyTorch. The four models of the study are shipped as such files (models/*.json,
// `--arch fcp` is models/fcp.json) and a user's network is read by the same code.
//
//   {"name": "fcp", "input": [784], "loss": "cross_entropy",
//    "layers": [{"type": "linear", "name": "fc1", "out_features": 50, "bias": false},
//               {"type": "softplus"}, ...]}
//
// Parameter names follow PyTorch's: a layer's `name` is its module path (default: its index in
// the list, as nn.Sequential numbers its modules), its blocks are NAME.weight, NAME.bias, and the
// order of the flat vector is the order of the layers, so parameters_to_vector(model.parameters())
// of the equivalent module is our vector. Unknown keys, missing ones and bad values are Errors
// naming the file, the layer and the key.
#pragma once

#include <string>
#include <vector>

namespace landscape {

enum class LayerType {
  Linear,
  Conv2d,
  AvgPool2d,
  MaxPool2d,
  Flatten,
  Relu,
  Softplus,
  Tanh,
  Sigmoid,
  LeakyRelu,
  Gelu,
  Residual,
  Lstm,
};

const char* layer_type_name(LayerType t);  // as written in a file: "linear", "conv2d", ...

struct LayerSpec {
  LayerType type = LayerType::Linear;
  std::string name;  // module path of its parameters ("fc1", "encoder.0", "3"); "" without any
  // linear: out_features; conv2d: out_channels
  int out = 0;
  bool bias = true;  // linear, conv2d
  // conv2d and pooling: a square kernel, stride (pooling: default the kernel size), zero
  // padding on every side (max pooling pads with -inf, as PyTorch)
  int kernel = 0, stride = 1, padding = 0;
  double negative_slope = 0.01;         // leaky_relu
  double beta = 1, threshold = 20;      // softplus, PyTorch's Softplus(beta, threshold)
  bool tanh_approximation = false;      // gelu: approximate = "tanh" (else "none": the erf form)
  int input_size = 0, hidden_size = 0;  // lstm: features per step, hidden units
  bool published_permutation = false;   // lstm: permute the pixels as the study's LSTM does
  std::vector<LayerSpec> body;          // residual: output = body(x) + skip(x)
  std::vector<LayerSpec> projection;    // residual: the skip's linear or conv2d (none: identity)
};

enum class LossKind { CrossEntropy, MseInput };  // mean cross-entropy on logits; MSE vs the input

struct ModelDescription {
  std::string name;        // the model's name in outputs (the study's: fcp, lenet, lstm, ae)
  std::string file;        // where it was read from, for messages
  std::vector<int> input;  // per-example shape: [D] or [C,H,W]
  LossKind loss = LossKind::CrossEntropy;
  std::vector<LayerSpec> layers;
  // The parameters the file itself holds, in the flat vector's order: an ONNX model's
  // initializers (models/onnx_import.hpp); empty for a JSON description.
  std::vector<double> weights;
  // The order of the parameter blocks in the flat vector when it is not the order the layers run
  // in: PyTorch's registration order (parameters_to_vector), block names as in the layout. Read
  // from an ONNX file's initializers or a description's "parameter_order"; empty: run order.
  std::vector<std::string> parameter_order;
  // What the import could not say for sure, for `describe` and a warning at load.
  std::vector<std::string> notes;
  // Convolutions that look like BatchNorm folded into them by the exporter (a bias under a
  // generated name): layer name and channels; for the weights-length message.
  std::vector<std::pair<std::string, int>> folded_batchnorm;
};

// `text`: the JSON document; `file` names it in errors.
ModelDescription parse_model_description(const std::string& text, const std::string& file);
bool is_onnx_path(const std::string& path);  // ends in .onnx

// A .onnx file is translated (models/onnx_import.hpp), anything else read as JSON.
ModelDescription read_model_description(const std::string& path);

// The JSON document of a description, which parse_model_description reads back to the same
// description (its weights aside): what `landscape describe` prints for an ONNX model.
std::string write_model_description(const ModelDescription& d);

// The description file `--arch NAME` / `--model FILE` stands for: the shipped one of a short
// name, else NAME itself when it ends in .json or .onnx; UsageError naming --arch otherwise.
std::string model_description_path(const std::string& arch);

// The shipped description of a short name (fcp, lenet, lstm, ae): <source root>/models/NAME.json,
// the root from $LANDSCAPE_SOURCE_ROOT or the build's source tree; "" when NAME is not shipped.
std::string shipped_model_path(const std::string& name);

}  // namespace landscape
