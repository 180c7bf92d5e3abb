// landscape spread: how the minima found spread with network size (Choromanska et al. 2015,
// NOTES.md section 9; experiments/related/minima_spread.hpp).
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
            "temperature schedule, Gaussian proposals, Metropolis acceptance), and reports the\n"
            "final test losses per width: their distribution, spread (std, IQR) and train/test\n"
            "correlation. Writes DIR/spread.csv (one row per optimizer x width x restart),\n"
            "DIR/summary.csv, figures DIR/spread_hist.png and DIR/spread_width.png, manifest.json.");
  args.flag("widths", "10,25,50,100,250", "hidden units of each network size")
      .flag("restarts", "10", "restarts per width")
      .flag("optimizer", "sgd", "sgd | anneal | sgd,anneal")
      .flag("pool", "1", "2x2 average poolings of the input: 0 (28x28), 1 (14x14), 2 (7x7)")
      .flag("epochs", "10", "SGD epochs")
      .flag("lr", "0.1", "SGD learning rate")
      .flag("batch", "64", "SGD mini-batch size")
      .flag("anneal-steps", "2000", "annealing proposals (one loss evaluation each)")
      .flag("t-start", "0.01", "annealing temperature at the first proposal")
      .flag("t-end", "1e-5", "annealing temperature at the last proposal (geometric in between)")
      .flag("sigma", "0.01", "initial proposal standard deviation per weight (adapted to 25% acceptance)")
      .flag("images", "5000", "training images: the first N")
      .flag("test-images", "10000", "test images: the first N")
      .flag("seed", "0", "restart r uses seed + r")
      .flag("data", "", "MNIST directory (else $LANDSCAPE_DATA, else data/mnist)")
      .flag("out", "", "output directory", true);
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);

  SpreadConfig c;
  c.widths.clear();
  for (long long w : integer_list(args, "widths", 1, 1000000)) c.widths.push_back(int(w));
  c.restarts = int(args.integer("restarts", 1, 1000000));
  c.optimizers = args.list("optimizer");
  c.pools = int(args.integer("pool", 0, 2));
  c.epochs = int(args.integer("epochs", 1, 1000000));
  c.lr = args.real("lr", -1e300, 1e300);
  c.batch = int(args.integer("batch", 1, 60000));
  c.anneal.steps = args.integer("anneal-steps", 1, 1LL << 40);
  c.anneal.t_start = args.real("t-start", -1e300, 1e300);
  c.anneal.t_end = args.real("t-end", -1e300, 1e300);
  c.anneal.sigma = args.real("sigma", -1e300, 1e300);
  c.train_images = int(args.integer("images", 1, 60000));
  c.test_images = int(args.integer("test-images", 1, 10000));
  c.seed = uint64_t(args.integer("seed", 0, (1LL << 62)));
  c.data_dir = args.str("data");

  const std::string out = args.str("out");
  const std::vector<SpreadSummary> s = run_spread_study(c, out, args.command_line());
  std::fprintf(stderr, "spread: %-8s %6s %8s %10s %10s %10s %8s\n", "opt", "width", "params", "test mean",
               "test std", "test IQR", "corr");
  for (const SpreadSummary& r : s)
    std::fprintf(stderr, "spread: %-8s %6d %8ld %10.4g %10.3g %10.3g %8.2f\n", r.optimizer.c_str(), r.width,
                 r.params, r.test_mean, r.test_std, r.test_iqr, r.correlation);
  std::fprintf(stderr, "spread: results in %s (spread.csv, summary.csv, spread_hist.png, spread_width.png)\n",
               out.c_str());
  return 0;
}

}  // namespace landscape
