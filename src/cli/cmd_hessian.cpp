// landscape hessian: Hessian spectra of weight vectors (Li et al. 2018, PyHessian; NOTES.md
// section 9) from exact Hessian-vector products; experiments/related/hessian_study.hpp.
#include <cstdio>
#include <sstream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "core/error.hpp"
#include "experiments/related/hessian_study.hpp"

namespace landscape {

int cmd_hessian(int argc, char** argv) {
  Args args("hessian",
            "For each chosen row of --weights, the loss Hessian from exact Hessian-vector products\n"
            "(Pearlmutter's R-operator): lambda_max and lambda_min by Lanczos (with their\n"
            "residuals), |lambda_min/lambda_max|, the trace by Hutchinson (Rademacher probes,\n"
            "with its standard error) and the eigenvalue density by stochastic Lanczos quadrature.\n"
            "Writes DIR/spectrum.csv, density.csv, density.png/.svg (data and script beside it),\n"
            "layers.csv (--per-layer), map/ (--map: the |lambda_min/lambda_max| map over two\n"
            "filter-normalised directions around the first row), manifest.json. Rerunning the\n"
            "same command keeps the rows (and map lines) already finished.");
  args.flag("arch", "", "model: fcp | lenet | lstm | ae", true)
      .flag("weights", "", ".npy weights, one vector per row", true)
      .flag("rows", "0", "'all' or row numbers, e.g. 0,3,7")
      .flag("split", "train", "train | test: the loss of which split")
      .flag("images", "0", "use the first N images of the split (0 = all)")
      .flag("iterations", "30", "Lanczos steps (extreme eigenvalues; SLQ nodes per probe)")
      .flag("probes", "10", "Rademacher probes for the trace and the density")
      .flag("broadening", "0.01", "SLQ Gaussian width as a fraction of the spectrum's width")
      .flag("density-grid", "1001", "points of each density curve")
      .flag("seed", "0", "seed of the Lanczos start, the probes and the map's directions")
      .toggle("per-layer", "also each parameter block's own spectrum (layers.csv)")
      .toggle("map", "the |lambda_min/lambda_max| map around the first row")
      .flag("grid", "11", "--map: points per axis")
      .flag("range", "-1:1", "--map: A:B of both axes")
      .flag("map-iterations", "20", "--map: Lanczos steps per point")
      .flag("out", "", "output directory", true);
  add_model_flags(args);
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);

  HessianStudyParams p;
  p.arch = args.str("arch");
  p.activation = parse_activation(args.str("activation"));
  p.weights = args.str("weights");
  p.rows = args.str("rows");
  p.split = parse_split(args.str("split"));
  p.images = int(args.integer("images", 0, 60000));
  p.data_dir = args.str("data");
  p.iterations = int(args.integer("iterations", 2, 10000));
  p.probes = int(args.integer("probes", 1, 100000));
  p.broadening = args.real("broadening", 1e-6, 1);
  p.density_grid = int(args.integer("density-grid", 11, 1000000));
  p.seed = uint64_t(args.integer("seed", 0, (1LL << 62)));
  p.per_layer = args.on("per-layer");
  p.map = args.on("map");
  for (const char* flag : {"grid", "range", "map-iterations"})
    if (args.given(flag) && !p.map) throw UsageError(std::string("--") + flag + " belongs to --map");
  p.map_grid = int(args.integer("grid", 2, 1001));
  std::istringstream range(args.str("range"));  // A:B
  char colon = 0;
  if (!(range >> p.range_lo >> colon >> p.range_hi) || colon != ':' || !range.eof())
    throw UsageError("--range must be A:B, e.g. -1:1; got '" + args.str("range") + "'");
  p.map_iterations = int(args.integer("map-iterations", 2, 10000));

  const std::vector<HessianRowResult> rows = run_hessian(p, args.str("out"), args.command_line());
  for (const HessianRowResult& r : rows)
    std::fprintf(stderr,
                 "hessian: row %ld: lambda_max %.6g, lambda_min %.6g, |min/max| %.4g, trace %.6g "
                 "+- %.2g (%ld HVPs, %.1f s)\n",
                 r.row, r.lambda_max, r.lambda_min, r.ratio, r.trace, r.trace_se, r.hvps, r.seconds);
  std::fprintf(stderr, "hessian: wrote %s/spectrum.csv, density.csv, density.png%s\n",
               args.str("out").c_str(), p.map ? ", map/map.png" : "");
  return 0;
}

}  // namespace landscape
