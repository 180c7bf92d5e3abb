// landscape describe: what a model is, as this program reads it: its layers with their output
// shapes, its parameter table in the flat vector's order (the order of PyTorch's
// parameters_to_vector), and its FLOPs per example. For an ONNX model also the description it
// translates to (models/onnx_import.hpp), which --save-description writes as a JSON file and
// --save-weights its weights as a .npy vector, for any command's --model and --weights.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "io/atomic_file.hpp"
#include "io/npy.hpp"
#include "models/described_model.hpp"
#include "models/model.hpp"
#include "models/model_description.hpp"

namespace landscape {

int cmd_describe(int argc, char** argv) {
  Args args("describe",
            "Prints a model's layers (output shape per example, parameters, FLOPs), its parameter\n"
            "table (name, shape, offset into the flat vector) and its FLOPs per example. FLOPs count\n"
            "2 per multiply-add of the products (as the benchmarks' GFLOP/s); the elementwise column\n"
            "counts the values an activation or pooling computes.");
  args.flag("arch", "", kModelHelp, true)
      .flag("save-description", "", "write the model's description (JSON) to this file")
      .flag("save-weights", "", "write the weights an .onnx model holds to this .npy file (1-D, float64)");
  if (!args.parse(argc, argv)) return 0;
  const std::string path = model_description_path(args.str("arch"));
  const ModelDescription d = read_model_description(path);
  if (!args.str("save-weights").empty() && d.weights.empty())
    throw UsageError("--save-weights: " + path + " holds no weights (only an .onnx model does)");
  const auto model = make_described_model(d);
  std::printf("model %s (%s): input %s, loss %s, %zu parameters, %.4g FLOPs per example forward\n",
              d.name.c_str(), path.c_str(), shape_string(Shape(d.input.begin(), d.input.end())).c_str(),
              d.loss == LossKind::CrossEntropy ? "cross_entropy" : "mse_input", model->num_params(),
              model->forward_flops());
  // FLOPs: 2 per multiply-add of the products, as the benchmarks count them; element-wise: the
  // values an activation or pooling computes, which those leave out.
  std::printf("\n%-34s %-16s %12s %12s %12s\n", "layer", "output", "parameters", "FLOPs", "elementwise");
  for (const LayerSummary& l : summarize_layers(d)) {
    const std::string label = std::string(2 * l.depth, ' ') + l.type + (l.name.empty() ? "" : " " + l.name);
    std::printf("%-34s %-16s %12zu %12.4g %12.4g\n", label.c_str(), shape_string(l.output).c_str(),
                l.parameters, l.flops, l.elementwise);
  }
  // In the flat vector's order (PyTorch's parameters_to_vector), which need not be the layers'.
  std::vector<ParamBlock> blocks = model->layout();
  std::stable_sort(blocks.begin(), blocks.end(),
                   [](const ParamBlock& a, const ParamBlock& b) { return a.offset < b.offset; });
  std::printf("\n%-34s %-16s %12s\n", "parameter", "shape", "offset");
  for (const ParamBlock& b : blocks)
    std::printf("%-34s %-16s %12zu\n", b.name.c_str(), shape_string(b.shape).c_str(), b.offset);
  if (!d.parameter_order.empty())
    std::printf(
        "\nthe flat vector follows the module's registration order (parameters_to_vector), not the order "
        "the layers run in\n");
  for (const std::string& note : d.notes) std::printf("note: %s\n", note.c_str());
  if (is_onnx_path(path)) std::printf("\ntranslated description:\n%s", write_model_description(d).c_str());
  if (!args.str("save-description").empty())
    write_text_atomic(args.str("save-description"), write_model_description(d));
  if (!args.str("save-weights").empty())
    write_npy(args.str("save-weights"), d.weights.data(), 1, int64_t(d.weights.size()), true);
  return 0;
}

}  // namespace landscape
