#include "experiments/training/training_run.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "core/error.hpp"
#include "core/norms.hpp"
#include "core/random.hpp"
#include "core/wall_clock.hpp"
#include "experiments/support/table_columns.hpp"
#include "landscape/model_landscape.hpp"
#include "models/dataset_loss.hpp"

namespace landscape {

void TrainConfig::check(int train_images) const {
  table().check(*this);
  if (optimizer == Optimizer::Sgd) {
    if (batch < 1 || batch > train_images)
      throw UsageError("--batch " + std::to_string(batch) + " must be between 1 and the " +
                       std::to_string(train_images) + " training images");
    sgd.check();
  } else {
    lbfgs.check();
  }
}

namespace {

// Mini-batch SGD over one epoch: a fresh permutation of the training set from the run's
// generator, batches of `batch` consecutive indices of it (the last one may be smaller, as
// PyTorch's DataLoader without drop_last).
class SgdEpochs {
 public:
  SgdEpochs(const Model& model, const Dataset& train, const TrainConfig& cfg, uint64_t seed,
            const StepCallback& on_step)
      : model_(model),
        train_(train),
        batch_size_(cfg.batch),
        sgd_(model.num_params(), cfg.sgd),
        on_step_(on_step),
        rng_(seed ^ 0x5DEECE66DULL),
        order_(train.size()),
        grad_(model.num_params()) {
    std::iota(order_.begin(), order_.end(), 0);
  }

  // Returns "" or a description of the first non-finite batch loss or gradient.
  // What an epoch's trace row adds (docs/algorithms.md §16): the mean mini-batch loss and |g|.
  struct EpochTotals {
    double loss = 0, gradient_norm = 0;
    int batches = 0;
    void add(double batch_loss, const std::vector<Scalar>& g) {
      loss += batch_loss, gradient_norm += euclidean_norm(g), ++batches;
    }
  };
  void trace_totals() { traced_ = true; }
  // The totals of the epoch just run, then zero for the next.
  EpochTotals take_totals() { return std::exchange(totals_, EpochTotals{}); }
  const std::vector<int>& order() const { return order_; }  // the last epoch's shuffle

  std::string run_epoch(std::vector<Scalar>& w, int epoch) {
    shuffle();
    const int N = train_.size();
    for (int start = 0, step = 0; start < N; start += batch_size_, ++step) {
      gather(start, std::min(batch_size_, N - start));
      const double loss = dataset_loss(model_, batch_, w.data(), grad_.data()).loss;
      if (!std::isfinite(loss) || !all_finite(grad_))
        return "non-finite " + std::string(std::isfinite(loss) ? "gradient" : "loss") + " at epoch " +
               std::to_string(epoch) + ", step " + std::to_string(step);
      if (traced_) totals_.add(loss, grad_);
      if (on_step_) w_before_ = w;
      sgd_.step(w.data(), grad_.data());
      if (on_step_) on_step_({epoch, steps_taken_, &batch_, w_before_.data(), w.data()});
      ++steps_taken_;
    }
    return "";
  }

 private:
  void shuffle() {  // Fisher-Yates with the project's Rng (platform-independent)
    for (int i = int(order_.size()) - 1; i > 0; --i) std::swap(order_[i], order_[rng_.below(i + 1)]);
  }
  void gather(int start, int n) {
    const size_t D = train_.row_length();
    if (batch_.size() != n) {
      batch_.images = Tensor({n, int(D)});
      batch_.labels.assign(n, 0);
      batch_.sample_shape = train_.sample_shape;
    }
    for (int k = 0; k < n; ++k) {
      const int src = order_[start + k];
      std::copy_n(train_.images.data() + size_t(src) * D, D, batch_.images.data() + size_t(k) * D);
      batch_.labels[k] = train_.labels[src];
    }
  }
  static bool all_finite(const std::vector<Scalar>& v) {
    for (Scalar x : v)
      if (!std::isfinite(x)) return false;
    return true;
  }

  const Model& model_;
  const Dataset& train_;
  int batch_size_;
  Sgd sgd_;
  const StepCallback& on_step_;
  std::vector<Scalar> w_before_;  // [P] copy for on_step_ only
  long steps_taken_ = 0;
  bool traced_ = false;
  EpochTotals totals_;
  Rng rng_;
  std::vector<int> order_;
  std::vector<Scalar> grad_;
  Dataset batch_;
};

}  // namespace

std::vector<std::string> sgd_trace_columns() {
  return {"train_loss",  "test_loss", "batch_loss_mean", "gradient_norm_mean",
          "weight_norm", "step_norm", "batches"};
}

std::vector<std::string> lbfgs_trace_columns() {
  return {"loss_start",    "loss",      "test_loss",   "gradient_norm", "direction_norm", "gamma",
          "step_length",   "bracket_a", "bracket_b",   "evaluations",   "pairs",          "cosine_min",
          "cosine_newest", "reset",     "line_search", "weight_norm"};
}

Table<EpochRecord> curve_table(const char* format) {
  using E = EpochRecord;
  return Table<E>({integer_column("epoch", &E::epoch), number_column("train_loss", &E::train_loss, format),
                   number_column("test_loss", &E::test_loss, format)});
}

RunRecord train_run(const Model& model, const Dataset& train, const Dataset& test, const TrainConfig& config,
                    uint64_t seed, std::vector<Scalar> w_init, const EpochCallback& on_epoch,
                    const StepCallback& on_step) {
  config.check(train.size());
  RunRecord run;
  run.seed = seed;
  run.w_init = w_init;
  std::vector<Scalar> w = std::move(w_init);
  const ModelLandscape train_loss(model, train);

  SgdEpochs sgd(model, train, config, seed, on_step);
  LbfgsGss lbfgs(model.num_params(), config.lbfgs);
  // The weights after the last epoch that ended finite: a diverged run's w_final, since the
  // weights it diverged with may hold Inf/NaN, which must not reach a result file.
  std::vector<Scalar> w_last = w;
  auto snapshot = [&](int epoch, const std::vector<Scalar>& x) {
    run.snapshots.insert(run.snapshots.end(), x.begin(), x.end());
    run.snapshot_epochs.push_back(epoch);
  };
  if (config.snapshot_every > 0) snapshot(0, w);
  // The trace (docs/algorithms.md §16) only reads what the run computes, plus, for SGD, the
  // losses at w_init as its step 0.
  const TraceParams& tp = config.trace;
  const bool is_sgd = config.optimizer == Optimizer::Sgd;
  if (tp.trace) {
    run.trace.emplace(is_sgd ? sgd_trace_columns() : lbfgs_trace_columns());
    if (is_sgd) {
      sgd.trace_totals();
      const double nan = std::numeric_limits<double>::quiet_NaN();
      run.trace->add(
          0, {train_loss.evaluate(w.data(), nullptr), dataset_loss(model, test, w.data(), nullptr).loss, nan,
              nan, euclidean_norm(w), nan, nan});
    }
    if (tp.state_at(0, config.epochs)) run.trace_states.add(0, w.data(), w.size());
  }

  for (int epoch = 1; epoch <= config.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    EpochRecord rec;
    rec.epoch = epoch;
    IterationReport it;
    if (config.optimizer == Optimizer::Sgd) {
      run.failure = sgd.run_epoch(w, epoch);
      rec.train_loss = run.failure.empty() ? train_loss.evaluate(w.data(), nullptr) : NAN;
    } else {
      // docs/algorithms.md §4.6: an L-BFGS-GSS epoch reports the loss at the accepted point.
      it = lbfgs.iterate(train_loss, w.data());
      rec.train_loss = it.loss;
    }
    rec.test_loss = std::isfinite(rec.train_loss) ? dataset_loss(model, test, w.data(), nullptr).loss : NAN;
    if (tp.trace) {
      if (is_sgd) {
        const auto totals = sgd.take_totals();
        run.trace->add(epoch, {rec.train_loss, rec.test_loss, totals.loss / totals.batches,
                               totals.gradient_norm / totals.batches, euclidean_norm(w),
                               euclidean_distance(w, w_last), double(totals.batches)});
        if (tp.states) run.shuffles.insert(run.shuffles.end(), sgd.order().begin(), sgd.order().end());
      } else {
        run.trace->add(epoch, {it.loss_start, it.loss, rec.test_loss, it.gradient_norm, it.direction_norm,
                               it.gamma, it.step, it.bracket_a, it.bracket_b, double(it.evaluations),
                               double(it.pairs), it.cosine_min, it.cosine_newest, double(it.reset),
                               double(int(it.line_search)), euclidean_norm(w)});
      }
      if (tp.state_at(epoch, config.epochs)) run.trace_states.add(epoch, w.data(), w.size());
    }
    if (!std::isfinite(rec.train_loss) || !std::isfinite(rec.test_loss)) {
      run.status = "diverged";
      if (run.failure.empty())
        run.failure = "non-finite " + std::string(std::isfinite(rec.train_loss) ? "test" : "training") +
                      " loss at epoch " + std::to_string(epoch);
      break;
    }
    run.curve.push_back(rec);
    w_last = w;
    if (config.snapshot_every > 0 && epoch % config.snapshot_every == 0) snapshot(epoch, w);
    if (run.curve.size() == 1 || rec.train_loss < run.min_train_loss) {
      run.min_train_loss = rec.train_loss;
      run.epoch_train = epoch;
      run.w_train = w;
    }
    if (run.curve.size() == 1 || rec.test_loss < run.min_test_loss) {
      run.min_test_loss = rec.test_loss;
      run.epoch_test = epoch;
      run.w_test = w;
    }
    if (on_epoch) on_epoch(rec, seconds_since(t0));
  }
  run.lbfgs_resets = lbfgs.resets();
  run.w_final = run.status == "ok" ? w : w_last;
  if (config.snapshot_every > 0 && run.snapshot_epochs.back() != int(run.curve.size()))
    snapshot(int(run.curve.size()), run.w_final);  // the trajectory ends at w_final
  if (run.curve.empty()) {  // diverged in the first epoch: nothing better than the start
    run.w_train = run.w_test = run.w_init;
    run.min_train_loss = run.min_test_loss = NAN;
  }
  return run;
}

}  // namespace landscape
