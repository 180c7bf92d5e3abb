// `landscape sharpness` (docs/algorithms.md §10.9; landscape/sharpness/sharpness.hpp): for each
// chosen row of a weights file, the worst-case and average sharpness in the plain and the adaptive
// scale at every --rho, and Keskar's epsilon-sharpness, on the loss of --split over its first
// --images examples. Beyond the paper: "sharper" as a number that a layer-wise rescaling of a
// ReLU network does not change.
//
//   DIR/sharpness.csv   row,loss,measure,scale,rho,value,standard_error,evaluations
//                       measure = worst | average | keskar (keskar: scale "box", rho = epsilon)
//   DIR/manifest.json   provenance and parameters
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "experiments/support/model_on_data.hpp"
#include "landscape/sharpness/sharpness.hpp"
#include "models/model.hpp"

namespace landscape {

struct SharpnessStudyParams : ModelOnData {  // the model, its weights and the examples
  std::string rows = "0";
  std::vector<double> rho = {0.01, 0.05, 0.1};
  std::vector<SharpnessScale> scales = {SharpnessScale::Plain, SharpnessScale::Adaptive};
  int steps = 20, restarts = 3, samples = 20;
  double epsilon = 1e-3;  // Keskar's box; 0: skip it
  std::uint64_t seed = 0;
  static const ParameterTable<SharpnessStudyParams>& table();
};

inline const ParameterTable<SharpnessStudyParams>& SharpnessStudyParams::table() {
  using P = SharpnessStudyParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .include_base(ModelOnData::table())
      .field("rows", &P::rows, "'all' or row numbers, e.g. 0,3,7")
      .field("rho", &P::rho, "radii of the neighbourhood, comma-separated").above(0)
      .field("scale", &P::scales, "plain | adaptive (|w|-scaled), comma-separated", kSharpnessScaleNames)
      .field("steps", &P::steps, "worst case and Keskar: gradient steps per start").range(1, 100000)
      .field("restarts", &P::restarts, "worst case and Keskar: starts (the first at w itself)").range(1, 10000)
      .field("samples", &P::samples, "average sharpness: Gaussian draws").range(1, 1000000)
      .field("epsilon", &P::epsilon, "Keskar's box epsilon (|w|+1); 0 skips it").at_least(0)
      .field("seed", &P::seed, "seed of the starts and the draws").range(0, double(1LL << 62));
  // clang-format on
  return t;
}

struct SharpnessRow {
  long row = 0;
  double loss = 0;
  std::string measure, scale;  // worst | average | keskar; plain | adaptive | box
  double rho = 0;
  SharpnessValue value;
};

// Every measure of one weight vector, in the order of sharpness.csv.
std::vector<SharpnessRow> sharpness_of(const Model& model, const Dataset& data, const Scalar* w, long row,
                                       const SharpnessStudyParams& p);

// The command: every row of --rows, then sharpness.csv and the manifest in out_dir.
std::vector<SharpnessRow> run_sharpness(const SharpnessStudyParams& params, const std::string& out_dir,
                                        const std::string& command_line);

}  // namespace landscape
