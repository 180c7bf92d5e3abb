// landscape spread: how the minima found spread with network size (Choromanska et al. 2015,
// docs/algorithms.md §12; experiments/related/minima_spread.hpp).
#include <cstdio>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "experiments/related/minima_spread.hpp"

namespace landscape {

int cmd_spread(int argc, char** argv) {
  Args args("spread",
            "Trains one-hidden-layer networks (784 -> pooled inputs -> W -> 10, no biases) of each\n"
            "width R times from seeds seed..seed+R-1, by SGD and/or simulated annealing (geometric\n"
            "temperature schedule, Gaussian proposals to one hidden unit's weights at a time,\n"
            "Metropolis acceptance), and reports the final test losses per width: their\n"
            "distribution, spread (std, IQR) and train/test correlation, and which of\n"
            "Choromanska et al.'s findings they show. Writes DIR/spread.csv (one row per\n"
            "optimizer x width x restart), DIR/summary.csv, figures DIR/spread_hist.png and\n"
            "DIR/spread_width.png, manifest.json.");
  args.declare(SpreadConfig::table()).flag("out", "", "output directory", true);
  if (!parse_with_threads(args, argc, argv)) return 0;

  const SpreadConfig c = args.read(SpreadConfig::table());

  const std::string out = args.str("out");
  const std::vector<SpreadSummary> s = run_spread_study(c, out, args.command_line());
  std::fprintf(stderr, "spread: %-8s %6s %8s %10s %10s %10s %10s %8s %9s\n", "opt", "width", "params",
               "train mean", "test mean", "test std", "test IQR", "corr", "s/restart");
  for (const SpreadSummary& r : s)
    std::fprintf(stderr, "spread: %-8s %6d %8ld %10.4g %10.4g %10.3g %10.3g %8.2f %9.3g\n",
                 r.optimizer.c_str(), r.width, r.params, r.train_mean, r.test_mean, r.test_std, r.test_iqr,
                 r.correlation, r.seconds);
  for (const SpreadFinding& f : check_spread_findings(s))
    std::fprintf(stderr, "spread: [%s] %s: %s\n", f.holds ? "yes" : "no", f.claim.c_str(),
                 f.evidence.c_str());
  std::fprintf(stderr, "spread: results in %s (spread.csv, summary.csv, spread_hist.png, spread_width.png)\n",
               out.c_str());
  return 0;
}

}  // namespace landscape
