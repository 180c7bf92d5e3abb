// A figure of a few samples side by side (barrier heights per weight set, distances per set):
// how it is drawn follows from the data, so a figure never claims more than its values hold.
//   - fewer than kStripPlotBelow values in every sample: a strip plot, every value one point on
//     its sample's row, with the median marked (a histogram or a smoothed density of 4 values
//     shows bins and bumps the data do not have);
//   - else a histogram of kHistogramBins equal bins over the values' range, one step line per
//     sample, so overlapping samples stay readable;
//   - on a log axis when every value is positive and they span more than a decade (max / min
//     > kLogAxisAbove): barrier heights from 1e-3 to 1 otherwise crowd into the first bin.
#pragma once

#include <string>
#include <vector>

namespace landscape {

struct Sample {
  std::string label;
  std::string colour;  // gnuplot colour, e.g. "#c0392b"
  std::vector<double> values;
};

constexpr size_t kStripPlotBelow = 20;
constexpr size_t kHistogramBins = 15;
constexpr double kLogAxisAbove = 10;

struct DistributionStyle {
  bool strip = false;  // strip plot (else histogram)
  bool log_axis = false;
};

// Non-finite values are left out of every choice and every bin (the tables report them).
DistributionStyle choose_distribution_style(const std::vector<Sample>& samples);

// The edges of `bins` equal bins covering [lo, hi] (on log10 values when log_axis), bins + 1 of
// them, in the values' units; lo == hi gets a bin of width 1 (or a factor 10) around it.
std::vector<double> histogram_edges(double lo, double hi, size_t bins, bool log_axis);

// How many of `values` fall in each bin [edges[k], edges[k+1]) (the last bin closed).
std::vector<size_t> histogram_counts(const std::vector<double>& values, const std::vector<double>& edges);

// DIR/NAME.{dat,gp,png,svg}: the samples drawn in the chosen style, the value on the x axis
// labelled `axis`; whether gnuplot drew it. The data file holds every value (strip plot) or every
// bin's edges and counts (histogram), one block per sample, each headed by its label.
bool draw_distribution_figure(const std::string& dir, const std::string& name,
                              const std::vector<Sample>& samples, const std::string& axis,
                              const std::string& title);

}  // namespace landscape
