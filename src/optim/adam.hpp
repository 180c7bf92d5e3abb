// Adam (Kingma & Ba 2015) exactly as torch.optim.Adam runs it with its defaults (no weight
// decay, no amsgrad), because the published FourierPathFinder notebooks
// (docs/algorithms.md §5.2, §6.2) update the Fourier coefficients b_n with it. Per component,
// at step t = 1, 2, ...:
//   m <- beta1 m + (1 - beta1) g
//   v <- beta2 v + (1 - beta2) g^2
//   x <- x - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// Note where eps sits: PyTorch adds it after the bias correction of sqrt(v), not to sqrt(v_hat)
// computed another way; for the first steps (v tiny) the two differ.
//
// Legend: P = number of optimised components.
#pragma once

#include <cstddef>
#include <vector>

#include "core/scalar.hpp"

namespace landscape {

struct AdamParams {
  double lr = 1e-3;      // --lr  (torch default; the NN path notebook uses 1e-3, the toy 0.01)
  double beta1 = 0.9;    // torch default
  double beta2 = 0.999;  // torch default
  double eps = 1e-8;     // torch default
  // Throws UsageError naming the flag: lr > 0, 0 <= beta < 1, eps > 0.
  void check() const;
};

class Adam {
 public:
  Adam(std::size_t size, const AdamParams& params);  // moments start at zero, t = 0

  // One update of x[P] in place from the gradient g[P] (the caller's ascent direction).
  void step(Scalar* x, const Scalar* g);
  long steps_taken() const { return t_; }
  double first_moment_norm() const;   // |m| (a step trace's; docs/algorithms.md §16)
  double second_moment_norm() const;  // |v|
  void reset();                       // back to t = 0 with zero moments
  // The moments after steps_taken() steps, and back (a path run continued from its kept state,
  // docs/algorithms.md §5.8): restore() takes m, v of this optimiser's size and t >= 0.
  const std::vector<double>& first_moment() const { return m_; }
  const std::vector<double>& second_moment() const { return v_; }
  void restore(std::vector<double> m, std::vector<double> v, long t);

 private:
  AdamParams params_;
  // The moments are kept in double: they are P numbers, and keeping them exact costs nothing.
  std::vector<double> m_;  // [P] first moment
  std::vector<double> v_;  // [P] second moment
  long t_ = 0;
};

}  // namespace landscape
