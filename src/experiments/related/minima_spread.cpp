#include "experiments/related/minima_spread.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/strings.hpp"
#include "experiments/support/progress.hpp"
#include "experiments/support/provenance.hpp"
#include "experiments/support/report_document.hpp"
#include "experiments/training/training_run.hpp"
#include "io/atomic_file.hpp"
#include "io/csv.hpp"
#include "landscape/model_landscape.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"

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
    throw UsageError("--batch must be between 1 and the " + std::to_string(train_images) + " training images");
  SgdParams{lr, 0.0}.check();
  anneal.check();
  if (train_images < 1 || train_images > 60000) throw UsageError("--images must lie in [1, 60000]");
  if (test_images < 1 || test_images > 10000) throw UsageError("--test-images must lie in [1, 10000]");
}

double interquartile_range(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  auto quantile = [&](double q) {  // linear between order statistics: position q (n-1)
    const double pos = q * double(v.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
  };
  return quantile(0.75) - quantile(0.25);
}

double sample_std(const std::vector<double>& v) {
  if (v.size() < 2) return v.empty() ? NAN : 0.0;
  double mean = 0;
  for (double x : v) mean += x;
  mean /= double(v.size());
  double q = 0;
  for (double x : v) q += (x - mean) * (x - mean);
  return std::sqrt(q / double(v.size() - 1));
}

double pearson_correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 3 || y.size() != n) return NAN;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) mx += x[i], my += y[i];
  mx /= double(n), my /= double(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : NAN;
}

namespace {

// This file's CSV and settings text keep 10 significant digits.
std::string fmt(double v) { return number_text(v, "%.10g"); }

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
    SimulatedAnnealing annealer(ap);
    annealer.minimize(ModelLandscape(*model, train), w.data());
  }
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
  const Dataset train = load_mnist(data_dir, Split::Train, c.train_images);
  const Dataset test = load_mnist(data_dir, Split::Test, c.test_images);
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
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return jobs[a].width > jobs[b].width; });

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
      const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
    std::vector<double> train, test;
    for (size_t k = a; k < b; ++k)
      if (std::isfinite(runs[k].train_loss) && std::isfinite(runs[k].test_loss))
        train.push_back(runs[k].train_loss), test.push_back(runs[k].test_loss);
    s.restarts = int(test.size());
    auto mean = [](const std::vector<double>& v) {
      double m = 0;
      for (double x : v) m += x;
      return v.empty() ? NAN : m / double(v.size());
    };
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

std::vector<SpreadSummary> run_spread_study(const SpreadConfig& c, const std::string& out,
                                            const std::string& command_line) {
  const auto t0 = std::chrono::steady_clock::now();
  c.check();
  make_directories(out);
  remove_stale_temporaries(out);
  const std::vector<SpreadRun> runs = run_spread(c);
  const std::vector<SpreadSummary> summary = summarise_spread(runs);

  std::ostringstream rows, sums;
  rows << kSpreadHeader << '\n';
  for (const SpreadRun& r : runs)
    rows << r.optimizer << ',' << r.width << ',' << r.restart << ',' << r.seed << ',' << r.params << ','
         << fmt(r.train_loss) << ',' << fmt(r.test_loss) << ',' << fmt(r.test_accuracy) << ',' << r.status << '\n';
  sums << kSpreadSummaryHeader << '\n';
  for (const SpreadSummary& s : summary)
    sums << s.optimizer << ',' << s.width << ',' << s.restarts << ',' << s.params << ',' << fmt(s.test_mean)
         << ',' << fmt(s.test_std) << ',' << fmt(s.test_iqr) << ',' << fmt(s.test_min) << ','
         << fmt(s.test_max) << ',' << fmt(s.train_mean) << ',' << fmt(s.train_std) << ','
         << fmt(s.correlation) << '\n';
  write_text_atomic(out + "/spread.csv", rows.str());
  write_text_atomic(out + "/summary.csv", sums.str());
  draw_spread_figures(out, out);

  JsonObject m = provenance(command_line);
  m.add("restarts", c.restarts).add("pool", c.pools).add("epochs", c.epochs).add("batch", c.batch)
      .add("lr", c.lr).add("anneal_steps", (long long)c.anneal.steps).add("t_start", c.anneal.t_start)
      .add("t_end", c.anneal.t_end).add("sigma", c.anneal.sigma).add("train_images", c.train_images)
      .add("test_images", c.test_images).add("seed", (long long)c.seed)
      .add("wall_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  write_text_atomic(out + "/manifest.json", m.str() + "\n");
  return summary;
}

SpreadFigures draw_spread_figures(const std::string& spread_dir, const std::string& fig_dir) {
  const CsvTable runs = read_csv(spread_dir + "/spread.csv");
  const CsvTable summary = read_csv(spread_dir + "/summary.csv");
  SpreadFigures drawn;
  if (summary.rows.empty()) return drawn;
  make_directories(fig_dir);
  std::vector<std::string> optimizers;
  for (const auto& row : summary.rows)
    if (std::find(optimizers.begin(), optimizers.end(), row[0]) == optimizers.end()) optimizers.push_back(row[0]);
  auto title = [](const std::string& o) { return o == "sgd" ? std::string("SGD") : std::string("simulated annealing"); };

  // spread_hist: one panel per optimizer, a histogram of the final test losses per width.
  std::ostringstream hist;
  std::string hist_plot;
  int index = 0;
  for (const std::string& o : optimizers) {
    hist_plot += "set title '" + title(o) + "'\nplot ";
    bool first = true;
    for (size_t s = 0; s < summary.rows.size(); ++s) {
      if (summary.rows[s][0] != o) continue;
      const std::string width = summary.rows[s][1];
      hist << "# " << o << " width " << width << ": final test loss per restart\n";
      for (size_t r = 0; r < runs.rows.size(); ++r)
        if (runs.rows[r][0] == o && runs.rows[r][1] == width && runs.rows[r][runs.column("status")] == "ok")
          hist << runs.rows[r][runs.column("test_loss")] << '\n';
      hist << "\n\n";
      hist_plot += std::string(first ? "" : ", ") + "'spread_hist.dat' index " + std::to_string(index++) +
                   " using (bin($1)):(1.0) smooth frequency with boxes title 'W = " + width + "'";
      first = false;
    }
    hist_plot += "\n";
  }
  write_text_atomic(fig_dir + "/spread_hist.dat", hist.str());
  const std::string hist_size = "900," + std::to_string(330 * optimizers.size() + 40);
  drawn.histograms = run_gnuplot(
      fig_dir, "spread_hist",
      both_terminals("spread_hist",
                     "stats 'spread_hist.dat' using 1 nooutput\nbw = (STATS_max - STATS_min) / 25 + 1e-12\n"
                     "bin(x) = bw * floor(x / bw) + bw / 2\nset boxwidth bw\n"
                     "set style fill transparent solid 0.35 noborder\nset xrange [STATS_min - bw : STATS_max + bw]\n"
                     "set multiplot layout " + std::to_string(optimizers.size()) +
                         ",1 title 'Final test loss of every restart, one-hidden-layer networks of width W'\n"
                         "set xlabel 'test loss'\nset ylabel 'restarts'\nset key top right\n" + hist_plot + "unset multiplot",
                     hist_size.c_str()));

  // spread_width: the band (mean, min..max), its width (std, IQR) and the train/test
  // correlation against the width, one line per optimizer.
  std::ostringstream band;
  for (const std::string& o : optimizers) {
    band << "# " << o << ": width mean min max std iqr corr\n";
    for (size_t s = 0; s < summary.rows.size(); ++s)
      if (summary.rows[s][0] == o)
        band << summary.rows[s][1] << ' ' << summary.rows[s][summary.column("test_mean")] << ' '
             << summary.rows[s][summary.column("test_min")] << ' ' << summary.rows[s][summary.column("test_max")]
             << ' ' << summary.rows[s][summary.column("test_std")] << ' '
             << summary.rows[s][summary.column("test_iqr")] << ' '
             << summary.rows[s][summary.column("train_test_corr")] << '\n';
    band << "\n\n";
  }
  write_text_atomic(fig_dir + "/spread_width.dat", band.str());
  double w_lo = 1e300, w_hi = 0;  // the widths, for an x range with a margin on the log scale
  for (size_t s = 0; s < summary.rows.size(); ++s)
    w_lo = std::min(w_lo, summary.number(s, "width")), w_hi = std::max(w_hi, summary.number(s, "width"));
  char xrange[80];
  std::snprintf(xrange, sizeof xrange, "set xrange [%g:%g]\n", w_lo / 1.5, w_hi * 1.5);
  const char* colours[] = {"#2471a3", "#c0392b"};
  std::string p1 = "plot ", p2 = "plot ", p3 = "plot ";
  for (size_t i = 0; i < optimizers.size(); ++i) {
    const std::string idx = std::to_string(i), col = colours[i % 2], sep = i ? ", " : "";
    p1 += sep + "'spread_width.dat' index " + idx + " using 1:2:3:4 with yerrorlines lw 2 lc rgb '" + col +
          "' title '" + title(optimizers[i]) + " (mean, min..max)'";
    p2 += sep + "'spread_width.dat' index " + idx + " using 1:5 with linespoints lw 2 pt 7 lc rgb '" + col +
          "' title '" + title(optimizers[i]) + " std', '' index " + idx + " using 1:6 with linespoints lw 2 dt 2 pt 6 lc rgb '" +
          col + "' title '" + title(optimizers[i]) + " IQR'";
    p3 += sep + "'spread_width.dat' index " + idx + " using 1:7 with linespoints lw 2 pt 7 lc rgb '" + col +
          "' title '" + title(optimizers[i]) + "'";
  }
  drawn.width = run_gnuplot(
      fig_dir, "spread_width",
      both_terminals("spread_width",
                     "set multiplot layout 1,3 title 'Minima of one-hidden-layer networks against their width W'\n"
                     "set logscale x\n" + std::string(xrange) + "set xlabel 'hidden units W'\nset key top right font ',8'\n"
                     "set title 'final test loss'\nset ylabel 'test loss'\n" + p1 +
                         "\nset title 'spread of the test losses'\nset ylabel 'std / IQR'\n" + p2 +
                         "\nset title 'train/test loss correlation'\nset ylabel 'Pearson r'\nset yrange [-1:1]\n" + p3 +
                         "\nunset multiplot",
                     "1300,430"));
  return drawn;
}

}  // namespace landscape
