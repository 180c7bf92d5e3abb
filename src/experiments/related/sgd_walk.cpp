#include "experiments/related/sgd_walk.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/wall_clock.hpp"
#include "experiments/related/sgd_walk_figures.hpp"
#include "experiments/related/sgd_walk_files.hpp"
#include "experiments/support/progress.hpp"
#include "io/data_directory.hpp"
#include "io/provenance.hpp"
#include "io/run_directory.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"

namespace landscape {

SegmentFloor segment_floor(const std::vector<double>& profile) {
  SegmentFloor f;
  f.loss = profile.at(0);
  for (size_t m = 1; m < profile.size(); ++m)
    if (profile[m] < f.loss) f.index = int(m), f.loss = profile[m];
  f.alpha = profile.size() > 1 ? double(f.index) / double(profile.size() - 1) : 0.0;
  return f;
}

std::vector<double> segment_losses(const Model& model, const Dataset& data, const Scalar* w_a,
                                   const Scalar* w_b, int points) {
  const size_t P = model.num_params();
  std::vector<double> out(points);
  std::vector<Scalar> W(size_t(points) * P);  // [M,P] the points
  std::exception_ptr failure;
  // One point per thread (each dataset_loss then runs on its calling thread); with fewer points
  // than threads the points go one after another, each with every thread.
#pragma omp parallel for schedule(dynamic, 1) if (points >= num_threads())
  for (int m = 0; m < points; ++m) {
    try {
      const double alpha = double(m) / double(points - 1);
      Scalar* w = W.data() + size_t(m) * P;
      // (1 - alpha) w_a + alpha w_b: exactly w_a at alpha = 0 and exactly w_b at alpha = 1.
      for (size_t p = 0; p < P; ++p)
        w[p] = static_cast<Scalar>((1 - alpha) * double(w_a[p]) + alpha * double(w_b[p]));
      out[m] = dataset_loss(model, data, w, nullptr).loss;
    } catch (...) {
#pragma omp critical(segment_losses_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  return out;
}

namespace {

double norm_of_difference(const Scalar* a, const Scalar* b, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) {
    const double d = double(a[i]) - double(b[i]);
    s += d * d;
  }
  return std::sqrt(s);
}

}  // namespace

WalkResult walk_sgd(const Model& model, const Dataset& train, const Dataset& test, const Dataset& eval,
                    const TrainConfig& config, const WalkParams& params, uint64_t seed,
                    std::vector<Scalar> w_init) {
  params.check();
  if (config.optimizer != Optimizer::Sgd) throw UsageError("the walk watches SGD: --optimizer must be sgd");
  const size_t P = model.num_params();
  WalkResult result;
  const std::vector<Scalar> w0 = w_init;            // [P]
  std::vector<Scalar> previous_step(P, Scalar(0));  // [P] w_t - w_{t-1}
  Progress progress;
  const auto t0 = std::chrono::steady_clock::now();
  const long steps_per_epoch = (train.size() + config.batch - 1) / config.batch;
  const long total = steps_per_epoch * config.epochs;

  auto on_step = [&](const SgdStepView& v) {
    // The cosine needs the previous step whether or not it was recorded.
    double dot = 0, now_sq = 0, before_sq = 0;
    for (size_t i = 0; i < P; ++i) {
      const double d = double(v.w_after[i]) - double(v.w_before[i]);
      dot += d * double(previous_step[i]);
      now_sq += d * d;
      before_sq += double(previous_step[i]) * double(previous_step[i]);
    }
    const bool record = v.step % params.every == 0;
    if (record) {
      WalkStep s;
      s.epoch = v.epoch;
      s.step = v.step;
      s.batch_loss = segment_losses(model, *v.batch, v.w_before, v.w_after, params.points);
      s.eval_loss = segment_losses(model, eval, v.w_before, v.w_after, params.points);
      s.step_norm = std::sqrt(now_sq);
      s.distance_from_init = norm_of_difference(v.w_after, w0.data(), P);
      s.cosine_previous = v.step == 0 ? NAN : dot / std::sqrt(now_sq * before_sq);
      result.steps.push_back(std::move(s));
    }
    for (size_t i = 0; i < P; ++i)
      previous_step[i] = static_cast<Scalar>(double(v.w_after[i]) - double(v.w_before[i]));
    const double el = seconds_since(t0);
    char line[200];
    std::snprintf(line, sizeof line, "walk lr %g batch %d: step %ld/%ld  %s elapsed, ~%s left", config.sgd.lr,
                  config.batch, v.step + 1, total, format_duration(el).c_str(),
                  format_duration(el / double(v.step + 1) * double(total - v.step - 1)).c_str());
    progress.update(line, v.step + 1 == total);
  };
  result.run = train_run(model, train, test, config, seed, std::move(w_init), nullptr, on_step);
  return result;
}

void WalkConfig::check() const {
  table().check(*this);
  make_model(arch);  // UsageError naming --arch
  if (lrs.empty()) throw UsageError("--lr: give at least one learning rate");
  for (double lr : lrs) SgdParams{lr, 0.0}.check();
  if (batches.empty()) throw UsageError("--batch: give at least one batch size");
  for (int b : batches)
    if (b < 1 || b > train_images)
      throw UsageError("--batch " + std::to_string(b) + " must be between 1 and the " +
                       std::to_string(train_images) + " training images");
  if (epochs < 1) throw UsageError("--epochs must be at least 1");
  walk.check();
  if (eval_images < 1 || eval_images > train_images)
    throw UsageError("--eval-images must be between 1 and the " + std::to_string(train_images) +
                     " training images");
}

std::string walk_run_name(double lr, int batch) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "lr%g-batch%d", lr, batch);
  return buf;
}

WalkSummary summarise_walk(double lr, int batch, const WalkResult& r) {
  WalkSummary s;
  s.lr = lr;
  s.batch = batch;
  s.name = walk_run_name(lr, batch);
  s.steps = long(r.steps.size());
  long cosines = 0;
  for (const WalkStep& w : r.steps) {
    const SegmentFloor f = segment_floor(w.eval_loss);
    s.height += 0.5 * (w.eval_loss.front() + w.eval_loss.back()) - f.loss;
    s.floor_alpha += f.alpha;
    s.interior += (f.index > 0 && f.index + 1 < int(w.eval_loss.size())) ? 1 : 0;
    if (std::isfinite(w.cosine_previous)) s.cosine += w.cosine_previous, ++cosines;
  }
  const double n = std::max<long>(s.steps, 1);
  s.height /= n, s.floor_alpha /= n, s.interior /= n;
  s.cosine = cosines ? s.cosine / cosines : NAN;
  s.distance = r.steps.empty() ? NAN : r.steps.back().distance_from_init;
  s.train_loss = r.run.curve.empty() ? NAN : r.run.curve.back().train_loss;
  s.test_loss = r.run.curve.empty() ? NAN : r.run.curve.back().test_loss;
  return s;
}

std::vector<WalkRun> walk_sweep(const WalkConfig& c) {
  c.check();
  auto model = make_model(c.arch);
  const std::string data_dir = resolve_data_dir(c.data_dir);
  const Dataset train = load_dataset(data_dir, Split::Train, c.train_images);
  const Dataset test = load_dataset(data_dir, Split::Test, c.test_images);
  for (const Dataset* d : {&train, &test}) check_data_fits(*d, *model, "--arch " + c.arch);
  const Dataset eval = train.first(c.eval_images);
  const std::vector<Scalar> w_init = init_weights(*model, c.seed);  // one start for every run
  std::vector<WalkRun> runs;
  for (double lr : c.lrs)
    for (int batch : c.batches) {
      TrainConfig tc;
      tc.optimizer = Optimizer::Sgd;
      tc.epochs = c.epochs;
      tc.batch = batch;
      tc.sgd.lr = lr;
      WalkRun run;
      run.result = walk_sgd(*model, train, test, eval, tc, c.walk, c.seed, w_init);
      run.summary = summarise_walk(lr, batch, run.result);
      runs.push_back(std::move(run));
    }
  return runs;
}

// The protocol: the sweep, its files, its figures, the manifest (written last: a study whose
// manifest exists is finished, related_study.hpp).
std::vector<WalkSummary> run_walk_study(const WalkConfig& c, const std::string& out,
                                        const std::string& command_line) {
  c.check();
  const auto t0 = std::chrono::steady_clock::now();
  const RunDirectory dir(out);
  const std::vector<WalkRun> runs = walk_sweep(c);
  write_walk_files(dir, runs);
  draw_walk_figures(runs, out);

  dir.write_manifest(
      settings_manifest(command_line, WalkConfig::table(), c).add("wall_seconds", seconds_since(t0)));
  std::vector<WalkSummary> summaries;
  for (const WalkRun& r : runs) summaries.push_back(r.summary);
  return summaries;
}

}  // namespace landscape
