// landscape surface: loss-surface plots of Li et al. (2018) around a solution, through a pair of
// solutions, or over a training trajectory (docs/algorithms.md §9); experiments/related/surface_study.hpp.
#include <cstdio>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "experiments/related/surface_study.hpp"

namespace landscape {

int cmd_surface(int argc, char** argv) {
  Args args("surface",
            "Loss and accuracy on a 1-D line or a 2-D grid through weight space (Li et al. 2018):\n"
            "random filter-normalised directions around --weights row K, the plane through rows K\n"
            "and J (pair), the first principal axes of the rows of --weights (pca), or of a\n"
            "training trajectory (--trajectory run-NNN/snapshots.npy from train --snapshots),\n"
            "drawn under the loss contours. Writes DIR/surface.csv, surface.png/.svg (with its\n"
            "data and script), projections.csv, center.npy, directions.npy, manifest.json.\n"
            "Rerunning the same command continues where it stopped.");
  args.declare(SurfaceParams::table()).require({"arch"}).flag("out", "", "output directory", true);
  if (!parse_with_threads(args, argc, argv)) return 0;

  SurfaceParams p = args.read(SurfaceParams::table());
  if (!args.given("directions") && !p.trajectory.empty()) p.directions = "pca";

  const SurfaceResult r = run_surface(p, args.str("out"), args.command_line());
  std::fprintf(stderr, "surface: %zu points (%d resumed), loss %.6g at the centre, figure %s in %s\n",
               r.points.size(), r.points_resumed, r.center_loss, r.drawn ? "drawn" : "NOT drawn",
               args.str("out").c_str());
  return 0;
}

}  // namespace landscape
