#include "experiments/related/minima_spread.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/strings.hpp"
#include "core/wall_clock.hpp"
#include "experiments/related/minima_spread_figures.hpp"
#include "experiments/related/minima_spread_files.hpp"
#include "experiments/support/progress.hpp"
#include "experiments/training/training_run.hpp"
#include "io/data_directory.hpp"
#include "io/provenance.hpp"
#include "io/run_directory.hpp"
#include "landscape/model_landscape.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"
#include "models/one_hidden_layer_moves.hpp"

namespace landscape {

void SpreadConfig::check() const {
  table().check(*this);
  if (widths.empty()) throw UsageError("--widths: give at least one width");
  for (int w : widths)
    if (w < 1) throw UsageError("--widths: every width must be at least 1");
  if (restarts < 1) throw UsageError("--restarts must be at least 1");
  if (optimizers.empty()) throw UsageError("--optimizer: give sgd, anneal or both");
  if (pools < 0 || pools > 2) throw UsageError("--pool must be 0, 1 or 2 (28x28, 14x14, 7x7 inputs)");
  if (epochs < 1) throw UsageError("--epochs must be at least 1");
  if (batch < 1 || batch > train_images)
    throw UsageError("--batch must be between 1 and the " + std::to_string(train_images) +
                     " training images");
  SgdParams{lr, 0.0}.check();
  if (anneal_sweeps < 1) throw UsageError("--anneal-sweeps must be at least 1");
  anneal.check();
  if (train_images < 1 || train_images > 60000) throw UsageError("--images must lie in [1, 60000]");
  if (test_images < 1 || test_images > 10000) throw UsageError("--test-images must lie in [1, 10000]");
}

namespace {

// One restart: train from init seed, then the losses of the final weights.
SpreadRun train_one(const SpreadConfig& c, SpreadOptimizer optimizer, int width, int restart,
                    const Dataset& train, const Dataset& test) {
  auto model = make_one_hidden_layer(width, c.pools);
  SpreadRun r;
  r.optimizer = to_string(optimizer);
  r.width = width;
  r.restart = restart;
  r.seed = c.seed + uint64_t(restart);
  r.params = long(model->num_params());
  std::vector<Scalar> w = init_weights(*model, r.seed);
  const auto t0 = std::chrono::steady_clock::now();
  if (optimizer == SpreadOptimizer::Sgd) {
    TrainConfig tc;
    tc.epochs = c.epochs;
    tc.batch = c.batch;
    tc.sgd.lr = c.lr;
    const RunRecord run = train_run(*model, train, test, tc, r.seed, w);
    r.status = run.status;
    w = run.w_final;
  } else {
    AnnealParams ap = c.anneal;
    ap.seed = r.seed;
    // Every unit is proposed a change anneal_sweeps times, whatever the width.
    ap.steps = c.anneal_moves == AnnealMoves::Unit ? c.anneal_sweeps * width : c.anneal_sweeps;
    SimulatedAnnealing annealer(ap);
    AnnealResult a;
    if (c.anneal_moves == AnnealMoves::Unit) {
      OneHiddenLayerMoves moves(width, c.pools, Activation::Softplus, train, w.data());
      a = annealer.minimize_by_blocks(moves, w.data());
    } else {
      a = annealer.minimize(ModelLandscape(*model, train), w.data());
    }
    r.proposals = a.proposals;
    r.acceptance = double(a.accepted) / double(a.proposals);
  }
  r.seconds = seconds_since(t0);
  r.train_loss = dataset_loss(*model, train, w.data(), nullptr).loss;
  const DatasetLoss t = dataset_loss(*model, test, w.data(), nullptr);
  r.test_loss = t.loss;
  r.test_accuracy = t.accuracy();
  if (!std::isfinite(r.train_loss) || !std::isfinite(r.test_loss)) r.status = "diverged";
  return r;
}

}  // namespace

std::vector<SpreadRun> run_spread(const SpreadConfig& c) {
  c.check();
  const std::string data_dir = resolve_data_dir(c.data_dir);
  const Dataset train = load_dataset(data_dir, Split::Train, c.train_images);
  const Dataset test = load_dataset(data_dir, Split::Test, c.test_images);
  // The one-hidden-layer classifiers (models/one_hidden_layer.cpp) take the 784 pixels.
  for (const Dataset* d : {&train, &test})
    check_data_fits(*d, kImagePixels, true, kMnistClasses, "spread's one-hidden-layer networks");
  struct Job {
    SpreadOptimizer optimizer;
    int width, restart;
  };
  std::vector<Job> jobs;
  for (SpreadOptimizer o : c.optimizers)
    for (int w : c.widths)
      for (int r = 0; r < c.restarts; ++r) jobs.push_back({o, w, r});
  // The widest first, so the last jobs to finish are short ones; rows keep the list's order.
  std::vector<size_t> order(jobs.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return jobs[a].width > jobs[b].width; });

  std::vector<SpreadRun> runs(jobs.size());
  std::exception_ptr failure;
  Progress progress;
  int done = 0;
  const auto t0 = std::chrono::steady_clock::now();
  // Restarts are independent: one per thread, each training on its calling thread.
#pragma omp parallel for schedule(dynamic, 1) if (int(jobs.size()) >= num_threads())
  for (long k = 0; k < long(jobs.size()); ++k) {
    const Job& j = jobs[order[k]];
    try {
      runs[order[k]] = train_one(c, j.optimizer, j.width, j.restart, train, test);
    } catch (...) {
#pragma omp critical(spread_failure)
      if (!failure) failure = std::current_exception();
    }
#pragma omp critical(spread_progress)
    {
      ++done;
      const double el = seconds_since(t0);
      char line[160];
      std::snprintf(line, sizeof line, "spread: %d/%zu restarts  %s elapsed", done, jobs.size(),
                    format_duration(el).c_str());
      progress.update(line, done == int(jobs.size()));
    }
  }
  if (failure) std::rethrow_exception(failure);
  return runs;
}

std::vector<SpreadSummary> summarise_spread(const std::vector<SpreadRun>& runs) {
  std::vector<SpreadSummary> out;
  for (size_t a = 0; a < runs.size();) {
    size_t b = a;
    while (b < runs.size() && runs[b].optimizer == runs[a].optimizer && runs[b].width == runs[a].width) ++b;
    SpreadSummary s;
    s.optimizer = runs[a].optimizer;
    s.width = runs[a].width;
    s.params = runs[a].params;
    std::vector<double> train, test, seconds;
    for (size_t k = a; k < b; ++k) {
      seconds.push_back(runs[k].seconds);
      if (std::isfinite(runs[k].train_loss) && std::isfinite(runs[k].test_loss))
        train.push_back(runs[k].train_loss), test.push_back(runs[k].test_loss);
    }
    s.seconds = mean(seconds);
    s.restarts = int(test.size());
    s.test_mean = mean(test);
    s.test_std = sample_std(test);
    s.test_iqr = interquartile_range(test);
    s.test_min = test.empty() ? NAN : *std::min_element(test.begin(), test.end());
    s.test_max = test.empty() ? NAN : *std::max_element(test.begin(), test.end());
    s.train_mean = mean(train);
    s.train_std = sample_std(train);
    s.correlation = pearson_correlation(train, test);
    out.push_back(s);
    a = b;
  }
  return out;
}

namespace {

std::string three(double v) { return number_text(v, "%.3g"); }

// The summary rows of one optimizer, in width order.
std::vector<SpreadSummary> rows_of(const std::vector<SpreadSummary>& summary, const std::string& optimizer) {
  std::vector<SpreadSummary> rows;
  for (const SpreadSummary& s : summary)
    if (s.optimizer == optimizer && s.restarts > 0) rows.push_back(s);
  std::sort(rows.begin(), rows.end(),
            [](const SpreadSummary& a, const SpreadSummary& b) { return a.width < b.width; });
  return rows;
}

SpreadFinding narrowing(const std::vector<SpreadSummary>& rows) {
  const SpreadSummary &small = rows.front(), &large = rows.back();
  SpreadFinding f;
  f.claim = rows[0].optimizer + ": the spread of the minima's test losses narrows as the networks grow";
  f.holds = large.test_std < small.test_std && large.test_iqr < small.test_iqr;
  f.evidence = "std " + three(small.test_std) + " (W = " + std::to_string(small.width) + ") -> " +
               three(large.test_std) + " (W = " + std::to_string(large.width) + "), IQR " +
               three(small.test_iqr) + " -> " + three(large.test_iqr) + "; std by width:";
  for (const SpreadSummary& r : rows) f.evidence += " " + three(r.test_std);
  return f;
}

SpreadFinding decorrelation(const std::vector<SpreadSummary>& rows) {
  const SpreadSummary &small = rows.front(), &large = rows.back();
  SpreadFinding f;
  f.claim = rows[0].optimizer + ": train and test loss decorrelate as the networks grow";
  f.holds = std::isfinite(small.correlation) && std::isfinite(large.correlation) &&
            large.correlation < small.correlation;
  f.evidence = "Pearson r by width:";
  for (const SpreadSummary& r : rows) f.evidence += " " + number_text(r.correlation, "%.2f");
  return f;
}

SpreadFinding same_band(const std::vector<SpreadSummary>& sgd, const std::vector<SpreadSummary>& anneal) {
  SpreadFinding f;
  f.claim = "SGD and simulated annealing reach the same band of test losses at every width";
  f.holds = true;
  for (const SpreadSummary& a : anneal)
    for (const SpreadSummary& g : sgd) {
      if (g.width != a.width) continue;
      const bool overlap = a.test_min <= g.test_max && g.test_min <= a.test_max;
      f.holds = f.holds && overlap;
      f.evidence += std::string(f.evidence.empty() ? "" : "; ") + "W = " + std::to_string(a.width) +
                    ": annealing " + three(a.test_min) + ".." + three(a.test_max) + ", SGD " +
                    three(g.test_min) + ".." + three(g.test_max);
      // Apart: the training losses say whether annealing stopped short (higher there too) or
      // found minima that fit the training images less closely (docs/algorithms.md §12.4).
      if (!overlap)
        f.evidence += std::string(" (apart: annealing ") + (a.test_min > g.test_max ? "higher" : "lower") +
                      ", training loss " + three(a.train_mean) + " vs SGD's " + three(g.train_mean) + ")";
    }
  if (f.evidence.empty()) f.holds = false;
  return f;
}

}  // namespace

std::vector<SpreadFinding> check_spread_findings(const std::vector<SpreadSummary>& summary) {
  std::vector<SpreadFinding> out;
  const std::vector<SpreadSummary> sgd = rows_of(summary, "sgd"), anneal = rows_of(summary, "anneal");
  for (const auto* rows : {&sgd, &anneal})
    if (rows->size() >= 2) out.push_back(narrowing(*rows));
  if (!sgd.empty() && !anneal.empty()) out.push_back(same_band(sgd, anneal));
  for (const auto* rows : {&sgd, &anneal})
    if (rows->size() >= 2) out.push_back(decorrelation(*rows));
  return out;
}

std::vector<SpreadSummary> run_spread_study(const SpreadConfig& c, const std::string& out,
                                            const std::string& command_line) {
  const auto t0 = std::chrono::steady_clock::now();
  c.check();
  const RunDirectory dir(out);
  const std::vector<SpreadRun> runs = run_spread(c);
  const std::vector<SpreadSummary> summary = summarise_spread(runs);
  write_spread_files(dir, runs, summary);
  draw_spread_figures(runs, summary, out);

  dir.write_manifest(
      settings_manifest(command_line, SpreadConfig::table(), c).add("wall_seconds", seconds_since(t0)));
  return summary;
}

}  // namespace landscape
