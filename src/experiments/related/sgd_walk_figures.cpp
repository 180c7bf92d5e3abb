#include "experiments/related/sgd_walk_figures.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/strings.hpp"
#include "experiments/related/sgd_walk_files.hpp"
#include "experiments/support/report_document.hpp"
#include "io/atomic_file.hpp"

namespace landscape {

namespace {

std::string fmt(double v) { return number_text(v, "%.10g"); }

std::string label_of(const WalkRun& r) {
  return "lr " + fmt(r.summary.lr) + ", batch " + std::to_string(r.summary.batch);
}

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

// walk_valley.dat: per run, block 2r the last recorded segments (x = segment + alpha, eval
// loss, batch loss), block 2r + 1 their floors.
std::string valley_data(const std::vector<WalkRun>& runs, int segments) {
  std::ostringstream valley;
  for (const WalkRun& run : runs) {
    const std::vector<WalkStep>& steps = run.result.steps;
    const int shown = std::min<int>(segments, int(steps.size())), first = int(steps.size()) - shown;
    valley << "# " << label_of(run) << ": x = segment + alpha, eval loss, batch loss (the last " << shown
           << " recorded steps)\n";
    for (int k = 0; k < shown; ++k) {
      const WalkStep& s = steps[first + k];
      const int M = int(s.eval_loss.size());
      for (int m = 0; m < M; ++m)
        valley << fmt(k + as_written(double(m) / (M - 1))) << ' ' << fmt(s.eval_loss[m]) << ' '
               << fmt(s.batch_loss[m]) << '\n';
      valley << '\n';
    }
    valley << "\n# floors\n";
    for (int k = 0; k < shown; ++k) {
      const SegmentFloor f = segment_floor(steps[first + k].eval_loss);
      valley << fmt(k + as_written(f.alpha)) << ' ' << fmt(f.loss) << '\n';
    }
    valley << "\n\n";
  }
  return valley.str();
}

// walk_valley: SGD's iterates sit on the walls, the floor between (segment k over [k, k+1]).
bool draw_valley(const std::vector<WalkRun>& runs, const std::string& fig_dir) {
  std::string plot;
  for (size_t r = 0; r < runs.size(); ++r)
    plot += "set title '" + label_of(runs[r]) + "'\nplot 'walk_valley.dat' index " + std::to_string(2 * r) +
            " using 1:3 with lines lc rgb '#aaaaaa' title 'mini-batch', '' index " + std::to_string(2 * r) +
            " using 1:2 with lines lw 2 lc rgb '#2471a3' title 'evaluation subset', '' index " +
            std::to_string(2 * r + 1) +
            " using 1:2 with points pt 7 ps 0.6 lc rgb '#c0392b' title 'valley floor'\n";
  const int cols = runs.size() > 1 ? 2 : 1, rows = int((runs.size() + cols - 1) / cols);
  const std::string size = "1000," + std::to_string(330 * rows + 40);
  return draw_figure(
      fig_dir, "walk_valley", valley_data(runs, 24),
      "set multiplot layout " + std::to_string(rows) + "," + std::to_string(cols) +
          " title 'Loss between consecutive SGD iterates: the last recorded segments (segment k over [k, k+1])'\n"
          "set xlabel 'segment + alpha'\nset ylabel 'loss'\nset key top right\n" +
          plot + "unset multiplot",
      size.c_str());
}

// walk_story.dat: per run, step height floor_alpha distance cosine, the noisy ones smoothed.
std::string story_data(const std::vector<WalkRun>& runs) {
  std::ostringstream story;
  for (const WalkRun& run : runs) {
    const std::vector<WalkStep>& steps = run.result.steps;
    std::vector<double> height, alpha, cosine;
    for (const WalkStep& s : steps) {
      const SegmentFloor f = segment_floor(s.eval_loss);
      height.push_back(0.5 *
                       (as_written(s.eval_loss.front() - f.loss) + as_written(s.eval_loss.back() - f.loss)));
      alpha.push_back(as_written(f.alpha));
      cosine.push_back(as_written(s.cosine_previous));  // NaN at step 0
    }
    const int half = std::max(1, int(steps.size()) / 40);  // smooths the step-to-step noise
    const std::vector<double> h = moving_average(height, half), a = moving_average(alpha, half),
                              cs = moving_average(cosine, half);
    story << "# " << label_of(run) << ": step height floor_alpha distance cosine (moving averages over "
          << 2 * half + 1 << " recorded steps)\n";
    for (size_t k = 0; k < steps.size(); ++k)
      story << steps[k].step << ' ' << fmt(h[k]) << ' ' << fmt(a[k]) << ' '
            << fmt(steps[k].distance_from_init) << ' ' << fmt(cs[k]) << '\n';
    story << "\n\n";
  }
  return story.str();
}

bool draw_story(const std::vector<WalkRun>& runs, const std::string& fig_dir) {
  auto panel = [&](const std::string& title, const std::string& ylabel, int column) {
    std::string p = "set title '" + title + "'\nset ylabel '" + ylabel + "'\nplot ";
    for (size_t r = 0; r < runs.size(); ++r)
      p += std::string(r ? ", " : "") + "'walk_story.dat' index " + std::to_string(r) +
           " using 1:" + std::to_string(column) + " with lines lw 2 title '" + label_of(runs[r]) + "'";
    return p + "\n";
  };
  return draw_figure(
      fig_dir, "walk_story", story_data(runs),
      "set multiplot layout 2,2 title 'A walk with SGD (moving averages over recorded steps)'\n"
      "set xlabel 'SGD step'\nset key top right font ',8'\n" +
          panel("height of the iterates above the valley floor", "loss", 2) +
          panel("position of the floor on the segment", "alpha*", 3) +
          panel("distance from the initialisation", "|w - w0|", 4) +
          panel("cosine between consecutive steps", "cos", 5) + "unset multiplot",
      "1000,700");
}

}  // namespace

WalkFigures draw_walk_figures(const std::vector<WalkRun>& runs, const std::string& fig_dir) {
  WalkFigures drawn;
  if (runs.empty()) return drawn;
  make_directories(fig_dir);
  drawn.valley = draw_valley(runs, fig_dir);
  drawn.story = draw_story(runs, fig_dir);
  return drawn;
}

}  // namespace landscape
