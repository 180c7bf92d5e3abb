#include "landscape/paths/fourier_path_finder.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/norms.hpp"
#include "core/random.hpp"
#include "core/wall_clock.hpp"
#include "optim/adam.hpp"

namespace landscape {

PointLoss parse_point_loss(const std::string& name) {
  return parse_enum(kPointLossNames, name, "point-loss");
}
PathSelect parse_path_select(const std::string& name) { return parse_enum(kPathSelectNames, name, "select"); }
std::string to_string(PointLoss loss) { return enum_name(kPointLossNames, loss); }
std::string to_string(PathSelect select) { return enum_name(kPathSelectNames, select); }

PathParams PathParams::figure3(double lambda, std::uint64_t seed) {
  PathParams p;
  p.terms = 15;
  p.points = 101;
  p.lambda = lambda;
  p.lr = 0.01;
  p.steps = 300;
  p.point_loss = PointLoss::Squared;
  p.grad_noise = 1.0;
  p.noise_seed = seed;
  p.select = PathSelect::MinObjective;
  return p;
}

namespace {

// sin(pi k / d) for integers k >= 0, d >= 1, exactly 0 when k is a multiple of d. (k is reduced
// modulo 2d first, so large n m lose no accuracy.)
double sin_pi_ratio(long k, long d) {
  k %= 2 * d;
  if (k % d == 0) return 0.0;
  return std::sin(M_PI * static_cast<double>(k) / static_cast<double>(d));
}

// One row of W: w(t_m) = (1 - t_m) w_i + t_m w_j + sum_n b_n sin(n pi t_m).
// At t = 0 and t = 1 every sine is 0 and one of the two weights is 0, so w_0 = w_i and
// w_{M-1} = w_j exactly.
void path_point(int m, const std::vector<double>& t, const std::vector<double>& sine, int NF, int M,
                std::size_t P, const Scalar* w_i, const Scalar* w_j, const Scalar* b /*[NF,P]*/,
                Scalar* w /*[P]*/) {
  const double tm = t[m];
  for (std::size_t p = 0; p < P; ++p) {
    double v = (1 - tm) * w_i[p] + tm * w_j[p];
    for (int n = 0; n < NF; ++n) v += b[std::size_t(n) * P + p] * sine[std::size_t(n) * M + m];
    w[p] = static_cast<Scalar>(v);
  }
}

// The process's CPU time in seconds, all threads (for PathCheckpoint).
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

}  // namespace

FourierPathFinder::FourierPathFinder(const Landscape& f, std::span<const Scalar> w_i,
                                     std::span<const Scalar> w_j, const PathParams& params,
                                     StepLandscapes steps)
    : f_land_(f),
      steps_(std::move(steps)),
      step_land_(&f),
      w_i_(w_i.begin(), w_i.end()),
      w_j_(w_j.begin(), w_j.end()),
      params_(params),
      P_(f.dimension()) {
  params_.check();
  require(w_i.size() == P_ && w_j.size() == P_, "path end points have " + std::to_string(w_i.size()) +
                                                    " and " + std::to_string(w_j.size()) +
                                                    " components; the landscape has " + std::to_string(P_));
  require(params_.batch == 0 || bool(steps_),
          "FourierPathFinder: --batch " + std::to_string(params_.batch) +
              " needs the mini-batch landscapes of its steps (docs/algorithms.md §5.7)");
  NF_ = params_.terms;
  M_ = params_.points;
  // t_m = linspace(0, 1, M) = m / (M - 1): t_0 = 0 and t_{M-1} = 1 exactly.
  t_.resize(M_);
  for (int m = 0; m < M_; ++m) t_[m] = static_cast<double>(m) / (M_ - 1);
  // sin(n pi t_m) = sin(pi n m / (M - 1)), an exact 0 at both ends.
  sine_.resize(std::size_t(NF_) * M_);
  for (int n = 1; n <= NF_; ++n)
    for (int m = 0; m < M_; ++m) sine_[std::size_t(n - 1) * M_ + m] = sin_pi_ratio(long(n) * m, M_ - 1);
  // w(t_m) = (1 - t_m) w_i + t_m w_j + sum_n sin(n pi t_m) b_n: row m of the coefficients
  // over the basis [w_i, w_j, b_1 .. b_NF] (docs/algorithms.md §2.6).
  const std::size_t K = std::size_t(NF_) + 2;
  coefficients_.resize(std::size_t(M_) * K);
  for (int m = 0; m < M_; ++m) {
    double* c = coefficients_.data() + std::size_t(m) * K;
    c[0] = 1 - t_[m];
    c[1] = t_[m];
    for (int n = 0; n < NF_; ++n) c[2 + n] = sine_[std::size_t(n) * M_ + m];
  }
  basis_.assign(K * P_, Scalar(0));
  std::copy(w_i_.begin(), w_i_.end(), basis_.begin());
  std::copy(w_j_.begin(), w_j_.end(), basis_.begin() + P_);
  point_sines_.resize(std::size_t(M_) * NF_);  // [M, NF]: the weights of dL/db's loss part
  for (int m = 0; m < M_; ++m)
    for (int n = 0; n < NF_; ++n) point_sines_[std::size_t(m) * NF_ + n] = sine_[std::size_t(n) * M_ + m];
  W_.assign(std::size_t(M_) * P_, Scalar(0));
  if (params_.point_loss == PointLoss::Squared) G_.assign(std::size_t(M_) * P_, Scalar(0));
  loss_part_.assign(std::size_t(NF_) * P_, Scalar(0));
  f_.assign(M_, 0.0);
  ell_.assign(M_, 0.0);
  seg_sq_.assign(M_ - 1, 0.0);
}

void FourierPathFinder::path_points(const Scalar* b, Scalar* W) const {
#pragma omp parallel for schedule(static) if (worth_threads())
  for (int m = 0; m < M_; ++m)
    path_point(m, t_, sine_, NF_, M_, P_, w_i_.data(), w_j_.data(), b, W + std::size_t(m) * P_);
}

// Fills W_, f_, ell_ and (with_gradient) loss_part_ = sum_m l'(w_m) sin(n pi t_m), then
// seg_sq_. All M points go to the landscape at once with their basis (docs/algorithms.md §2.6,
// §5.6). With l = f the loss part is a fixed combination of the points' gradients, which the
// landscape forms itself; with l = f^2 its weights 2 f_m sin(n pi t_m) need every f_m first,
// so the points' gradients come back and are combined here.
void FourierPathFinder::evaluate_points(const Scalar* b, bool with_gradient) {
  path_points(b, W_.data());
  std::copy(b, b + std::size_t(NF_) * P_, basis_.begin() + 2 * P_);  // [w_i, w_j, b_1 .. b_NF]
  const PointBasis basis{basis_.data(), std::size_t(NF_) + 2, coefficients_.data()};
  const bool plain = params_.point_loss == PointLoss::Plain;
  if (!with_gradient)
    step_landscape().evaluate_many(W_.data(), std::size_t(M_), f_.data(), nullptr, &basis);
  else if (plain)
    step_landscape().evaluate_many_combined(W_.data(), std::size_t(M_), f_.data(),
                                            {point_sines_.data(), std::size_t(NF_), loss_part_.data()},
                                            &basis);
  else
    step_landscape().evaluate_many(W_.data(), std::size_t(M_), f_.data(), G_.data(), &basis);
  for (int m = 0; m < M_; ++m) ell_[m] = plain ? f_[m] : f_[m] * f_[m];  // l = f or f^2
  if (with_gradient && !plain) squared_loss_part();

    // |w_{m+1} - w_m|^2, each segment summed in component order.
#pragma omp parallel for schedule(static) if (worth_threads())
  for (int m = 0; m < M_ - 1; ++m) {
    const Scalar* a = W_.data() + std::size_t(m) * P_;
    const Scalar* c = a + P_;
    double s = 0;
    for (std::size_t p = 0; p < P_; ++p) {
      const double d = double(c[p]) - double(a[p]);
      s += d * d;
    }
    seg_sq_[m] = s;
  }
}

// loss_part_[n] = sum_m 2 f_m g_m sin(n pi t_m) (l = f^2, l' = 2 f g), each component summed
// over m in point order, in double.
void FourierPathFinder::squared_loss_part() {
  constexpr std::size_t kBlock = 256;  // components per task: the accumulators stay in L1
  const std::size_t blocks = (P_ + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) if (worth_threads())
  for (std::size_t blk = 0; blk < blocks; ++blk) {
    const std::size_t p0 = blk * kBlock, p1 = std::min(P_, p0 + kBlock);
    double sum[kBlock];
    for (int n = 0; n < NF_; ++n) {
      const double* s = sine_.data() + std::size_t(n) * M_;  // s[m] = sin(n pi t_m)
      std::fill(sum, sum + (p1 - p0), 0.0);
      for (int m = 0; m < M_; ++m) {
        if (s[m] == 0) continue;  // (t = 0, t = 1: nothing to add)
        const double weight = 2 * f_[m] * s[m];
        const Scalar* g = G_.data() + std::size_t(m) * P_;
        for (std::size_t p = p0; p < p1; ++p) sum[p - p0] += weight * g[p];
      }
      Scalar* out = loss_part_.data() + std::size_t(n) * P_;
      for (std::size_t p = p0; p < p1; ++p) out[p] = static_cast<Scalar>(sum[p - p0]);
    }
  }
}

// dL/db_n = sum_m l'(w_m) sin(n pi t_m)      (loss_part_, from evaluate_points)
//           + 2 lambda sum_m (w_{m+1} - w_m) (sin(n pi t_{m+1}) - sin(n pi t_m)),
// component by component; each component sums over m in point order, whatever the threads.
void FourierPathFinder::gradient_b(Scalar* grad_b /*[NF,P]*/) const {
  constexpr std::size_t kBlock = 256;  // components per task: the accumulators stay in L1
  const std::size_t blocks = (P_ + kBlock - 1) / kBlock;
  const double two_lambda = 2 * params_.lambda;
#pragma omp parallel for schedule(static) if (worth_threads())
  for (std::size_t blk = 0; blk < blocks; ++blk) {
    const std::size_t p0 = blk * kBlock, p1 = std::min(P_, p0 + kBlock);
    double smooth_part[kBlock];
    for (int n = 0; n < NF_; ++n) {
      const double* s = sine_.data() + std::size_t(n) * M_;  // s[m] = sin(n pi t_m)
      std::fill(smooth_part, smooth_part + (p1 - p0), 0.0);
      for (int m = 0; m + 1 < M_; ++m) {  // sum_m (w_{m+1} - w_m)(s_{m+1} - s_m)
        const double ds = s[m + 1] - s[m];
        const Scalar* a = W_.data() + std::size_t(m) * P_;
        const Scalar* c = a + P_;
        for (std::size_t p = p0; p < p1; ++p) smooth_part[p - p0] += (double(c[p]) - double(a[p])) * ds;
      }
      const Scalar* loss_part = loss_part_.data() + std::size_t(n) * P_;
      Scalar* out = grad_b + std::size_t(n) * P_;
      for (std::size_t p = p0; p < p1; ++p)
        out[p] = static_cast<Scalar>(double(loss_part[p]) + two_lambda * smooth_part[p - p0]);
    }
  }
}

double FourierPathFinder::objective(const Scalar* b, Scalar* grad_b) {
  evaluate_points(b, grad_b != nullptr);
  // L = sum_m l(w_m) + lambda sum_m |w_{m+1} - w_m|^2, summed in point order.
  double loss = 0, smooth = 0;
  for (int m = 0; m < M_; ++m) loss += ell_[m];
  for (int m = 0; m + 1 < M_; ++m) smooth += seg_sq_[m];
  if (grad_b) gradient_b(grad_b);
  return loss + params_.lambda * smooth;
}

// A NaN or Inf at b^k would pass into Adam's moments and make every later b NaN, while the
// selection (criterion < best, false for NaN) silently kept an earlier iterate, or, at k = 0,
// the straight line's H would be NaN in the result. So the run stops where it first appears.
void FourierPathFinder::require_finite(int k, double L, const Scalar* grad_b) const {
  const std::string where =
      "FourierPathFinder step " + std::to_string(k) + " of " + std::to_string(params_.steps) + ": ";
  for (int m = 0; m < M_; ++m)
    if (!std::isfinite(f_[m]))
      throw Error(where + "non-finite loss " + std::to_string(f_[m]) + " at point " + std::to_string(m) +
                  " (t = " + std::to_string(t_[m]) + ")");
  if (!std::isfinite(L))
    throw Error(where + "non-finite objective " + std::to_string(L) +
                " (the smoothness term overflowed: lower --lr or --lambda)");
  if (!grad_b) return;
  const std::size_t nb = std::size_t(NF_) * P_;
  for (std::size_t i = 0; i < nb; ++i)
    if (!std::isfinite(grad_b[i]))
      throw Error(where + "non-finite gradient dL/db_" + std::to_string(i / P_ + 1) + " at component " +
                  std::to_string(i % P_));
}

// docs/algorithms.md §5.3 and, for --batch, §5.7. A full-batch run judges every iterate with
// the same evaluation that gives its step's gradient, as the paper does. A stochastic run takes
// step k's gradient on step k's mini-batch and judges only b^0, every eval_every-th iterate and
// the last, on the full landscape (loss only): mini-batch losses are too noisy to select by, and
// the reported H, profile, loss sums and H_linear are full-landscape values.
void FourierPathFinder::check_state(const FourierPathState& s) const {
  const std::size_t nb = std::size_t(NF_) * P_;
  const PathResult& r = s.partial;
  if (s.steps_done < 1 || s.steps_done > params_.steps)
    throw Error("a kept path state after step " + std::to_string(s.steps_done) + " for a run of " +
                std::to_string(params_.steps) + " steps");
  if (s.b.size() != nb || s.adam_m.size() != nb || s.adam_v.size() != nb || r.b.size() != nb)
    throw Error("a kept path state of " + std::to_string(s.b.size()) +
                " coefficients for a path of NF P = " + std::to_string(nb));
  if (r.t != t_ || r.profile.size() != t_.size() || r.profile_linear.size() != t_.size())
    throw Error("a kept path state of " + std::to_string(r.t.size()) +
                " points for a path of M = " + std::to_string(M_));
  if (r.checkpoints.empty() || r.checkpoints.front().step != 0 || r.checkpoints.back().step >= s.steps_done)
    throw Error("a kept path state whose judged iterates do not start at b^0 or lie beyond step " +
                std::to_string(s.steps_done));
}

// docs/algorithms.md §5.3 and, for --batch, §5.7. A full-batch run judges every iterate with
// the same evaluation that gives its step's gradient, as the paper does. A stochastic run takes
// step k's gradient on step k's mini-batch and judges only b^0, every eval_every-th iterate and
// the last, on the full landscape (loss only): mini-batch losses are too noisy to select by, and
// the reported H, profile, loss sums and H_linear are full-landscape values. Continued from a
// kept state (§5.8), the loop starts at its step with its b, moments, generator and result.
PathResult FourierPathFinder::run(const FourierPathState* from) {
  const std::size_t nb = std::size_t(NF_) * P_;
  FourierPathState s;
  if (from) {
    check_state(*from);
    s = *from;
  } else {
    s.b.assign(nb, Scalar(0));
    s.partial.t = t_;
    s.partial.b.assign(nb, Scalar(0));
    s.partial.profile.assign(M_, 0.0);
  }
  std::vector<Scalar>& b = s.b;
  PathResult& r = s.partial;
  double& best = s.best;
  std::vector<Scalar> grad(nb, Scalar(0));
  AdamParams adam_params;
  adam_params.lr = params_.lr;
  Adam adam(nb, adam_params);
  Rng noise(params_.noise_seed);
  if (from) {
    adam.restore(std::move(s.adam_m), std::move(s.adam_v), s.steps_done);
    try {
      noise.restore(s.noise);
    } catch (const std::invalid_argument&) {
      throw Error("a kept path state whose noise generator cannot be read");
    }
  }
  const bool stochastic = params_.batch > 0;
  const auto judged = [&](int k) {
    return !stochastic || k == 0 || k == params_.steps ||
           (params_.eval_every > 0 && k % params_.eval_every == 0);
  };
  // The clocks of the checkpoints go on from the time the kept state had spent.
  const auto wall_start = WallClock::now() - std::chrono::duration_cast<WallClock::duration>(
                                                 std::chrono::duration<double>(s.seconds));
  const double cpu_start = cpu_seconds() - s.cpu_seconds;

  auto summarize = [&](double& H, double& length, double& loss_sum) {
    H = *std::max_element(f_.begin(), f_.end());
    length = 0;
    for (double seg : seg_sq_) length += std::sqrt(seg);
    loss_sum = 0;
    for (double f : f_) loss_sum += f;
  };
  // b^k judged on the full landscape: f_, ell_ and seg_sq_ hold its points' values.
  auto judge = [&](int k, double L) {
    double ell_sum = 0;
    for (double e : ell_) ell_sum += e;
    // The NN notebook keeps the lowest sum of point losses; the toy one the lowest L.
    const double criterion = params_.select == PathSelect::MinObjective ? L : ell_sum;
    if (k == 0) {
      summarize(r.H_linear, r.length_linear, r.loss_sum_linear);
      r.profile_linear = f_;
    }
    if (k == 0 || criterion < best) {  // strict: ties keep the earlier iterate
      best = criterion;
      summarize(r.H, r.length, r.loss_sum);
      std::copy(f_.begin(), f_.end(), r.profile.begin());
      std::copy(b.begin(), b.end(), r.b.begin());
      r.objective = L;
      r.reported_step = k;
    }
    PathCheckpoint& c = r.checkpoints.emplace_back();
    double length_k;
    summarize(c.H, length_k, c.loss_sum);
    c.step = k;
    c.H_reported = r.H;
    c.seconds = seconds_since(wall_start);
    c.cpu_seconds = cpu_seconds() - cpu_start;
  };
  // The state after `done` steps, for the keeper (§5.8).
  auto keep = [&](int done) {
    s.steps_done = done;
    s.adam_m = adam.first_moment();
    s.adam_v = adam.second_moment();
    s.noise = noise.state();
    s.seconds = seconds_since(wall_start);
    s.cpu_seconds = cpu_seconds() - cpu_start;
    keeper_.keep(s);
  };

  const double none = std::numeric_limits<double>::quiet_NaN();
  for (int k = from ? s.steps_done : 0; k <= params_.steps; ++k) {
    const bool last = k == params_.steps;  // b^steps is judged but not stepped from
    PathStepRecord row{k, none, none, none, none, none, none, none, none, b.data()};
    if (judged(k)) {  // on f_land_: step_land_ leaves it only inside a stochastic step
      Scalar* g = stochastic || last ? nullptr : grad.data();  // full batch: the step's gradient
      const double L = objective(b.data(), g);
      require_finite(k, L, g);
      judge(k, L);
      if (tracer_)
        row.objective = L, row.loss_sum = r.checkpoints.back().loss_sum, row.H = r.checkpoints.back().H;
    }
    if (last) {
      if (tracer_) tracer_(row);
      break;
    }
    if (stochastic) {  // step k's gradient on its own mini-batch (§5.7)
      step_land_ = &steps_(k);
      require(step_land_->dimension() == P_, "FourierPathFinder: a mini-batch landscape of " +
                                                 std::to_string(step_land_->dimension()) +
                                                 " dimensions; the path has " + std::to_string(P_));
      const double L = objective(b.data(), grad.data());
      step_land_ = &f_land_;
      require_finite(k, L, grad.data());
      if (tracer_) row.batch_objective = L, row.batch_loss_sum = std::accumulate(f_.begin(), f_.end(), 0.0);
    }
    if (tracer_) row.gradient_norm = euclidean_norm(grad);  // noise-free, as dL/db
    if (params_.grad_noise > 0)  // the toy notebook's N(0, sigma^2) on each component
      for (std::size_t i = 0; i < nb; ++i)
        grad[i] = static_cast<Scalar>(grad[i] + params_.grad_noise * noise.normal());
    if (tracer_) trace_before_step_.assign(b.begin(), b.end()), row.b = trace_before_step_.data();
    adam.step(b.data(), grad.data());
    if (tracer_) {
      row.adam_m_norm = adam.first_moment_norm(), row.adam_v_norm = adam.second_moment_norm();
      tracer_(row);
    }
    if (keeper_.keep && keeper_.due(k + 1)) keep(k + 1);
    if (observer_) observer_(k + 1, params_.steps);
  }
  r.steps = params_.steps;
  return std::move(r);
}

}  // namespace landscape
