// landscape stats: Table S1 and Figure 5 for weight sets (docs/algorithms.md §7.1, §7.2).
#include <cstdio>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/weight_sets.hpp"

namespace landscape {

int cmd_stats(int argc, char** argv) {
  Args args("stats",
            "Per set: mean and standard deviation (population, divisor N P) of all components\n"
            "and the norm of the centroid -> DIR/stats.csv (set,mean,std,centroid_norm), Table\n"
            "S1. The common origin is the midpoint of the two centroids (for S sets, the mean\n"
            "of the S centroids); each vector's distance to it -> DIR/lengths.csv\n"
            "(set,row,distance), the histograms of Figure 5.");
  add_weight_set_flags(args);
  args.flag("out", "", "output directory", true);
  if (!parse_with_threads(args, argc, argv)) return 0;
  const std::string out = args.str("out");

  const std::vector<WeightSet> sets = read_weight_sets(args);
  write_set_statistics(sets, out, "%.17g");
  std::fprintf(stderr,
               "stats: %zu sets of vectors of %d components; wrote %s/stats.csv, "
               "lengths.csv\n",
               sets.size(), sets[0].vectors.dim(1), out.c_str());
  return 0;
}

}  // namespace landscape
