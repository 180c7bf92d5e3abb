#include "experiments/related/sgd_walk.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <sstream>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/strings.hpp"
#include "experiments/support/progress.hpp"
#include "experiments/support/provenance.hpp"
#include "experiments/support/report_document.hpp"
#include "io/atomic_file.hpp"
#include "io/csv.hpp"
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

// This file's CSV and settings text keep 10 significant digits.
std::string fmt(double v) { return number_text(v, "%.10g"); }

}  // namespace

WalkResult walk_sgd(const Model& model, const Dataset& train, const Dataset& test,
                    const Dataset& eval, const TrainConfig& config, const WalkParams& params,
                    uint64_t seed, std::vector<Scalar> w_init) {
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
    for (size_t i = 0; i < P; ++i) previous_step[i] = static_cast<Scalar>(double(v.w_after[i]) - double(v.w_before[i]));
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char line[200];
    std::snprintf(line, sizeof line, "walk lr %g batch %d: step %ld/%ld  %s elapsed, ~%s left",
                  config.sgd.lr, config.batch, v.step + 1, total, format_duration(el).c_str(),
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

namespace {

std::string run_name(double lr, int batch) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "lr%g-batch%d", lr, batch);
  return buf;
}

void write_walk(const std::string& dir, const WalkResult& r, int points) {
  make_directories(dir);
  std::ostringstream steps, segments, curve;
  steps << kStepsHeader << '\n';
  segments << "step,alpha,batch_loss,eval_loss\n";
  for (const WalkStep& s : r.steps) {
    const SegmentFloor fb = segment_floor(s.batch_loss), fe = segment_floor(s.eval_loss);
    steps << s.epoch << ',' << s.step << ',' << fmt(s.step_norm) << ',' << fmt(s.distance_from_init)
          << ',' << fmt(s.cosine_previous) << ',' << fmt(s.batch_loss.front()) << ','
          << fmt(s.batch_loss.back()) << ',' << fmt(fb.alpha) << ',' << fmt(fb.loss) << ','
          << fmt(s.eval_loss.front()) << ',' << fmt(s.eval_loss.back()) << ',' << fmt(fe.alpha)
          << ',' << fmt(fe.loss) << ',' << fmt(s.eval_loss.front() - fe.loss) << ','
          << fmt(s.eval_loss.back() - fe.loss) << '\n';
    for (int m = 0; m < points; ++m)
      segments << s.step << ',' << fmt(double(m) / (points - 1)) << ',' << fmt(s.batch_loss[m])
               << ',' << fmt(s.eval_loss[m]) << '\n';
  }
  curve << "epoch,train_loss,test_loss\n";
  for (const EpochRecord& e : r.run.curve)
    curve << e.epoch << ',' << fmt(e.train_loss) << ',' << fmt(e.test_loss) << '\n';
  write_text_atomic(dir + "/steps.csv", steps.str());
  write_text_atomic(dir + "/segments.csv", segments.str());
  write_text_atomic(dir + "/curve.csv", curve.str());
}

WalkSummary summarise(double lr, int batch, const WalkResult& r) {
  WalkSummary s;
  s.lr = lr;
  s.batch = batch;
  s.name = run_name(lr, batch);
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

}  // namespace

std::vector<WalkSummary> run_walk_study(const WalkConfig& c, const std::string& out,
                                        const std::string& command_line) {
  c.check();
  const auto t0 = std::chrono::steady_clock::now();
  make_directories(out);
  remove_stale_temporaries(out);
  auto model = make_model(c.arch);
  const std::string data_dir = resolve_data_dir(c.data_dir);
  const Dataset train = load_mnist(data_dir, Split::Train, c.train_images);
  const Dataset test = load_mnist(data_dir, Split::Test, c.test_images);
  const Dataset eval = train.first(c.eval_images);
  const std::vector<Scalar> w_init = init_weights(*model, c.seed);  // one start for every run

  std::vector<WalkSummary> summaries;
  std::ostringstream csv;
  csv << kSummaryHeader << '\n';
  for (double lr : c.lrs)
    for (int batch : c.batches) {
      TrainConfig tc;
      tc.optimizer = Optimizer::Sgd;
      tc.epochs = c.epochs;
      tc.batch = batch;
      tc.sgd.lr = lr;
      const WalkResult r = walk_sgd(*model, train, test, eval, tc, c.walk, c.seed, w_init);
      const WalkSummary s = summarise(lr, batch, r);
      write_walk(out + "/" + s.name, r, c.walk.points);
      csv << fmt(s.lr) << ',' << s.batch << ',' << s.name << ',' << s.steps << ',' << fmt(s.height)
          << ',' << fmt(s.floor_alpha) << ',' << fmt(s.interior) << ',' << fmt(s.cosine) << ','
          << fmt(s.distance) << ',' << fmt(s.train_loss) << ',' << fmt(s.test_loss) << '\n';
      summaries.push_back(s);
    }
  write_text_atomic(out + "/summary.csv", csv.str());
  draw_walk_figures(out, out);

  JsonObject m = provenance(command_line);
  m.add("arch", c.arch).add("epochs", c.epochs).add("every", c.walk.every)
      .add("points", c.walk.points).add("train_images", c.train_images)
      .add("test_images", c.test_images).add("eval_images", c.eval_images)
      .add("seed", (long long)c.seed)
      .add("wall_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  write_text_atomic(out + "/manifest.json", m.str() + "\n");
  return summaries;
}

namespace {

// Centred moving average over `half` rows on each side (fewer at the ends); NaNs skipped.
std::vector<double> moving_average(const std::vector<double>& v, int half) {
  std::vector<double> out(v.size(), NAN);
  for (int i = 0; i < int(v.size()); ++i) {
    double s = 0;
    int n = 0;
    for (int j = std::max(0, i - half); j <= std::min(int(v.size()) - 1, i + half); ++j)
      if (std::isfinite(v[j])) s += v[j], ++n;
    if (n) out[i] = s / n;
  }
  return out;
}

std::string label_of(const CsvTable& summary, size_t r) {
  return "lr " + summary.rows[r][summary.column("lr")] + ", batch " + summary.rows[r][summary.column("batch")];
}

}  // namespace

WalkFigures draw_walk_figures(const std::string& walk_dir, const std::string& fig_dir) {
  const CsvTable summary = read_csv(walk_dir + "/summary.csv");
  const size_t runs = summary.rows.size();
  WalkFigures drawn;
  if (runs == 0) return drawn;
  make_directories(fig_dir);

  // walk_valley: the evaluation loss along the last recorded segments of each run (the walk once
  // training is under way), segment k drawn over [k, k+1], its floor marked: SGD's iterates sit
  // on the walls, the floor between.
  constexpr int kValleySegments = 24;
  std::ostringstream valley;
  std::string valley_plot;
  const int cols = runs > 1 ? 2 : 1, rows = int((runs + cols - 1) / cols);
  for (size_t r = 0; r < runs; ++r) {
    const CsvTable seg = read_csv(walk_dir + "/" + summary.rows[r][summary.column("name")] + "/segments.csv");
    const CsvTable steps = read_csv(walk_dir + "/" + summary.rows[r][summary.column("name")] + "/steps.csv");
    const int shown = std::min<int>(kValleySegments, int(steps.rows.size()));
    const int first = int(steps.rows.size()) - shown;
    const size_t points = steps.rows.empty() ? 0 : seg.rows.size() / steps.rows.size();
    valley << "# " << label_of(summary, r) << ": x = segment + alpha, eval loss, batch loss (the last "
           << shown << " recorded steps)\n";
    for (int k = 0; k < shown; ++k) {
      for (size_t m = 0; m < points; ++m) {
        const size_t row = size_t(first + k) * points + m;
        valley << fmt(k + seg.number(row, "alpha")) << ' ' << fmt(seg.number(row, "eval_loss")) << ' '
               << fmt(seg.number(row, "batch_loss")) << '\n';
      }
      valley << '\n';
    }
    valley << "\n# floors\n";
    for (int k = 0; k < shown; ++k)
      valley << fmt(k + steps.number(first + k, "eval_floor_alpha")) << ' '
             << fmt(steps.number(first + k, "eval_floor_loss")) << '\n';
    valley << "\n\n";
    valley_plot += "set title '" + label_of(summary, r) + "'\nplot 'walk_valley.dat' index " +
                   std::to_string(2 * r) + " using 1:3 with lines lc rgb '#aaaaaa' title 'mini-batch', '' index " +
                   std::to_string(2 * r) + " using 1:2 with lines lw 2 lc rgb '#2471a3' title 'evaluation subset', '' index " +
                   std::to_string(2 * r + 1) + " using 1:2 with points pt 7 ps 0.6 lc rgb '#c0392b' title 'valley floor'\n";
  }
  write_text_atomic(fig_dir + "/walk_valley.dat", valley.str());
  const std::string valley_size = "1000," + std::to_string(330 * rows + 40);
  drawn.valley = run_gnuplot(
      fig_dir, "walk_valley",
      both_terminals("walk_valley",
                     "set multiplot layout " + std::to_string(rows) + "," + std::to_string(cols) +
                         " title 'Loss between consecutive SGD iterates: the last recorded segments (segment k over [k, k+1])'\n"
                         "set xlabel 'segment + alpha'\nset ylabel 'loss'\nset key top right\n" +
                         valley_plot + "unset multiplot",
                     valley_size.c_str()));

  // walk_story: per run, the height above the floor, the floor's position, the distance from
  // the initialisation and the cosine between consecutive steps, against the SGD step.
  std::ostringstream story;
  for (size_t r = 0; r < runs; ++r) {
    const CsvTable steps = read_csv(walk_dir + "/" + summary.rows[r][summary.column("name")] + "/steps.csv");
    std::vector<double> height, alpha, cosine;
    for (size_t k = 0; k < steps.rows.size(); ++k) {
      height.push_back(0.5 * (steps.number(k, "height_start") + steps.number(k, "height_end")));
      alpha.push_back(steps.number(k, "eval_floor_alpha"));
      cosine.push_back(steps.number(k, "cosine_previous"));  // "nan" at step 0 reads as NaN
    }
    const int half = std::max(1, int(steps.rows.size()) / 40);  // smooths the step-to-step noise
    const std::vector<double> h = moving_average(height, half), a = moving_average(alpha, half),
                              cs = moving_average(cosine, half);
    story << "# " << label_of(summary, r) << ": step height floor_alpha distance cosine (moving averages over "
          << 2 * half + 1 << " recorded steps)\n";
    for (size_t k = 0; k < steps.rows.size(); ++k)
      story << steps.rows[k][steps.column("step")] << ' ' << fmt(h[k]) << ' ' << fmt(a[k]) << ' '
            << steps.rows[k][steps.column("distance_from_init")] << ' ' << fmt(cs[k]) << '\n';
    story << "\n\n";
  }
  write_text_atomic(fig_dir + "/walk_story.dat", story.str());
  auto panel = [&](const std::string& title, const std::string& ylabel, int column) {
    std::string p = "set title '" + title + "'\nset ylabel '" + ylabel + "'\nplot ";
    for (size_t r = 0; r < runs; ++r)
      p += std::string(r ? ", " : "") + "'walk_story.dat' index " + std::to_string(r) + " using 1:" +
           std::to_string(column) + " with lines lw 2 title '" + label_of(summary, r) + "'";
    return p + "\n";
  };
  drawn.story = run_gnuplot(
      fig_dir, "walk_story",
      both_terminals("walk_story",
                     "set multiplot layout 2,2 title 'A walk with SGD (moving averages over recorded steps)'\n"
                     "set xlabel 'SGD step'\nset key top right font ',8'\n" +
                         panel("height of the iterates above the valley floor", "loss", 2) +
                         panel("position of the floor on the segment", "alpha*", 3) +
                         panel("distance from the initialisation", "|w - w0|", 4) +
                         panel("cosine between consecutive steps", "cos", 5) + "unset multiplot",
                     "1000,700"));
  return drawn;
}

}  // namespace landscape
