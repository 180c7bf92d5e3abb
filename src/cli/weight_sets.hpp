// --sets A.npy,B.npy[,...] and --labels a,b[,...]: the stacks of weight vectors that the
// analysis commands (kpca, stats; docs/algorithms.md §7) read, one vector per row as `landscape train`
// writes w_train.npy / w_test.npy (a 1-D file is one vector).
#pragma once

#include <string>
#include <vector>

#include "cli/args.hpp"
#include "core/tensor.hpp"

namespace landscape {

struct WeightSet {
  std::string label;  // --labels, else the file's name without directory and .npy
  std::string path;
  Tensor vectors;     // [N,P] owning
};

void add_weight_set_flags(Args& args);  // --sets (required), --labels

// Reads every set. Errors: a label count that differs from the set count (UsageError naming
// --labels), repeated labels, an empty set, and sets of different widths (naming both files).
std::vector<WeightSet> read_weight_sets(const Args& args);

// The sets one after another: [sum N, P].
Tensor stack_weight_sets(const std::vector<WeightSet>& sets);

}  // namespace landscape
