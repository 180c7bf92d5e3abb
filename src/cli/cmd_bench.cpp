// landscape bench: how fast the model work runs here (issue "make bench"). The workloads and
// what each measures are the table of experiments/bench/workloads.hpp; this command reads the
// flags, picks one by --what, times it and prints the result. fullbatch can save its gradient
// (--save-grad) so that scripts/bench.sh compares thread counts.
#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "core/error.hpp"
#include "experiments/bench/workloads.hpp"
#include "io/npy.hpp"

namespace landscape {

int cmd_bench(int argc, char** argv) {
  std::string help =
      "Times one piece of work R times after W warm-up calls: median/min/max seconds,\n"
      "CPU seconds, peak memory, GFLOP/s. --what picks the work:";
  std::string names;
  for (const BenchWorkload& w : bench_workloads()) {
    help += std::string("\n  ") + w.name + ": " + w.measures;
    names += (names.empty() ? "" : " | ") + std::string(w.name);
  }
  Args args("bench", help);
  args.flag("what", "fullbatch", names)
      .flag("arch", "fcp", "fcp | lenet | lstm | ae")
      .flag("images", "60000", "training images (fullbatch, forward, path-step)")
      .flag("batch", "64", "mini-batch size (sgd-step)")
      .flag("points", "51", "path points M (path-step)")
      .flag("terms", "10", "Fourier terms NF (path-step)")
      .flag("sets", "96", "weight vectors (kpca)")
      .flag("size", "4096", "matrix side (sgemm)")
      .flag("chunk", "0", "images per graph in dataset_loss (0: its default)")
      .flag("repeat", "5", "timed repetitions")
      .flag("warmup", "1", "untimed calls before them")
      .flag("data", "", "MNIST directory (else $LANDSCAPE_DATA, else data/mnist)")
      .flag("save-grad", "", "fullbatch: write the gradient to this .npy (thread-count checks)")
      .toggle("json", "print one JSON object instead of a line of text");
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);

  const BenchWorkload& workload = find_bench_workload(args.str("what"));
  BenchOptions o;
  o.arch = args.str("arch");
  o.images = int(args.integer("images", 1, 60000));
  o.batch = int(args.integer("batch", 1, 60000));
  o.points = int(args.integer("points", 2, 10000));
  o.terms = int(args.integer("terms", 1, 1000));
  o.sets = int(args.integer("sets", 2, 100000));
  o.size = int(args.integer("size", 64, 32768));
  o.chunk = int(args.integer("chunk", 0, 60000));
  o.data_dir = args.str("data");
  const int repeat = int(args.integer("repeat", 1, 100000));
  const int warmup = int(args.integer("warmup", 0, 100));
  const std::string save_grad = args.str("save-grad");
  if (!save_grad.empty() && std::string(workload.name) != "fullbatch")
    throw UsageError("--save-grad goes with --what fullbatch");

  const BenchResult r = run_bench(workload, o, repeat, warmup);
  if (!save_grad.empty())
    write_npy(save_grad, r.gradient.data(), 1, int64_t(r.gradient.size()),
              /*one_dimensional=*/true);
  if (args.on("json"))
    std::cout << bench_json(r).str(0) << "\n";
  else
    std::printf("%s\n", bench_line(r).c_str());
  return 0;
}

}  // namespace landscape
