// landscape train: SGD or L-BFGS-GSS ensembles with early-stopping snapshots (NOTES section 3).
#include <cstdio>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/shard.hpp"
#include "experiments/training/ensemble.hpp"

namespace landscape {

int cmd_train(int argc, char** argv) {
  Args args("train",
            "Trains R runs (seeds seed..seed+R-1) and keeps the K with the lowest training loss.\n"
            "Per run: curve.csv and w_init/w_train/w_test/w_final.npy in DIR/run-NNN/; then\n"
            "DIR/runs.csv, the stacks DIR/w_train.npy and DIR/w_test.npy (K x P), manifest.json.\n"
            "Rerunning the same command continues where it stopped.");
  args.flag("arch", "", "model: fcp | lenet | lstm | ae", true)
      .flag("optimizer", "sgd", "sgd | lbfgs (L-BFGS-GSS, full batch)")
      .flag("out", "", "output directory", true)
      .flag("runs", "1", "runs to train")
      .flag("keep", "0", "runs to keep, lowest training loss (0 = all)")
      .flag("seed", "0", "seed of the first run")
      .flag("epochs", "10", "epochs (SGD) or iterations (L-BFGS-GSS; the paper: 1000)")
      .flag("lr", "0.01", "SGD learning rate")
      .flag("momentum", "0", "SGD momentum")
      .flag("batch", "64", "SGD mini-batch size")
      .flag("history", "10", "L-BFGS history m")
      .flag("budget", "6", "L-BFGS-GSS loss evaluations per line search")
      .flag("tol", "1e-4", "L-BFGS-GSS line-search tolerance")
      .flag("activation", "softplus", "softplus (published code) | relu (paper's text)")
      .flag("snapshots", "0", "keep w every K-th epoch (with w_init, w_final) in run-NNN/snapshots.npy")
      .flag("init", "", "start every run from this .npy vector instead of a seeded init")
      .flag("shard", "", "i/n: train only runs r with r % n == i (merge with `landscape collect`)");
  add_data_flags(args);
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);

  EnsembleConfig c;
  c.arch = args.str("arch");
  c.activation = parse_activation(args.str("activation"));
  c.train.optimizer = args.str("optimizer");
  c.train.epochs = int(args.integer("epochs", 1, 10000000));
  c.train.batch = int(args.integer("batch", 1, 60000));
  c.train.sgd.lr = args.real("lr", -1e300, 1e300);
  c.train.sgd.momentum = args.real("momentum", -1e300, 1e300);
  c.train.lbfgs.history = int(args.integer("history", -1000000, 1000000));
  c.train.lbfgs.budget = int(args.integer("budget", -1000000, 1000000));
  c.train.lbfgs.tol = args.real("tol", -1e300, 1e300);
  c.train.snapshot_every = int(args.integer("snapshots", 0, 10000000));
  c.runs = int(args.integer("runs", 1, 1000000));
  c.keep = int(args.integer("keep", 0, 1000000));
  if (c.keep == 0) c.keep = c.runs;
  c.seed = uint64_t(args.integer("seed", 0, (1LL << 62)));
  c.train_images = int(args.integer("train-images", 1, 60000));
  c.test_images = int(args.integer("test-images", 1, 10000));
  c.data_dir = args.str("data");
  c.init_path = args.str("init");
  const Shard shard = parse_shard(args.str("shard"));
  c.shard_index = shard.index;
  c.shard_count = shard.count;

  std::vector<RunSummary> runs = train_ensemble(c, args.str("out"), args.command_line());
  int kept = 0, diverged = 0;
  for (const RunSummary& r : runs) kept += r.kept, diverged += r.status != "ok";
  std::fprintf(stderr, "train: %zu runs (%d kept, %d diverged) in %s\n", runs.size(), kept,
               diverged, args.str("out").c_str());
  return 0;
}

}  // namespace landscape
