// ONNX models as model descriptions (docs/algorithms.md §2.9): `--model net.onnx` reads the
// graph (models/onnx_graph.hpp), translates its nodes into the layers of a description
// (models/model_description.hpp) and takes the weights from its initializers, in the order of
// the description's parameter table: for a module exported by torch.onnx.export whose layers are
// registered in the order they run (nn.Sequential, and most modules), the order of PyTorch's
// parameters_to_vector(model.parameters()), the LSTM's gates mapped back from ONNX's i,o,f,c.
#pragma once

#include <string>

#include "models/model_description.hpp"
#include "models/onnx_graph.hpp"

namespace landscape {

// The description of the graph, with `weights` set from its initializers. An op outside the
// supported set is an Error naming the op, its node and the supported ops; so is a supported op
// used in a way a description cannot say (a Conv with groups, an Add of two long branches, ...).
ModelDescription translate_onnx_graph(const OnnxGraph& g);

ModelDescription read_onnx_model(const std::string& path);

// The ops the translation reads, for messages: made from the op table (onnx_op_table.hpp).
std::string onnx_supported_ops();

}  // namespace landscape
