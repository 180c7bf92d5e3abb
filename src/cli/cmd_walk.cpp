// landscape walk: the loss between consecutive SGD iterates (Xing, Arpit et al. 2018,
// docs/algorithms.md §11; experiments/related/sgd_walk.hpp), over a sweep of learning rates and batch sizes.
#include <cstdio>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "experiments/related/sgd_walk.hpp"

namespace landscape {

int cmd_walk(int argc, char** argv) {
  Args args("walk",
            "Trains by SGD from one seeded initialisation and, every k-th step, evaluates the loss\n"
            "at M points on the segment between the iterates before and after the step: on the\n"
            "step's mini-batch and on a fixed evaluation subset (the first N training images).\n"
            "Per step: the valley floor (lowest point: position alpha*, depth), the heights of\n"
            "the iterates above it, |step|, the distance from the initialisation, the cosine\n"
            "between consecutive steps. Lists in --lr and --batch run every combination from the\n"
            "same start. Writes DIR/lr<lr>-batch<b>/{steps,segments,curve}.csv, DIR/summary.csv,\n"
            "figures DIR/walk_valley.png and DIR/walk_story.png, DIR/manifest.json.");
  args.declare(WalkConfig::table()).require({"arch"}).flag("out", "", "output directory", true);
  if (!parse_with_threads(args, argc, argv)) return 0;

  const WalkConfig c = args.read(WalkConfig::table());

  const std::string out = args.str("out");
  const std::vector<WalkSummary> s = run_walk_study(c, out, args.command_line());
  std::fprintf(stderr, "walk: %-22s %6s %10s %8s %9s %9s %10s\n", "run", "steps", "height", "floor",
               "interior", "cosine", "distance");
  for (const WalkSummary& w : s)
    std::fprintf(stderr, "walk: %-22s %6ld %10.4g %8.3f %9.2f %9.3f %10.4g\n", w.name.c_str(), w.steps,
                 w.height, w.floor_alpha, w.interior, w.cosine, w.distance);
  std::fprintf(stderr, "walk: results in %s (summary.csv, walk_valley.png, walk_story.png)\n", out.c_str());
  return 0;
}

}  // namespace landscape
