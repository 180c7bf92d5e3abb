#include "experiments/support/distribution_figure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/statistics.hpp"
#include "experiments/support/report_document.hpp"

namespace landscape {

namespace {

std::vector<double> finite_values(const std::vector<double>& values) {
  std::vector<double> out;
  for (double v : values)
    if (std::isfinite(v)) out.push_back(v);
  return out;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  bool empty() const { return lo > hi; }
};

Range finite_range(const std::vector<Sample>& samples) {
  Range r;
  for (const Sample& s : samples)
    for (double v : finite_values(s.values)) r = {std::min(r.lo, v), std::max(r.hi, v)};
  return r;
}

// Full precision in the data file: a reader re-plots from it.
std::string exact(double v) { return num(v, "%.9g"); }

// Strip plot: sample k on row k (top to bottom), its values with a small vertical offset that
// cycles through three rows so equal or close values stay visible, and its median as a bar.
std::string strip_plot(const std::vector<Sample>& samples, const std::string& data_name,
                       std::ostringstream& data) {
  std::string ytics, plot;
  for (size_t k = 0; k < samples.size(); ++k) {
    std::vector<double> v = finite_values(samples[k].values);
    std::sort(v.begin(), v.end());
    data << "# " << samples[k].label << ": value row\n";
    for (size_t i = 0; i < v.size(); ++i)
      data << exact(v[i]) << ' ' << k + 0.15 * (double(i % 3) - 1) << '\n';
    data << "\n\n# " << samples[k].label << ": median\n";
    if (!v.empty()) data << exact(median(v)) << ' ' << k - 0.35 << " 0 0.7\n";
    data << "\n\n";
    ytics += std::string(ytics.empty() ? "" : ", ") + "'" + samples[k].label + " (" +
             std::to_string(v.size()) + ")' " + std::to_string(k);
    if (v.empty()) continue;
    const std::string colour = " lc rgb '" + samples[k].colour + "'";
    plot += std::string(plot.empty() ? "plot " : ", ") + data_name + " index " + std::to_string(2 * k) +
            " using 1:2 with points pt 7 ps 1.3" + colour + " notitle, " + data_name + " index " +
            std::to_string(2 * k + 1) + " using 1:2:3:4 with vectors nohead lw 3" + colour + " notitle";
  }
  return "set ytics (" + ytics + ")\nset yrange [" + std::to_string(samples.size()) +
         " - 0.3:-0.7]\nset grid xtics\nset key off\nset label 1 'bar: median' at graph 0.99, graph 0.04 right\n" +
         plot;
}

// Histogram: one outline per sample over shared bins, (edge, count) corner by corner.
std::string histogram_plot(const std::vector<Sample>& samples, const std::vector<double>& edges,
                           const std::string& data_name, std::ostringstream& data) {
  std::string plot;
  for (size_t k = 0; k < samples.size(); ++k) {
    const std::vector<size_t> counts = histogram_counts(samples[k].values, edges);
    data << "# " << samples[k].label << ": bin outline (edge, count)\n" << exact(edges.front()) << " 0\n";
    for (size_t b = 0; b < counts.size(); ++b)
      data << exact(edges[b]) << ' ' << counts[b] << '\n' << exact(edges[b + 1]) << ' ' << counts[b] << '\n';
    data << exact(edges.back()) << " 0\n\n\n";
    plot += std::string(plot.empty() ? "plot " : ", ") + data_name + " index " + std::to_string(k) +
            " using 1:2 with lines lw 2 lc rgb '" + samples[k].colour + "' title '" + samples[k].label +
            " (" + std::to_string(finite_values(samples[k].values).size()) + ")'";
  }
  return "set ylabel 'count'\nset yrange [0:*]\n" + plot;
}

}  // namespace

DistributionStyle choose_distribution_style(const std::vector<Sample>& samples) {
  DistributionStyle style;
  size_t largest = 0;
  for (const Sample& s : samples) largest = std::max(largest, finite_values(s.values).size());
  style.strip = largest < kStripPlotBelow;
  const Range r = finite_range(samples);
  style.log_axis = !r.empty() && r.lo > 0 && r.hi / r.lo > kLogAxisAbove;
  return style;
}

std::vector<double> histogram_edges(double lo, double hi, size_t bins, bool log_axis) {
  double a = log_axis ? std::log10(lo) : lo, b = log_axis ? std::log10(hi) : hi;
  if (!(b > a)) a -= 0.5, b += 0.5;
  std::vector<double> edges(bins + 1);
  for (size_t k = 0; k <= bins; ++k) {
    const double e = k == bins ? b : a + (b - a) * double(k) / double(bins);
    edges[k] = log_axis ? std::pow(10.0, e) : e;
  }
  if (!(hi > lo)) return edges;
  edges.front() = lo;  // exact ends: pow(10, log10(x)) need not give x back
  edges.back() = hi;
  return edges;
}

std::vector<size_t> histogram_counts(const std::vector<double>& values, const std::vector<double>& edges) {
  std::vector<size_t> counts(edges.size() - 1, 0);
  for (double v : values) {
    if (!std::isfinite(v) || v < edges.front() || v > edges.back()) continue;
    const size_t bin = size_t(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
    ++counts[std::min(bin, counts.size()) - 1];  // v == the last edge: the last bin
  }
  return counts;
}

bool draw_distribution_figure(const std::string& dir, const std::string& name,
                              const std::vector<Sample>& samples, const std::string& axis,
                              const std::string& title) {
  const DistributionStyle style = choose_distribution_style(samples);
  const std::string data_name = "'" + name + ".dat'";
  std::ostringstream data;
  data << "# " << title << "\n# " << (style.strip ? "strip plot" : "histogram")
       << (style.log_axis ? ", log axis" : "") << "\n";
  std::string body =
      "set xlabel '" + axis + (style.log_axis ? " (log scale)" : "") + "'\nset title '" + title + "'\n";
  if (style.log_axis) body += "set logscale x\n";
  const Range r = finite_range(samples);
  if (r.empty()) {
    data << "# no finite values\n";
    body += "set label 2 'no finite values' at graph 0.5, graph 0.5 center\nplot [0:1] NaN notitle";
  } else if (style.strip) {
    body += strip_plot(samples, data_name, data);
  } else {
    body +=
        histogram_plot(samples, histogram_edges(r.lo, r.hi, kHistogramBins, style.log_axis), data_name, data);
  }
  return draw_figure(dir, name, data.str(), body);
}

}  // namespace landscape
