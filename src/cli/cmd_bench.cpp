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

namespace {

// What the command does with the result: the flags beside the request's.
struct BenchOutput {
  std::string save_grad;
  bool json = false;
  static const ParameterTable<BenchOutput>& table() {
    // clang-format off
    static const auto t = ParameterTable<BenchOutput>()
        .field("save-grad", &BenchOutput::save_grad,
               "fullbatch: write the gradient to this .npy (thread-count checks)")
        .field("json", &BenchOutput::json, "print one JSON object instead of a line of text");
    // clang-format on
    return t;
  }
};

}  // namespace

int cmd_bench(int argc, char** argv) {
  std::string help =
      "Times one piece of work R times after W warm-up calls: median/min/max seconds,\n"
      "CPU seconds, peak memory, GFLOP/s. --what picks the work:";
  for (const BenchWorkload& w : bench_workloads()) help += std::string("\n  ") + w.name + ": " + w.measures;
  Args args("bench", help);
  args.declare(BenchRequest::table()).declare(BenchOutput::table());
  if (!parse_with_threads(args, argc, argv)) return 0;

  const BenchRequest request = args.read(BenchRequest::table());
  const BenchOutput output = args.read(BenchOutput::table());
  const BenchWorkload& workload = find_bench_workload(request.what);
  if (!output.save_grad.empty() && std::string(workload.name) != "fullbatch")
    throw UsageError("--save-grad goes with --what fullbatch");

  const BenchResult r = run_bench(workload, request.options, request.repeat, request.warmup);
  if (!output.save_grad.empty())
    write_npy(output.save_grad, r.gradient.data(), 1, int64_t(r.gradient.size()),
              /*one_dimensional=*/true);
  if (output.json)
    std::cout << bench_json(r).str(0) << "\n";
  else
    std::printf("%s\n", bench_line(r).c_str());
  return 0;
}

}  // namespace landscape
