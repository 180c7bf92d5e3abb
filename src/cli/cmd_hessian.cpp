// landscape hessian: Hessian spectra of weight vectors (Li et al. 2018, PyHessian;
// docs/algorithms.md §10) from exact Hessian-vector products; experiments/related/hessian_study.hpp.
#include <cstdio>
#include <sstream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "core/error.hpp"
#include "experiments/related/hessian_study.hpp"
#include "experiments/support/step_trace.hpp"

namespace landscape {

namespace {
// --range A:B of the map, from the struct's range_lo and range_hi.
std::string range_text(const HessianStudyParams& p) {
  return parameter_text::number(p.range_lo) + ":" + parameter_text::number(p.range_hi);
}
}  // namespace

int cmd_hessian(int argc, char** argv) {
  Args args("hessian",
            "For each chosen row of --weights, the loss Hessian from exact Hessian-vector products\n"
            "(Pearlmutter's R-operator): lambda_max and lambda_min by Lanczos (with their\n"
            "residuals), |lambda_min/lambda_max|, the trace by Hutchinson (Rademacher probes,\n"
            "with its standard error) and the eigenvalue density by stochastic Lanczos quadrature.\n"
            "Writes DIR/spectrum.csv, density.csv, density.png/.svg (data and script beside it),\n"
            "layers.csv (--per-layer), map/ (--map: the |lambda_min/lambda_max| map over two\n"
            "filter-normalised directions around the first row), manifest.json. Rerunning the\n"
            "same command keeps the rows (and map lines) already finished. --trace also writes\n"
            "DIR/trace-R.csv per row: a line per Lanczos step (alpha, beta, the extreme Ritz values\n"
            "and their residuals; docs/algorithms.md §16).");
  const HessianStudyParams defaults;
  args.declare(HessianStudyParams::table())
      .require({"arch", "weights"})
      .flag("range", range_text(defaults), "--map: A:B of both axes")
      .flag("out", "", "output directory", true)
      .declare(TraceParams::table().without({"trace-states", "trace-every"}));
  // --trace was the estimator's flag before the step traces took the name (docs/algorithms.md §16).
  for (int k = 1; k + 1 < argc; ++k)
    if (std::string(argv[k]) == "--trace" &&
        (std::string(argv[k + 1]) == "hutchinson" || std::string(argv[k + 1]) == "hutchpp"))
      throw UsageError(std::string("--trace ") + argv[k + 1] +
                       ": the trace estimator is now --trace-estimator " + argv[k + 1] +
                       "; --trace writes the Lanczos step trace");
  if (!parse_with_threads(args, argc, argv)) return 0;

  HessianStudyParams p = args.read(HessianStudyParams::table());
  p.trace = args.read(TraceParams::table().without({"trace-states", "trace-every"})).trace;
  for (const char* flag : {"grid", "range", "map-iterations"})
    if (args.given(flag) && !p.map) throw UsageError(std::string("--") + flag + " belongs to --map");
  std::istringstream range(args.str("range"));  // A:B
  char colon = 0;
  if (!(range >> p.range_lo >> colon >> p.range_hi) || colon != ':' || !range.eof())
    throw UsageError("--range must be A:B, e.g. -1:1; got '" + args.str("range") + "'");

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
