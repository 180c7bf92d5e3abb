// Statistics of weight sets (docs/algorithms.md §7.1, §7.2): Table S1 (mean and standard deviation
// of all components of each concatenated set) and Figure 5 (centroids of two sets, their midpoint
// as a common origin, and the histogram of each vector's distance to that origin).
//
// Legend: N vectors of a set W [N, P], P components of a vector (the network's parameters).
// Every sum is in double. Row sums are formed in parallel and added in row order afterwards,
// so the result does not depend on the thread count.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace landscape {

struct SetStatistics {
  double mean = 0;               // (1/NP) sum_ip W_ip                       (Table S1)
  double std = 0;                // sqrt((1/NP) sum_ip (W_ip - mean)^2)      (Table S1)
                                 //   population form, divisor N P: numpy's np.std default
  std::vector<double> centroid;  // [P] (1/N) sum_i w_i, Figure 5's w_BFGS and w_SGD
  double centroid_norm = 0;      // |centroid|
};

SetStatistics set_statistics(const Tensor& W /*[N,P]*/);

// Figure 5's common origin: the midpoint of the two centroids. For S sets, the mean of the S
// centroids (each set counts once, whatever its size); for one set, its centroid.
std::vector<double> common_origin(const std::vector<std::vector<double>>& centroids /*S x [P]*/);

// d[N]: d_i = |w_i - origin|, the quantity Figure 5 histograms.
std::vector<double> distances_to(const Tensor& W /*[N,P]*/, const std::vector<double>& origin);

}  // namespace landscape
