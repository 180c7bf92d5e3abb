// What `landscape path` and `landscape compare-paths` share: the flags of the path methods
// (landscape/paths/path_method.hpp) and of the landscape the paths run on, either a model's mean loss
// between rows of a weights file or a 2-D test surface between two points
// (experiments/paths/path_problem.hpp builds it). Each set of flags is a parameter table.
#pragma once

#include "cli/args.hpp"
#include "experiments/paths/path_problem.hpp"
#include "landscape/paths/path_method.hpp"

namespace landscape {

// --terms --points --lambda --lr --steps --point-loss --grad-noise --select (FourierPathFinder),
// --neb-images --neb-max-images --neb-spring --neb-cycle --neb-insert, --curve-samples.
void add_path_method_flags(Args& args);
PathMethodParams read_path_method_params(const Args& args);

// PathProblemSpec's flags (--arch --weights --pairs --random-pairs --seed --split --images, or
// --landscape fig3|mueller-brown --from X,Y --to X,Y) and the model's --activation --data.
void add_path_landscape_flags(Args& args);

// The landscape and end points those flags name (built by PathProblem).
PathProblemSpec read_path_problem(const Args& args);

// The same for a command that needs a model (align): the flags without --landscape --from --to.
void add_model_pairs_flags(Args& args);
PathProblemSpec read_model_pairs(const Args& args);

}  // namespace landscape
