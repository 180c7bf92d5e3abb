// landscape train: SGD or L-BFGS-GSS ensembles with early-stopping snapshots (docs/algorithms.md §3).
#include <cstdio>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/shard.hpp"
#include "experiments/training/ensemble.hpp"
#include "models/model_description.hpp"

namespace landscape {

int cmd_train(int argc, char** argv) {
  Args args("train",
            "Trains R runs (seeds seed..seed+R-1) and keeps the K with the lowest training loss.\n"
            "Per run: curve.csv and w_init/w_train/w_test/w_final.npy in DIR/run-NNN/; then\n"
            "DIR/runs.csv, the stacks DIR/w_train.npy and DIR/w_test.npy (K x P), manifest.json.\n"
            "Rerunning the same command continues where it stopped. --trace also writes\n"
            "DIR/run-NNN/trace.csv (a row per SGD epoch or L-BFGS-GSS iteration; docs/algorithms.md\n"
            "§16) and with --trace-states the weights of every K-th step (trace-states.npy, .csv)\n"
            "and SGD's shuffle of every epoch (shuffles.npy, [E, N]); runs already finished keep none.");
  args.flag("arch", "", kModelHelp, true)
      .flag("out", "", "output directory", true)
      .declare(EnsembleConfig::table())
      .declare(TraceParams::table())
      .flag("activation", "softplus", "softplus (published code) | relu (paper's text)")
      .flag("shard", "", "i/n: train only runs r with r % n == i (merge with `landscape collect`)");
  if (!parse_with_threads(args, argc, argv)) return 0;

  EnsembleConfig c = args.read(EnsembleConfig::table());
  c.train.trace = args.read(TraceParams::table());
  c.train.trace.check();
  c.arch = args.str("arch");
  c.activation = parse_activation(args.str("activation"));
  const Shard shard = parse_shard(args.str("shard"));
  c.shard_index = shard.index;
  c.shard_count = shard.count;

  if (is_onnx_path(c.arch) && c.init_path.empty())
    std::fprintf(stderr,
                 "train: %s: the runs start from seeded inits (PyTorch's default init), not the weights "
                 "the file holds; --init %s starts every run from those\n",
                 c.arch.c_str(), c.arch.c_str());
  std::vector<RunSummary> runs = train_ensemble(c, args.str("out"), args.command_line());
  int kept = 0, diverged = 0;
  for (const RunSummary& r : runs) kept += r.kept, diverged += r.status != "ok";
  std::fprintf(stderr, "train: %zu runs (%d kept, %d diverged) in %s\n", runs.size(), kept, diverged,
               args.str("out").c_str());
  return 0;
}

}  // namespace landscape
