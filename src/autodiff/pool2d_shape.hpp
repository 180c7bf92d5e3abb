// The windows of PyTorch's 2-D pooling (MaxPool2d, AvgPool2d) in floor mode, for maxpool.cpp
// and avgpool.cpp (docs/algorithms.md §2.7): output pixel (oh, ow) of a plane [H,W] pools the
// rows oh s - p .. oh s - p + k - 1 and the columns ow s - p .. ow s - p + k - 1, those outside
// the plane being padding, and
//   Ho = floor((H + 2p - k) / s) + 1,   Wo = floor((W + 2p - k) / s) + 1.
// As PyTorch, p may be at most k / 2, so every window holds at least one pixel of the plane.
#pragma once

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "core/tensor.hpp"

namespace landscape {

struct Pool2dShape {
  int N, C, H, W;  // x [N,C,H,W]
  int k, s, p;     // kernel side, stride, padding
  int Ho() const { return (H + 2 * p - k) / s + 1; }
  int Wo() const { return (W + 2 * p - k) / s + 1; }
  // The window's pixels inside the plane along one axis: [begin, end) of o s - p .. o s - p + k.
  int begin(int o) const { return std::max(o * s - p, 0); }
  int end(int o, int size) const { return std::min(o * s - p + k, size); }
};

// The shape of pooling x [N,C,H,W] with kernel k, stride s, padding p; an Error naming `op`
// where PyTorch refuses them (k, s > 0; 0 <= p <= k / 2; at least one output pixel).
inline Pool2dShape pool2d_shape(const char* op, const Tensor& x, int k, int s, int p) {
  if (x.rank() != 4) throw Error(std::string(op) + ": needs [N,C,H,W], got " + shape_string(x.shape()));
  const std::string args = " (kernel " + std::to_string(k) + ", stride " + std::to_string(s) + ", padding " +
                           std::to_string(p) + ")";
  if (k <= 0 || s <= 0 || p < 0 || p > k / 2)
    throw Error(std::string(op) + ": needs kernel and stride > 0 and 0 <= padding <= kernel / 2" + args);
  const Pool2dShape shape{x.dim(0), x.dim(1), x.dim(2), x.dim(3), k, s, p};
  if (shape.H + 2 * p < k || shape.W + 2 * p < k)
    throw Error(std::string(op) + ": kernel larger than the padded input " + shape_string(x.shape()) + args);
  return shape;
}

}  // namespace landscape
