// Euclidean norms of whole vectors, accumulated in double whatever the element type: what the
// step traces report (|g|, |w|, |w_e - w_{e-1}|, Adam's |m| and |v|; docs/algorithms.md §16).
// Plain loops, off every hot path: a traced run calls them once per step.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace landscape {

template <class T>
double euclidean_norm(const std::vector<T>& x) {
  double sum = 0;
  for (T v : x) sum += double(v) * double(v);
  return std::sqrt(sum);
}

// |x - y| for x, y of the same length.
template <class T>
double euclidean_distance(const std::vector<T>& x, const std::vector<T>& y) {
  double sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double d = double(x[i]) - double(y[i]);
    sum += d * d;
  }
  return std::sqrt(sum);
}

}  // namespace landscape
