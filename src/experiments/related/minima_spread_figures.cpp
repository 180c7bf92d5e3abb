#include "experiments/related/minima_spread_figures.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "core/strings.hpp"
#include "experiments/support/report_document.hpp"
#include "io/atomic_file.hpp"

namespace landscape {

namespace {

// The numbers as spread.csv and summary.csv hold them.
std::string fmt(double v) { return number_text(v, "%.10g"); }

std::string title(const std::string& optimizer) { return optimizer == "sgd" ? "SGD" : "simulated annealing"; }

// The optimizers in the order of the summary.
std::vector<std::string> optimizers_of(const std::vector<SpreadSummary>& summary) {
  std::vector<std::string> optimizers;
  for (const SpreadSummary& s : summary)
    if (std::find(optimizers.begin(), optimizers.end(), s.optimizer) == optimizers.end())
      optimizers.push_back(s.optimizer);
  return optimizers;
}

bool draw_histograms(const std::vector<SpreadRun>& runs, const std::vector<SpreadSummary>& summary,
                     const std::string& fig_dir) {
  const std::vector<std::string> optimizers = optimizers_of(summary);
  std::ostringstream hist;
  std::string plot;
  int index = 0;
  for (const std::string& o : optimizers) {
    plot += "set title '" + title(o) + "'\nplot ";
    bool first = true;
    for (const SpreadSummary& s : summary) {
      if (s.optimizer != o) continue;
      const std::string width = std::to_string(s.width);
      hist << "# " << o << " width " << width << ": final test loss per restart\n";
      for (const SpreadRun& r : runs)
        if (r.optimizer == o && r.width == s.width && r.status == "ok") hist << fmt(r.test_loss) << '\n';
      hist << "\n\n";
      plot += std::string(first ? "" : ", ") + "'spread_hist.dat' index " + std::to_string(index++) +
              " using (bin($1)):(1.0) smooth frequency with boxes title 'W = " + width + "'";
      first = false;
    }
    plot += "\n";
  }
  const std::string size = "900," + std::to_string(330 * optimizers.size() + 40);
  return draw_figure(
      fig_dir, "spread_hist", hist.str(),
      "stats 'spread_hist.dat' using 1 nooutput\nbw = (STATS_max - STATS_min) / 25 + 1e-12\n"
      "bin(x) = bw * floor(x / bw) + bw / 2\nset boxwidth bw\n"
      "set style fill transparent solid 0.35 noborder\nset xrange [STATS_min - bw : STATS_max + bw]\n"
      "set multiplot layout " +
          std::to_string(optimizers.size()) +
          ",1 title 'Final test loss of every restart, one-hidden-layer networks of width W'\n"
          "set xlabel 'test loss'\nset ylabel 'restarts'\nset key top right\n" +
          plot + "unset multiplot",
      size.c_str());
}

// spread_width.dat: per optimizer, width mean min max std iqr corr.
std::string band_data(const std::vector<SpreadSummary>& summary) {
  std::ostringstream band;
  for (const std::string& o : optimizers_of(summary)) {
    band << "# " << o << ": width mean min max std iqr corr\n";
    for (const SpreadSummary& s : summary)
      if (s.optimizer == o)
        band << s.width << ' ' << fmt(s.test_mean) << ' ' << fmt(s.test_min) << ' ' << fmt(s.test_max) << ' '
             << fmt(s.test_std) << ' ' << fmt(s.test_iqr) << ' ' << fmt(s.correlation) << '\n';
    band << "\n\n";
  }
  return band.str();
}

bool draw_width(const std::vector<SpreadSummary>& summary, const std::string& fig_dir) {
  const std::vector<std::string> optimizers = optimizers_of(summary);
  double w_lo = 1e300, w_hi = 0;  // the widths, for an x range with a margin on the log scale
  for (const SpreadSummary& s : summary)
    w_lo = std::min(w_lo, double(s.width)), w_hi = std::max(w_hi, double(s.width));
  char xrange[80];
  std::snprintf(xrange, sizeof xrange, "set xrange [%g:%g]\n", w_lo / 1.5, w_hi * 1.5);
  const char* colours[] = {"#2471a3", "#c0392b"};
  std::string p1 = "plot ", p2 = "plot ", p3 = "plot ";
  for (size_t i = 0; i < optimizers.size(); ++i) {
    const std::string idx = std::to_string(i), col = colours[i % 2], sep = i ? ", " : "";
    const std::string name = title(optimizers[i]);
    p1 += sep + "'spread_width.dat' index " + idx + " using 1:2:3:4 with yerrorlines lw 2 lc rgb '" + col +
          "' title '" + name + " (mean, min..max)'";
    p2 += sep + "'spread_width.dat' index " + idx + " using 1:5 with linespoints lw 2 pt 7 lc rgb '" + col +
          "' title '" + name + " std', '' index " + idx +
          " using 1:6 with linespoints lw 2 dt 2 pt 6 lc rgb '" + col + "' title '" + name + " IQR'";
    p3 += sep + "'spread_width.dat' index " + idx + " using 1:7 with linespoints lw 2 pt 7 lc rgb '" + col +
          "' title '" + name + "'";
  }
  return draw_figure(
      fig_dir, "spread_width", band_data(summary),
      "set multiplot layout 1,3 title 'Minima of one-hidden-layer networks against their width W'\n"
      "set logscale x\n" +
          std::string(xrange) +
          "set xlabel 'hidden units W'\nset key top right font ',8'\n"
          "set title 'final test loss'\nset ylabel 'test loss'\n" +
          p1 + "\nset title 'spread of the test losses'\nset ylabel 'std / IQR'\n" + p2 +
          "\nset title 'train/test loss correlation'\nset ylabel 'Pearson r'\nset yrange [-1:1]\n" + p3 +
          "\nunset multiplot",
      "1300,430");
}

}  // namespace

SpreadFigures draw_spread_figures(const std::vector<SpreadRun>& runs,
                                  const std::vector<SpreadSummary>& summary, const std::string& fig_dir) {
  SpreadFigures drawn;
  if (summary.empty()) return drawn;
  make_directories(fig_dir);
  drawn.histograms = draw_histograms(runs, summary, fig_dir);
  drawn.width = draw_width(summary, fig_dir);
  return drawn;
}

}  // namespace landscape
