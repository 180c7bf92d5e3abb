// One training run of the protocol of docs/algorithms.md §3.2: from the initial weights, E epochs of SGD
// (mini-batches, reshuffled each epoch) or of L-BFGS-GSS (one full-batch iteration per epoch),
// recording after every epoch the loss over the whole training set and over the test set, and
// keeping the weights at the minimum of each: w_train and w_test (early stopping), plus w_final.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "experiments/support/step_trace.hpp"
#include "io/mnist.hpp"
#include "io/table_writer.hpp"
#include "models/model.hpp"
#include "optim/lbfgs_gss.hpp"
#include "optim/sgd.hpp"

namespace landscape {

enum class Optimizer { Sgd, Lbfgs };
inline constexpr EnumName<Optimizer> kOptimizerNames[] = {{Optimizer::Sgd, "sgd"},
                                                          {Optimizer::Lbfgs, "lbfgs"}};
inline std::string to_string(Optimizer o) { return enum_name(kOptimizerNames, o); }

// Flags: table() below (docs/algorithms.md §3, §4).
struct TrainConfig {
  Optimizer optimizer = Optimizer::Sgd;
  int epochs = 10;  // L-BFGS: iterations (the paper runs 1000)
  int batch = 64;   // SGD
  SgdParams sgd;
  LbfgsGssParams lbfgs;
  int snapshot_every = 0;  // K: keep w every K-th epoch (0: none)
  // --trace (docs/algorithms.md §16): not in table(), so never in a preset or the settings text.
  TraceParams trace;
  static const ParameterTable<TrainConfig>& table();
  // The table's bounds, batch <= train_images (SGD), the optimizer's own check(); UsageError
  // naming the flag.
  void check(int train_images) const;
};

inline const ParameterTable<TrainConfig>& TrainConfig::table() {
  using P = TrainConfig;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("optimizer", &P::optimizer, "sgd | lbfgs (L-BFGS-GSS, full batch)", kOptimizerNames)
      .field("epochs", &P::epochs, "epochs (SGD) or iterations (L-BFGS-GSS; the paper: 1000)")
          .range(1, 10000000)
      .include(&P::sgd, SgdParams::table())
      .field("batch", &P::batch, "SGD mini-batch size").range(1, 60000)
      .include(&P::lbfgs, LbfgsGssParams::table())
      .field("snapshots", &P::snapshot_every,
             "keep w every K-th epoch (with w_init, w_final) in run-NNN/snapshots.npy")
          .range(0, 10000000);
  // clang-format on
  return t;
}

struct EpochRecord {
  int epoch = 0;  // 1..E
  double train_loss = 0, test_loss = 0;
};

// A run's curve.csv, epoch,train_loss,test_loss, the losses in the printf format given (an
// ensemble's runs keep 12 significant digits).
Table<EpochRecord> curve_table(const char* format = "%.12g");

struct RunRecord {
  uint64_t seed = 0;
  std::vector<EpochRecord> curve;
  std::vector<Scalar> w_init, w_train, w_test, w_final;
  double min_train_loss = 0, min_test_loss = 0;
  int epoch_train = 0, epoch_test = 0;
  int lbfgs_resets = 0;
  std::string status = "ok";  // ok | diverged
  std::string failure;        // where a NaN/Inf appeared (diverged runs)
  // snapshot_every > 0: the trajectory for surface plots (Li et al. 2018, docs/algorithms.md §9.2): w_init,
  // w after every K-th epoch, and w_final last, as rows [S, P]; their epochs [S] (0 = init).
  std::vector<Scalar> snapshots;
  std::vector<int> snapshot_epochs;
  // With config.trace (docs/algorithms.md §16): a row per epoch (SGD) or iteration (L-BFGS-GSS);
  // with its states, w after the epochs state_at() names and, for SGD, each epoch's shuffle
  // [E, N] (the order the mini-batches were taken in).
  std::optional<StepTrace> trace;
  TraceStates trace_states;
  std::vector<int64_t> shuffles;
};

// The columns of a training run's trace (docs/algorithms.md §16).
std::vector<std::string> sgd_trace_columns();
std::vector<std::string> lbfgs_trace_columns();

// Called after each epoch (progress display); never changes the run.
using EpochCallback = std::function<void(const EpochRecord&, double seconds_this_epoch)>;

// One SGD step as it happened, for studies that watch the walk (experiments/related/sgd_walk.hpp).
struct SgdStepView {
  int epoch = 0;                     // 1..E
  long step = 0;                     // 0, 1, ... over the whole run
  const Dataset* batch = nullptr;    // the mini-batch the gradient came from
  const Scalar* w_before = nullptr;  // [P] the iterate the step left
  const Scalar* w_after = nullptr;   // [P] the iterate it reached
};
// Called after each SGD step when given (it costs a copy of the weights per step); never
// changes the run.
using StepCallback = std::function<void(const SgdStepView&)>;

// seed: the run's seed (shuffling; also the init unless w_init is given).
RunRecord train_run(const Model& model, const Dataset& train, const Dataset& test, const TrainConfig& config,
                    uint64_t seed, std::vector<Scalar> w_init, const EpochCallback& on_epoch = nullptr,
                    const StepCallback& on_step = nullptr);

}  // namespace landscape
