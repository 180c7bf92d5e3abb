// landscape align: row j of each pair permuted to match row i (weight or activation matching,
// docs/algorithms.md §14; experiments/alignment/alignment_run.hpp), with the distance and the
// straight line's barrier before and after. Beyond the paper: how much of a barrier between two
// minima is a permutation of their hidden units?
#include <cstdio>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/path_flags.hpp"
#include "core/error.hpp"
#include "experiments/alignment/alignment_run.hpp"

namespace landscape {

int cmd_align(int argc, char** argv) {
  Args args("align",
            "For each pair i-j of rows of a weights file, row j with its hidden units permuted to\n"
            "match row i: by weight matching (Git Re-Basin's Algorithm 1, the default) or by the\n"
            "correlations of the units' activations on the landscape's examples. Writes\n"
            "DIR/aligned.npy (one row per pair: row j permuted) and DIR/align.csv\n"
            "(i,j,distance_before,distance_after,H_linear_before,H_linear_after,H_excess_before,\n"
            "H_excess_after; H_linear: the highest loss on the straight line from row i, at --points\n"
            "points; H_excess: its highest rise above the blend of the two end losses).");
  add_model_pairs_flags(args);
  args.declare(AlignParams::table()).flag("out", "", "output directory", true);
  if (!parse_with_threads(args, argc, argv)) return 0;
  const AlignParams params = args.read(AlignParams::table());
  const PathProblem problem(read_model_pairs(args));
  const std::vector<AlignedPair> pairs = run_alignment(problem, params, args.str("out"));
  std::fprintf(stderr, "align: %zu pairs in %s/align.csv and aligned.npy\n", pairs.size(),
               args.str("out").c_str());
  return 0;
}

}  // namespace landscape
