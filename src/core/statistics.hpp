// Summary statistics of a sample of numbers, in double: the one place the project computes a
// mean, a standard deviation, a median or a quantile, so every table and report agrees on the
// definitions. Sums run in the order of the sample (reports are reproducible to the last bit).
#pragma once

#include <vector>

namespace landscape {

// n, mean, sample standard deviation, min and max of a sample.
struct SampleSummary {
  int n = 0;
  double mean = 0, std = 0, min = 0, max = 0;  // all NaN when n = 0
};
SampleSummary summarize(const std::vector<double>& v);

double mean(const std::vector<double>& v);  // sum / n; NaN when empty
// sqrt(sum (x - mean)^2 / (n - 1)), two passes; 0 for one value, NaN when empty.
double sample_std(const std::vector<double>& v);
// The value at position q (n - 1) of the sorted sample, linear between the two order statistics
// around it (NumPy's default "linear" method); q in [0, 1]; NaN when empty.
double quantile(std::vector<double> v, double q);
double median(std::vector<double> v);  // quantile 0.5: the mean of the two middle values for even n
double interquartile_range(std::vector<double> v);  // quantile 0.75 - quantile 0.25
// Pearson's r of paired samples; NaN for fewer than 3 pairs, unequal lengths or zero variance.
double pearson_correlation(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace landscape
