// landscape: the command line. Dispatches to one command; turns errors into a message on
// stderr and a non-zero exit (2 for bad usage, 1 for everything else).
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

// A table, a row per command: laid out by hand.
// clang-format off
const Command kCommands[] = {
    {"version", landscape::cmd_version, "version, precision, threads, BLAS library"},
    {"fig3", landscape::cmd_fig3, "Figure 3: FourierPathFinder on the paper's 2-D surface"},
    {"path", landscape::cmd_path, "FourierPathFinder barriers between weight vectors (Figure 4)"},
    {"compare-paths", landscape::cmd_compare_paths, "every path method at the same evaluation budget"},
    {"compare-trace", landscape::cmd_compare_trace, "where two step traces (ours, another implementation's) part"},
    {"connectivity", landscape::cmd_connectivity, "the map of minima: spanning tree, minimax barriers, disconnectivity graph"},
    {"align", landscape::cmd_align, "permute one minimum's hidden units to match another's (weight matching)"},
    {"kpca", landscape::cmd_kpca, "kernel PCA (and PCA) of weight sets: Figure 6"},
    {"stats", landscape::cmd_stats, "mean, std, centroids, distances to the common origin"},
    {"data", landscape::cmd_data, "fetch MNIST into data/mnist and verify its SHA-256 sums"},
    {"eval", landscape::cmd_eval, "loss and accuracy of weight vectors on MNIST"},
    {"describe", landscape::cmd_describe, "a model's layers, parameter table and FLOPs (--model FILE)"},
    {"reproduce", landscape::cmd_reproduce, "the study end to end, with its report (make run)"},
    {"collect", landscape::cmd_collect, "merge the shards of a sharded reproduce"},
    {"bench", landscape::cmd_bench, "time full-batch gradients and SGD steps (see make bench)"},
    {"train", landscape::cmd_train, "SGD / L-BFGS-GSS ensembles with early-stopping snapshots"},
    {"surface", landscape::cmd_surface, "loss surface plots: random, pair, pca, trajectory (Li et al. 2018)"},
    {"walk", landscape::cmd_walk, "the loss between consecutive SGD iterates (Xing, Arpit et al. 2018)"},
    {"spread", landscape::cmd_spread, "spread of minima with network width, SGD vs annealing (Choromanska 2015)"},
    {"hessian", landscape::cmd_hessian, "Hessian spectra: lambda_max/min, trace, SLQ density, convexity map"},
    {"sharpness", landscape::cmd_sharpness, "worst-case, average and Keskar sharpness, plain and adaptive"},
};
// clang-format on

void print_usage(std::ostream& os) {
  os << "usage: landscape COMMAND [flags]    (landscape COMMAND --help for its flags)\n\n"
        "Loss-landscape study of Yu & Morozov (2026) on MNIST: training with SGD and\n"
        "L-BFGS-GSS, FourierPathFinder barriers, kernel PCA and weight statistics; and the\n"
        "related studies: loss surfaces, Hessian spectra, SGD's walk, minima spread, path\n"
        "methods compared.\n\n"
        "commands:\n";
  for (const Command& c : kCommands)
    os << "  " << c.name
       << std::string(std::max<std::size_t>(15, std::strlen(c.name) + 2) - std::strlen(c.name), ' ')
       << c.summary << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return 0;
  }
  if (name == "--version") return landscape::cmd_version(argc, argv);
  for (const Command& c : kCommands) {
    if (name != c.name) continue;
    landscape::install_interrupt_handlers(c.name);
    try {
      const int status = c.run(argc, argv);
      // What a command prints to stdout is output too: a full disk or a failed pipe there is
      // an error, never a silent loss with exit status 0.
      if (!std::cout.flush() || std::fflush(stdout) != 0 || std::ferror(stdout))
        throw landscape::Error(std::string("cannot write standard output: ") + std::strerror(errno));
      return status;
    } catch (const landscape::UsageError& e) {
      std::cerr << "landscape: " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "landscape " << name << ": error: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "landscape: unknown command '" << name << "'\n\n";
  print_usage(std::cerr);
  return 2;
}
