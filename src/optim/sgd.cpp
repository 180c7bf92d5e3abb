#include "optim/sgd.hpp"

#include <cmath>

#include "core/error.hpp"

namespace landscape {

Sgd::Sgd(std::size_t size, const SgdParams& params) : params_(params), size_(size) { params_.check(); }

void Sgd::reset() {
  velocity_.clear();
  steps_ = 0;
}

void Sgd::step(Scalar* x, const Scalar* g) {
  // PyTorch rounds lr and momentum to the parameter's type before its elementwise kernels.
  const Scalar minus_lr = static_cast<Scalar>(-params_.lr);
  if (params_.momentum == 0) {
    for (std::size_t i = 0; i < size_; ++i) x[i] = x[i] + minus_lr * g[i];  // x <- x - lr g
  } else {
    const Scalar mu = static_cast<Scalar>(params_.momentum);
    if (velocity_.empty()) {
      velocity_.assign(g, g + size_);  // first step: v = g (torch clones the gradient)
    } else {
      for (std::size_t i = 0; i < size_; ++i) velocity_[i] = mu * velocity_[i] + g[i];
    }
    for (std::size_t i = 0; i < size_; ++i) x[i] = x[i] + minus_lr * velocity_[i];  // x - lr v
  }
  ++steps_;
}

}  // namespace landscape
