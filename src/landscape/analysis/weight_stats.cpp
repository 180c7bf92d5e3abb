#include "landscape/analysis/weight_stats.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "landscape/analysis/gram.hpp"

namespace landscape {

namespace {

void require_set(const Tensor& W) {
  require(W.rank() == 2 && W.dim(0) >= 1 && W.dim(1) >= 1,
          "a weight set must be a stack [N, P] of vectors, got " + shape_string(W.shape()));
}

// sums[N]: sums[i] = sum_p f(W_ip, p), rows in parallel; the caller adds them in order.
template <class F>
std::vector<double> row_sums(const Tensor& W, F f) {
  const int N = W.dim(0), P = W.dim(1);
  std::vector<double> sums(N);
#pragma omp parallel for schedule(static) if (static_cast <long>(N) * P >= (1L << 16))
  for (int i = 0; i < N; ++i) {
    const Scalar* row = W.data() + static_cast<size_t>(i) * P;
    double s = 0;
    for (int p = 0; p < P; ++p) s += f(static_cast<double>(row[p]), p);
    sums[i] = s;
  }
  return sums;
}

double total(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

}  // namespace

SetStatistics set_statistics(const Tensor& W) {
  require_set(W);
  const double count = static_cast<double>(W.dim(0)) * W.dim(1);
  SetStatistics s;
  s.mean = total(row_sums(W, [](double w, int) { return w; })) / count;
  // Two passes: the deviations from the mean, not E[w^2] - mean^2, which cancels.
  const double m = s.mean;
  s.std = std::sqrt(total(row_sums(W, [m](double w, int) { return (w - m) * (w - m); })) / count);
  s.centroid = column_mean(W);
  double n2 = 0;
  for (double c : s.centroid) n2 += c * c;
  s.centroid_norm = std::sqrt(n2);
  return s;
}

std::vector<double> common_origin(const std::vector<std::vector<double>>& centroids) {
  require(!centroids.empty(), "common origin of no centroids");
  const size_t P = centroids[0].size();
  std::vector<double> origin(P, 0.0);
  for (const auto& c : centroids) {
    require(c.size() == P,
            "centroids of different widths: " + std::to_string(P) + " and " + std::to_string(c.size()));
    for (size_t p = 0; p < P; ++p) origin[p] += c[p];
  }
  for (double& o : origin) o /= static_cast<double>(centroids.size());
  return origin;
}

std::vector<double> distances_to(const Tensor& W, const std::vector<double>& origin) {
  require_set(W);
  require(static_cast<int>(origin.size()) == W.dim(1), "origin has " + std::to_string(origin.size()) +
                                                           " components, vectors have " +
                                                           std::to_string(W.dim(1)));
  std::vector<double> d = row_sums(W, [&origin](double w, int p) {
    const double e = w - origin[p];
    return e * e;
  });
  for (double& x : d) x = std::sqrt(x);
  return d;
}

}  // namespace landscape
