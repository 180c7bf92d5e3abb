// landscape sharpness: worst-case, average and Keskar sharpness of weight vectors, in the plain
// and the adaptive (|w|-scaled) neighbourhood (docs/algorithms.md §10.9;
// experiments/related/sharpness_study.hpp). Beyond the paper.
#include <cstdio>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "experiments/related/sharpness_study.hpp"

namespace landscape {

int cmd_sharpness(int argc, char** argv) {
  Args args("sharpness",
            "For each chosen row of --weights, how far the loss rises near it: the worst case\n"
            "within |u| <= rho (projected gradient ascent from --restarts starts) and the average\n"
            "over --samples Gaussian perturbations of radius about rho, each with d = c u for the\n"
            "plain scale (c = 1) and the adaptive one (c = |w|, unchanged by a layer-wise rescaling\n"
            "of a ReLU network); and Keskar's epsilon-sharpness over the box |d| <= epsilon (|w|+1).\n"
            "Writes DIR/sharpness.csv (row,loss,measure,scale,rho,value,standard_error,evaluations)\n"
            "and manifest.json.");
  args.declare(SharpnessStudyParams::table())
      .require({"arch", "weights"})
      .flag("out", "", "output directory", true);
  if (!parse_with_threads(args, argc, argv)) return 0;
  const SharpnessStudyParams p = args.read(SharpnessStudyParams::table());
  const std::vector<SharpnessRow> rows = run_sharpness(p, args.str("out"), args.command_line());
  for (const SharpnessRow& r : rows)
    std::fprintf(stderr, "sharpness: row %ld %s %s rho %g: %.6g\n", r.row, r.measure.c_str(), r.scale.c_str(),
                 r.rho, r.value.value);
  std::fprintf(stderr, "sharpness: wrote %s/sharpness.csv\n", args.str("out").c_str());
  return 0;
}

}  // namespace landscape
