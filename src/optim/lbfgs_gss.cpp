#include "optim/lbfgs_gss.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <type_traits>

#include "core/blas.hpp"
#include "core/error.hpp"

namespace landscape {

namespace {

// x.y over P components with a double accumulator: OpenBLAS ddot in the float64 build (what
// torch.dot runs), a plain double loop in the float32 build (sdot would accumulate in float).
double dot(std::size_t n, const Scalar* x, const Scalar* y) {
  if constexpr (std::is_same_v<Scalar, double>) {
    return blas::dot(static_cast<int>(n), x, y);
  } else {
    Accum sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += static_cast<Accum>(x[i]) * y[i];
    return sum;
  }
}

}  // namespace

void LbfgsGssParams::check() const {
  table().check(*this);
  if (!(first_step > 0) || !std::isfinite(first_step))
    throw UsageError("--first-step must be a positive number");
}

std::string ResetCause::describe() const {
  std::string text;
  auto add = [&](const char* part) { text += (text.empty() ? "" : "; ") + std::string(part); };
  if (nan_direction) add("NaN in the direction");
  if (small_cosine) add("cosine y.s/(|y||s|) below 1e-4");
  if (zero_denominator) add("zero |y||s|");
  return text;
}

LbfgsGss::LbfgsGss(std::size_t size, const LbfgsGssParams& params)
    : params_(params), size_(size), g_(size), g_prev_(size), s_(size), r_(size), d_(size), trial_(size) {
  params_.check();
  slots_.resize(static_cast<std::size_t>(params_.history));
}

void LbfgsGss::restart() {
  clear_history();
  has_step_ = false;
  resets_ = 0;
  iterations_ = 0;
}

LbfgsGss::Pair& LbfgsGss::next_slot() {
  const int m = static_cast<int>(slots_.size());
  Pair* slot;
  if (count_ < m) {
    slot = &slots_[(first_ + count_) % m];
    ++count_;
  } else {
    slot = &slots_[first_];  // full: the oldest pair's slot takes the newest
    first_ = (first_ + 1) % m;
  }
  slot->s.resize(size_);
  slot->y.resize(size_);
  return *slot;
}

void LbfgsGss::finish_pair(Pair& p) {
  // The published code recomputes these dot products in each loop; they are the same numbers.
  p.sy = dot(size_, p.y.data(), p.s.data());
  p.yy = dot(size_, p.y.data(), p.y.data());
  p.rho = 1.0 / (p.sy + kRhoShift);  // published: 1/(y.s + 1e-6), not 1/(y.s)
  p.norm_product = std::sqrt(p.yy) * std::sqrt(dot(size_, p.s.data(), p.s.data()));
  p.cosine = p.norm_product == 0 ? 0.0 : p.sy / p.norm_product;
}

void LbfgsGss::add_pair(const Scalar* s, const Scalar* y) {
  Pair& p = next_slot();
  std::copy(s, s + size_, p.s.begin());
  std::copy(y, y + size_, p.y.begin());
  finish_pair(p);
}

void LbfgsGss::record_pair() {
  Pair& p = next_slot();
  std::copy(s_.begin(), s_.end(), p.s.begin());                         // s = u d of the last step
  for (std::size_t i = 0; i < size_; ++i) p.y[i] = g_[i] - g_prev_[i];  // y = g - g_prev
  finish_pair(p);
}

ResetCause LbfgsGss::two_loop(const Scalar* g, Scalar* r) const {
  ResetCause cause;
  const int k = count_;
  std::vector<double> alpha(static_cast<std::size_t>(k));
  Scalar* q = r;                      // q and then r share the output buffer
  std::copy(g, g + size_, q);         // q = g
  for (int i = k - 1; i >= 0; --i) {  // newest to oldest
    const Pair& p = pair(i);
    if (p.norm_product == 0) {
      cause.zero_denominator = true;  // published: marks a reset, records no cosine
    } else if (p.cosine < kMinCosine) {
      cause.small_cosine = true;  // c_i = y_i.s_i / (|y_i||s_i|) < 1e-4
    }
    alpha[i] = p.rho * dot(size_, p.s.data(), q);  // alpha_i = rho_i s_i.q
    const Scalar a = static_cast<Scalar>(alpha[i]);
    for (std::size_t j = 0; j < size_; ++j) q[j] = q[j] - a * p.y[j];  // q -= alpha_i y_i
  }
  // H0 = gamma I, gamma = s.y / y.y of the newest pair (no 1e-6 here), 1 without pairs.
  const double gamma = k > 0 ? pair(k - 1).sy / pair(k - 1).yy : 1.0;
  const Scalar gm = static_cast<Scalar>(gamma);
  for (std::size_t j = 0; j < size_; ++j) r[j] = gm * q[j];  // r = gamma q
  for (int i = 0; i < k; ++i) {                              // oldest to newest
    const Pair& p = pair(i);
    const double beta = p.rho * dot(size_, p.y.data(), r);             // beta_i = rho_i y_i.r
    const Scalar c = static_cast<Scalar>(alpha[i] - beta);             // alpha_i - beta_i
    for (std::size_t j = 0; j < size_; ++j) r[j] = r[j] + p.s[j] * c;  // r += s_i c
  }
  for (std::size_t j = 0; j < size_; ++j) {
    if (std::isnan(r[j])) {
      cause.nan_direction = true;
      break;
    }
  }
  return cause;
}

void LbfgsGss::describe_history(IterationReport& report) const {
  report.gradient_norm = std::sqrt(dot(size_, g_.data(), g_.data()));
  const double none = std::numeric_limits<double>::quiet_NaN();
  report.gamma = count_ > 0 ? pair(count_ - 1).sy / pair(count_ - 1).yy : 1.0;  // as two_loop
  report.cosine_min = report.cosine_newest = none;
  for (int i = 0; i < count_; ++i) {
    const double c = pair(i).cosine;
    if (i == 0 || c < report.cosine_min) report.cosine_min = c;
  }
  if (count_ > 0) report.cosine_newest = pair(count_ - 1).cosine;
}

void LbfgsGss::reset_direction(const ResetCause& cause) {
  std::copy(g_.begin(), g_.end(), r_.begin());  // r = g: a steepest-descent step
  clear_history();
  ++resets_;
  std::cerr << "warning: L-BFGS-GSS reset at iteration " << iterations_ + 1 << " (" << cause.describe()
            << "); history cleared\n";
}

double LbfgsGss::unit_direction() {
  const double norm = std::sqrt(dot(size_, r_.data(), r_.data()));  // |r|
  if (norm > 0 && std::isfinite(norm)) {
    for (std::size_t j = 0; j < size_; ++j) d_[j] = static_cast<Scalar>(-(r_[j] / norm));
  } else {
    std::fill(d_.begin(), d_.end(), Scalar(0));
  }
  return norm;
}

void LbfgsGss::point_at(const Scalar* x, double u, Scalar* out) const {
  const Scalar su = static_cast<Scalar>(u);
  for (std::size_t j = 0; j < size_; ++j) out[j] = x[j] + su * d_[j];  // w + u d
}

void LbfgsGss::take_step(Scalar* x, double u) {
  // x becomes exactly the point whose loss the line search returned (same arithmetic).
  point_at(x, u, trial_.data());
  const Scalar su = static_cast<Scalar>(u);
  for (std::size_t j = 0; j < size_; ++j) s_[j] = su * d_[j];  // s = u d
  std::copy(trial_.begin(), trial_.end(), x);
  std::swap(g_prev_, g_);  // g_prev = g (g_ is rewritten by the next evaluation)
  has_step_ = true;
}

}  // namespace landscape
