// Beyond the paper (docs/algorithms.md §10.10): the curvature and sharpness of every vector of a
// model's four weight sets, so the study can say in numbers whether L-BFGS-GSS minima are
// sharper than SGD's ("deeper, more isolated" in the paper's words). With the preset key
// curvature_images = N > 0, on the loss over the first N training images:
//   the Hessian's and the Gauss-Newton matrix's lambda_max (Lanczos, kCurvatureIterations steps),
//   the Hessian's trace (Hutchinson, kCurvatureProbes probes) and
//   the adaptive worst-case sharpness at rho = kStudySharpnessRho (§10.9).
//
//   OUT/<arch>/analysis/curvature.csv   set,row,loss,hessian_lambda_max,ggn_lambda_max,
//                                       hessian_trace,hessian_trace_se,adaptive_sharpness
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/mnist.hpp"
#include "models/model.hpp"

namespace landscape {

inline constexpr int kCurvatureIterations = 20;
inline constexpr int kCurvatureProbes = 10;
inline constexpr double kStudySharpnessRho = 0.1;

// set_files: the four sets' .npy stacks, in kWeightSets order; names: their set names.
void analyse_set_curvature(const Model& model, const Dataset& data, const std::vector<std::string>& set_files,
                           const std::vector<std::string>& names, std::uint64_t seed,
                           const std::string& out_file);

}  // namespace landscape
