// What `landscape path` and `landscape compare-paths` share: the flags of the path methods
// (landscape/paths/path_method.hpp) and of the landscape the paths run on, either a model's mean loss
// between rows of a weights file or a 2-D test surface between two points
// (experiments/paths/path_problem.hpp builds it).
#pragma once

#include <string>

#include "cli/args.hpp"
#include "experiments/paths/path_problem.hpp"
#include "landscape/paths/path_method.hpp"
#include "landscape/paths/saddle_refinement.hpp"

namespace landscape {

// --terms --points --lambda --lr --steps --point-loss --grad-noise --select (FourierPathFinder),
// --neb-images --neb-max-images --neb-spring --neb-cycle --neb-insert, --curve-samples,
// --refine --refine-steps --refine-images.
void add_path_method_flags(Args& args);
PathMethodParams read_path_method_params(const Args& args);
RefineParams read_refine_params(const Args& args);

// --arch --weights --pairs --random-pairs --seed --split --images --activation --data, or
// --landscape fig3|mueller-brown --from X,Y --to X,Y.
void add_path_landscape_flags(Args& args);

// The landscape and end points those flags name (built by PathProblem).
PathProblemSpec read_path_problem(const Args& args);

}  // namespace landscape
