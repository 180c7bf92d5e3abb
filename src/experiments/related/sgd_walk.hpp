// A walk with SGD (Xing, Arpit, Tsirigotis & Bengio 2018; docs/algorithms.md §11): what the
// loss looks like between consecutive SGD iterates. For a recorded step t the segment from w_t
// to w_{t+1} is
//   w(alpha) = (1 - alpha) w_t + alpha w_{t+1},   alpha_m = m / (M-1),  m = 0 .. M-1,
// written so that alpha = 0 and 1 give the iterates themselves bit for bit. On it we measure
//   - the loss of the step's own mini-batch and of a fixed evaluation subset at every alpha_m;
//   - the valley floor: the lowest of the M points (position alpha*, depth L(alpha*));
//   - the heights of the two iterates above the floor, L(0) - L(alpha*) and L(1) - L(alpha*);
//   - |w_{t+1} - w_t|, the distance |w_{t+1} - w_0| from the initialisation, and the cosine
//     between this step and the previous one (negative: SGD bounced back across the valley).
// The paper's story: the loss along a segment is roughly convex with its minimum inside, so SGD
// jumps from one valley wall to the other above the floor; the learning rate sets that height,
// and small batches add exploration (a longer distance travelled).
//
// The study is three parts: this file computes (walk_sgd, walk_sweep: structs, no files),
// sgd_walk_files.hpp writes the CSV files, sgd_walk_figures.hpp draws from the structs.
//
//   OUT/lr<lr>-batch<b>/steps.csv, segments.csv, curve.csv   (sgd_walk_files.hpp)
//   OUT/summary.csv                   one row per (lr, batch)
//   OUT/walk_valley.*, walk_story.*   figures (gnuplot: .png, .svg, .dat, .gp)
//   OUT/manifest.json                 provenance, settings, wall time
//
// Legend: P = number of parameters, M = points per segment, S = recorded steps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "experiments/training/training_run.hpp"
#include "io/data_directory.hpp"

namespace landscape {

// Flags and preset keys (walk_<name>): table() below (docs/algorithms.md §11).
struct WalkParams {
  int every = 1;    // record every k-th SGD step (step 0, k, 2k, ...)
  int points = 11;  // M points per segment, both iterates included
  static const ParameterTable<WalkParams>& table();
  void check() const { table().check(*this); }  // UsageError naming the flag
};

inline const ParameterTable<WalkParams>& WalkParams::table() {
  using P = WalkParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("every", &P::every, "record every k-th step").range(1, 100000000)
      .field("points", &P::points, "points per segment, both iterates included").range(2, 100000);
  // clang-format on
  return t;
}

// The lowest point of a loss profile [M] along a segment (the first one of equal values).
struct SegmentFloor {
  int index = 0;
  double alpha = 0;  // index / (M-1)
  double loss = 0;
};
SegmentFloor segment_floor(const std::vector<double>& profile);

// The mean loss of `data` at the M points of the segment w_a[P] -> w_b[P]: out[M]. The points
// are independent work, run in parallel.
std::vector<double> segment_losses(const Model& model, const Dataset& data, const Scalar* w_a,
                                   const Scalar* w_b, int points);

struct WalkStep {
  int epoch = 0;
  long step = 0;                   // SGD step t (0-based over the run): the segment w_t -> w_{t+1}
  std::vector<double> batch_loss;  // [M] the step's mini-batch along the segment
  std::vector<double> eval_loss;   // [M] the evaluation subset along the segment
  double step_norm = 0;            // |w_{t+1} - w_t|
  double distance_from_init = 0;   // |w_{t+1} - w_0|
  double cosine_previous = 0;      // cos(w_{t+1} - w_t, w_t - w_{t-1}); NaN at t = 0
};

struct WalkResult {
  RunRecord run;                // the SGD run itself (curve, w_final, ...)
  std::vector<WalkStep> steps;  // [S]
};

// SGD as train_run runs it (config.optimizer must be sgd), watched step by step.
WalkResult walk_sgd(const Model& model, const Dataset& train, const Dataset& test, const Dataset& eval,
                    const TrainConfig& config, const WalkParams& params, uint64_t seed,
                    std::vector<Scalar> w_init);

// The `walk` command and the related preset: a sweep over learning rates x batch sizes from one
// initialisation.
// Flags: table() below.
struct WalkConfig {
  std::string arch = "fcp";
  std::vector<double> lrs = {0.1};  // every lr x batch from the same start
  std::vector<int> batches = {64};
  int epochs = 1;
  WalkParams walk;
  int train_images = 60000, test_images = 10000;
  int eval_images = 1000;  // the first N training images
  uint64_t seed = 0;       // the initialisation and the shuffles
  std::string data_dir;
  static const ParameterTable<WalkConfig>& table();
  void check() const;  // UsageError naming the flag
};

inline const ParameterTable<WalkConfig>& WalkConfig::table() {
  using P = WalkConfig;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("arch", &P::arch, kModelHelp)
      .one_of(kShippedModels, kModelFileEndings)
      .field("lr", &P::lrs, "SGD learning rate(s), e.g. 0.1,0.05").above(0)
      .field("batch", &P::batches, "mini-batch size(s), e.g. 32,128").range(1, 60000)
      .field("epochs", &P::epochs, "SGD epochs").range(1, 1000000)
      .include(&P::walk, WalkParams::table())
      .field("eval-images", &P::eval_images, "the evaluation subset: the first N training images")
          .range(1, 60000)
      .field("seed", &P::seed, "initialisation and shuffling").range(0, double(1LL << 62))
      .field("data", &P::data_dir, kDataDirHelp)
      .field("train-images", &P::train_images, "use the first N training images").range(1, 60000)
      .field("test-images", &P::test_images, "use the first N test images").range(1, 10000);
  // clang-format on
  return t;
}

struct WalkSummary {  // one row of summary.csv: means over the recorded steps
  double lr = 0;
  int batch = 0;
  std::string name;                      // lr<lr>-batch<b>, the run's directory
  long steps = 0;                        // recorded steps
  double height = 0;                     // mean of (L(0) + L(1))/2 - L(alpha*), evaluation subset
  double floor_alpha = 0;                // mean position of the floor
  double interior = 0;                   // fraction of steps whose floor lies strictly inside
  double cosine = 0;                     // mean cosine between consecutive steps
  double distance = 0;                   // distance from the initialisation after the last step
  double train_loss = 0, test_loss = 0;  // after the last epoch
};

// The summary of one run: means over its recorded steps (lr and batch are the run's).
WalkSummary summarise_walk(double lr, int batch, const WalkResult& result);
std::string walk_run_name(double lr, int batch);  // lr<lr>-batch<b>

// One run of the sweep: its summary and everything it measured.
struct WalkRun {
  WalkSummary summary;
  WalkResult result;
};
// Every lr x batch of the config (lr outer) from one initialisation, in that order.
std::vector<WalkRun> walk_sweep(const WalkConfig& config);

// The study: the sweep, its files and figures in OUT, the manifest last (docs/algorithms.md §11).
std::vector<WalkSummary> run_walk_study(const WalkConfig& config, const std::string& out,
                                        const std::string& command_line);

}  // namespace landscape
