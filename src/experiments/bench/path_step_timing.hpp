// `landscape path --time-step`, the performance point of the issue: one FourierPathFinder
// optimisation step (the M point evaluations with their gradients in parallel, the b-gradient,
// Adam; docs/algorithms.md §5) against M whole-dataset loss+gradient evaluations done back to
// back, each of those using every thread over the data.
//
// Legend: P = landscape dimension.
#pragma once

#include <span>
#include <string>

#include "core/scalar.hpp"
#include "landscape/landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"

namespace landscape {

struct PathStepTiming {
  std::size_t points = 0;  // M
  // Wall time, and the process's CPU time (all threads) as a check when the machine is shared.
  double step_wall = 0, step_cpu = 0;                // one optimisation step
  double evaluations_wall = 0, evaluations_cpu = 0;  // M evaluations back to back
};

// The step from the path w_i -> w_j [P] with b = 0.
PathStepTiming time_path_step(const Landscape& f, std::span<const Scalar> w_i, std::span<const Scalar> w_j,
                              const PathParams& params);

// The report's lines, the landscape named by `landscape`.
std::string path_step_report(const PathStepTiming& t, const std::string& landscape);

}  // namespace landscape
