// The model a command evaluates, its weights and the examples it evaluates them on: --arch,
// --weights, --split, --images, --activation, --data. One sub-table that every command and
// study evaluating given weights takes as its base (hessian, sharpness, surface, eval, the path
// commands, align), so the flags' names, defaults, ranges and help are written once
// (ParameterTable::include_base).
#pragma once

#include <memory>
#include <string>

#include "core/parameter_table.hpp"
#include "io/data_directory.hpp"
#include "io/dataset.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "models/model.hpp"

namespace landscape {

struct ModelOnData {
  std::string arch = "fcp";
  std::string weights;  // W.npy, one vector per row (eval of an .onnx model: its own when none)
  Split split = Split::Train;
  int images = 0;  // the first N examples of the split (0 = all)
  Activation activation = Activation::Softplus;
  std::string data_dir;  // --data (resolve_data_dir)
  static const ParameterTable<ModelOnData>& table();
};

inline const ParameterTable<ModelOnData>& ModelOnData::table() {
  using P = ModelOnData;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("arch", &P::arch, kModelHelp)
      .one_of(kShippedModels, kModelFileEndings)
      .field("weights", &P::weights, ".npy weights, one vector per row")
      .field("split", &P::split, "train | test: the loss of which split", kSplitNames)
      .field("images", &P::images, "use the first N examples of the split (0 = all)").range(0, 1 << 30)
      .field("activation", &P::activation, "softplus (published code) | relu (paper's text)", kActivationNames)
      .field("data", &P::data_dir, kDataDirHelp);
  // clang-format on
  return t;
}

// --arch with --activation (UsageError naming --arch).
std::unique_ptr<Model> make_model(const ModelOnData& m);
// --weights read and checked against the model's length and for NaN (or an .onnx model's own
// weights when --weights is not given).
NpyMatrix read_model_weights(const ModelOnData& m, const Model& model);
// The first --images examples of --split from --data, checked to fit the model.
Dataset load_examples(const ModelOnData& m, const Model& model);

// The three together, for a command that evaluates every row of --weights on the examples.
struct LoadedModelOnData {
  std::unique_ptr<Model> model;
  NpyMatrix weights;
  Dataset data;
};
LoadedModelOnData load_model_on_data(const ModelOnData& m);

}  // namespace landscape
