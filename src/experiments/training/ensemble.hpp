// An ensemble of training runs on disk, as the paper's protocol (docs/algorithms.md §3.3): R runs with
// seeds seed..seed+R-1, the K with the lowest training loss kept (75 -> 48).
//
//   DIR/run-000/{curve.csv, w_init.npy, w_train.npy, w_test.npy, w_final.npy, summary.csv}
//   DIR/runs.csv      run,seed,min_train_loss,epoch_train,min_test_loss,epoch_test,kept,status
//   DIR/w_train.npy   [K,P] kept runs in run order;  DIR/w_test.npy likewise
//   DIR/settings.txt  what defines the results (a rerun must match it to continue)
//   DIR/manifest.json command, version, precision, threads, seeds, wall time
//
// Resumable: every file is written atomically and summary.csv last, so a run directory with a
// summary.csv is finished; rerunning the same command skips finished runs, redoes the one that
// was cut off, and ends with the same files as an uninterrupted run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/settings_text.hpp"
#include "experiments/training/training_run.hpp"
#include "io/data_directory.hpp"

namespace landscape {

// Flags of `landscape train`: table() below; arch, activation and shard are the command's.
struct EnsembleConfig {
  std::string arch = "fcp";
  Activation activation = Activation::Softplus;
  TrainConfig train;
  int runs = 1;
  int keep = 0;       // the runs with the lowest training loss; 0: all of them
  uint64_t seed = 0;  // of the first run; run r uses seed + r
  // The first N examples of each split; 0: all of it (MNIST's 60,000 and 10,000, or a .npy
  // directory's own count), resolved when the data is read so the settings name the count used.
  int train_images = 0, test_images = 0;
  std::string data_dir;                  // resolved by resolve_data_dir
  std::string init_path;                 // W.npy: every run starts from it (row 0) instead of the seed
  int shard_index = 0, shard_count = 1;  // --shard i/n: this process trains runs r with r % n == i
  // The identity of the results (docs/algorithms.md §17), with the fingerprints of the training
  // and test examples used (io/dataset.hpp); `data` and the shard are not part of it.
  Settings settings(const std::string& data_fingerprint) const;
  static const ParameterTable<EnsembleConfig>& table();
};

inline const ParameterTable<EnsembleConfig>& EnsembleConfig::table() {
  using P = EnsembleConfig;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("runs", &P::runs, "runs to train").range(1, 1000000)
      .field("keep", &P::keep, "runs to keep, lowest training loss (0 = all)").range(0, 1000000)
      .field("seed", &P::seed, "seed of the first run").range(0, double(1LL << 62))
      .include(&P::train, TrainConfig::table())
      .field("init", &P::init_path, "start every run from this .npy vector (or the weights of this .onnx model) instead of a seeded init")
      .field("data", &P::data_dir, kDataDirHelp)
      .field("train-images", &P::train_images, "use the first N training examples (0 = all)").range(0, 1 << 30)
      .field("test-images", &P::test_images, "use the first N test examples (0 = all)").range(0, 1 << 30);
  // clang-format on
  return t;
}

struct RunSummary {
  int run = 0;
  uint64_t seed = 0;
  double min_train_loss = 0, min_test_loss = 0;
  int epoch_train = 0, epoch_test = 0;
  std::string status;
  bool kept = false;
};

// Trains the missing runs of this shard, then (unless sharded) writes runs.csv and the stacks.
// Returns every run's summary (finished ones read back from disk).
std::vector<RunSummary> train_ensemble(const EnsembleConfig& config, const std::string& dir,
                                       const std::string& command_line);

// Reads DIR/run-*/summary.csv of every run and writes runs.csv, w_train.npy, w_test.npy
// (the collect step after sharded training). Error if a run is missing.
std::vector<RunSummary> collect_ensemble(const EnsembleConfig& config, const std::string& dir);

// The K best of the finished runs by training loss (diverged runs never kept), in run order.
std::vector<int> select_kept(const std::vector<RunSummary>& runs, int keep);

}  // namespace landscape
