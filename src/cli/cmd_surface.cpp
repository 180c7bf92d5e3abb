// landscape surface: loss-surface plots of Li et al. (2018) around a solution, through a pair of
// solutions, or over a training trajectory (NOTES.md section 9); experiments/related/surface_study.hpp.
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
  args.flag("arch", "", "model: fcp | lenet | lstm | ae", true)
      .flag("weights", "", ".npy weights, one vector per row (or --trajectory)")
      .flag("row", "0", "row of --weights at the centre (pair: w_i)")
      .flag("trajectory", "", ".npy stack of iterates, last = final (implies --directions pca)")
      .flag("directions", "random", "random (filter-normalised) | pca | pair")
      .flag("row2", "", "pair: row J of w_j")
      .flag("weights2", "", "pair: file of w_j (default: --weights)")
      .flag("dims", "2", "1 (line plot) or 2 (contour plot)")
      .flag("range", "", "A:B of the first axis (default random -1:1, pair -0.5:1.5, pca: fit)")
      .flag("yrange", "", "A:B of the second axis (default: random as --range, pair -1:1, pca: fit)")
      .flag("grid", "51", "points per axis")
      .flag("seed", "0", "seed of the random directions")
      .toggle("include-biases", "random directions move the biases too (Li et al.: zeroed)")
      .flag("split", "train", "train | test: the loss of which split")
      .flag("images", "0", "use the first N images of the split (0 = all)")
      .flag("out", "", "output directory", true);
  add_model_flags(args);
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);

  SurfaceParams p;
  p.arch = args.str("arch");
  p.activation = parse_activation(args.str("activation"));
  p.weights = args.str("weights");
  p.row = int(args.integer("row", 0, 1 << 30));
  p.trajectory = args.str("trajectory");
  p.directions = args.given("directions") || p.trajectory.empty() ? args.str("directions") : "pca";
  p.row2 = args.str("row2").empty() ? -1 : int(args.integer("row2", 0, 1 << 30));
  p.weights2 = args.str("weights2");
  p.dims = int(args.integer("dims", 1, 2));
  p.range = args.str("range");
  p.yrange = args.str("yrange");
  p.grid = int(args.integer("grid", 2, 1001));
  p.seed = uint64_t(args.integer("seed", 0, (1LL << 62)));
  p.include_biases = args.on("include-biases");
  p.split = parse_split(args.str("split"));
  p.images = int(args.integer("images", 0, 60000));
  p.data_dir = args.str("data");

  const SurfaceResult r = run_surface(p, args.str("out"), args.command_line());
  std::fprintf(stderr, "surface: %zu points (%d resumed), loss %.6g at the centre, figure %s in %s\n",
               r.points.size(), r.points_resumed, r.center_loss, r.drawn ? "drawn" : "NOT drawn",
               args.str("out").c_str());
  return 0;
}

}  // namespace landscape
