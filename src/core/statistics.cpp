#include "core/statistics.hpp"

#include <algorithm>
#include <cmath>

namespace landscape {

SampleSummary summarize(const std::vector<double>& v) {
  SampleSummary s;
  s.n = int(v.size());
  if (v.empty()) {
    s.mean = s.std = s.min = s.max = NAN;
    return s;
  }
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  s.mean = mean(v);
  s.std = sample_std(v);
  return s;
}

double mean(const std::vector<double>& v) {
  if (v.empty()) return NAN;
  double sum = 0;
  for (double x : v) sum += x;
  return sum / double(v.size());
}

double sample_std(const std::vector<double>& v) {
  if (v.size() < 2) return v.empty() ? NAN : 0.0;
  const double m = mean(v);
  double q = 0;
  for (double x : v) q += (x - m) * (x - m);
  return std::sqrt(q / double(v.size() - 1));
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const double pos = q * double(v.size() - 1);
  const size_t lo = size_t(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

double median(std::vector<double> v) { return quantile(std::move(v), 0.5); }

double interquartile_range(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return quantile(v, 0.75) - quantile(v, 0.25);
}

double pearson_correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 3 || y.size() != n) return NAN;
  const double mx = mean(x), my = mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : NAN;
}

}  // namespace landscape
