#include "optim/adam.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/norms.hpp"

namespace landscape {

void AdamParams::check() const {
  if (!(lr > 0) || !std::isfinite(lr)) throw UsageError("--lr must be a positive number");
  if (!(beta1 >= 0 && beta1 < 1)) throw UsageError("Adam beta1 must lie in [0, 1)");
  if (!(beta2 >= 0 && beta2 < 1)) throw UsageError("Adam beta2 must lie in [0, 1)");
  if (!(eps > 0)) throw UsageError("Adam eps must be positive");
}

Adam::Adam(std::size_t size, const AdamParams& params) : params_(params), m_(size, 0.0), v_(size, 0.0) {
  params_.check();
}

void Adam::reset() {
  std::fill(m_.begin(), m_.end(), 0.0);
  std::fill(v_.begin(), v_.end(), 0.0);
  t_ = 0;
}

void Adam::restore(std::vector<double> m, std::vector<double> v, long t) {
  require(m.size() == m_.size() && v.size() == v_.size() && t >= 0,
          "Adam::restore: moments of " + std::to_string(m.size()) + " and " + std::to_string(v.size()) +
              " components for an optimiser of " + std::to_string(m_.size()));
  m_ = std::move(m);
  v_ = std::move(v);
  t_ = t;
}

void Adam::step(Scalar* x, const Scalar* g) {
  ++t_;
  const double b1 = params_.beta1, b2 = params_.beta2;
  const double bias1 = 1 - std::pow(b1, static_cast<double>(t_));
  const double bias2_sqrt = std::sqrt(1 - std::pow(b2, static_cast<double>(t_)));
  const double step_size = params_.lr / bias1;  // lr / (1 - beta1^t)
  const std::size_t n = m_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double gi = g[i];
    m_[i] = b1 * m_[i] + (1 - b1) * gi;       // m <- beta1 m + (1-beta1) g
    v_[i] = b2 * v_[i] + (1 - b2) * gi * gi;  // v <- beta2 v + (1-beta2) g^2
    const double denom = std::sqrt(v_[i]) / bias2_sqrt + params_.eps;
    x[i] = static_cast<Scalar>(x[i] - step_size * m_[i] / denom);
  }
}

double Adam::first_moment_norm() const { return euclidean_norm(m_); }

double Adam::second_moment_norm() const { return euclidean_norm(v_); }

}  // namespace landscape
