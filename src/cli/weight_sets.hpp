// --sets A.npy,B.npy[,...] and --labels a,b[,...]: the stacks of weight vectors that the
// analysis commands (kpca, stats; docs/algorithms.md §7) read, one vector per row as `landscape train`
// writes w_train.npy / w_test.npy (a 1-D file is one vector).
#pragma once

#include <string>
#include <vector>

#include "cli/args.hpp"
#include "experiments/analysis/weight_sets.hpp"

namespace landscape {

void add_weight_set_flags(Args& args);  // --sets (required), --labels

// The sets that --sets and --labels name (experiments/analysis/weight_sets.hpp reads them).
// Errors: a label count that differs from the set count (UsageError naming --labels), repeated
// labels, and read_weight_sets' (an empty set, sets of different widths naming both files).
std::vector<WeightSet> read_weight_sets(const Args& args);

}  // namespace landscape
