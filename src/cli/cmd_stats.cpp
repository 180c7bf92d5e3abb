// landscape stats: Table S1 and Figure 5 for weight sets (docs/algorithms.md §7.1, §7.2).
#include <cstdio>
#include <ostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/weight_sets.hpp"
#include "core/strings.hpp"
#include "io/atomic_file.hpp"
#include "landscape/analysis/weight_stats.hpp"

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
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);
  const std::string out = args.str("out");

  const std::vector<WeightSet> sets = read_weight_sets(args);
  std::vector<SetStatistics> stats;
  std::vector<std::vector<double>> centroids;
  for (const WeightSet& s : sets) {
    stats.push_back(set_statistics(s.vectors));
    centroids.push_back(stats.back().centroid);
  }
  const std::vector<double> origin = common_origin(centroids);
  make_directories(out);

  write_file_atomic(out + "/stats.csv", [&](std::ostream& os) {
    os << "set,mean,std,centroid_norm\n";
    for (size_t s = 0; s < sets.size(); ++s)
      os << sets[s].label << "," << number_text(stats[s].mean) << "," << number_text(stats[s].std)
         << "," << number_text(stats[s].centroid_norm) << "\n";
  });
  write_file_atomic(out + "/lengths.csv", [&](std::ostream& os) {
    os << "set,row,distance\n";
    for (const WeightSet& s : sets) {
      const std::vector<double> d = distances_to(s.vectors, origin);
      for (size_t r = 0; r < d.size(); ++r)
        os << s.label << "," << r << "," << number_text(d[r]) << "\n";
    }
  });
  std::fprintf(stderr, "stats: %zu sets of vectors of %d components; wrote %s/stats.csv, "
               "lengths.csv\n", sets.size(), sets[0].vectors.dim(1), out.c_str());
  return 0;
}

}  // namespace landscape
