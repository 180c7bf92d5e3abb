// The work `landscape bench` times (issue "make bench"; the PyTorch side is
// bench/pytorch_reference.py, and `make bench` (scripts/bench.sh) runs both, interleaved, and
// writes the table to bench/results/). One table of named workloads, each with what it
// measures and how it is prepared; the command picks one by name.
//
// Each measurement is one piece of work timed R times after W warm-up calls. Reported:
// median/min/max wall seconds, the median CPU seconds of the process per call (a check on how
// much of the wall time a loaded machine took away), peak resident memory, GFLOP/s of the model
// work (forward 1x, forward + backward 3x the model's forward FLOPs), and the 1-minute load
// average before and after.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/scalar.hpp"
#include "io/json_writer.hpp"

namespace landscape {

struct BenchOptions {
  std::string arch = "fcp";     // --arch
  int images = 60000;           // --images: training images (fullbatch, forward, path-step, surface)
  int batch = 64;               // --batch (sgd-step)
  int points = 51, terms = 10;  // --points M, --terms NF (path-step); surface: grid side
  int sets = 96;                // --sets: weight vectors (kpca)
  int size = 4096;              // --size: matrix side (sgemm)
  int chunk = 0;                // --chunk: images per graph in dataset_loss (0: its default)
  std::string data_dir;         // --data
  static const ParameterTable<BenchOptions>& table();  // the flags of the fields above
};

// A workload made ready: run() does the work once; flops is what one run() computes.
struct BenchWork {
  std::function<void()> run;
  double flops = 0;
  int per_run = 1;  // steps inside one run() (sgd-step: 100 short steps); times are per step
  int images = 0;   // images it runs over (reported)
  int points = 0;   // weight vectors evaluated in one run() (path-step M, surface side^2)
  int sets = 0;     // weight vectors (kpca, reported)
  bool uses_arch = true;
  // fullbatch: whether every call gave the first call's gradient bit for bit, and the gradient
  std::function<bool()> same_bits = [] { return true; };
  std::function<std::vector<Scalar>()> gradient;
};

struct BenchWorkload {
  const char* name;
  const char* measures;  // a line for the help text
  BenchWork (*prepare)(const BenchOptions&);
};

// fullbatch, forward, sgd-step, path-step, surface, kpca, sgemm, in that order.
std::span<const BenchWorkload> bench_workloads();
// The workload named `name`; else a UsageError naming --what and every name.
const BenchWorkload& find_bench_workload(const std::string& name);

struct BenchResult {
  std::string what, arch;  // arch "-" where the work has none
  int images = 0, points = 0, sets = 0, repeat = 0;
  double median_s = 0, min_s = 0, max_s = 0, cpu_s = 0;  // per step
  double gflop = 0, gflops = 0, peak_rss_mb = 0, load_before = 0, load_after = 0;
  bool same_bits = true;
  std::vector<Scalar> gradient;  // fullbatch: the last gradient
};

// What `landscape bench` is asked: the workload by name (find_bench_workload), its options,
// and how often to time it.
struct BenchRequest {
  std::string what = "fullbatch";
  BenchOptions options;
  int repeat = 5;
  int warmup = 1;
  // --what (its help names every workload), the options' flags, --repeat, --warmup.
  static const ParameterTable<BenchRequest>& table();
};

// Prepares the workload, calls it `warmup` times untimed and `repeat` times timed.
BenchResult run_bench(const BenchWorkload& workload, const BenchOptions& options, int repeat, int warmup);

JsonObject bench_json(const BenchResult& r);   // the object `--json` prints
std::string bench_line(const BenchResult& r);  // the line of text printed otherwise

}  // namespace landscape
