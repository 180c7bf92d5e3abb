#include "landscape/sharpness/sharpness.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/random.hpp"

namespace landscape {

namespace {

double norm(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x * x;
  return std::sqrt(s);
}

// x = w + c (.) u in the build's Scalar.
void perturbed(const Scalar* w, const std::vector<double>& c, const std::vector<double>& u,
               std::vector<Scalar>& x) {
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = Scalar(double(w[i]) + c[i] * u[i]);
}

void check_finite(double loss, const char* what) {
  if (!std::isfinite(loss)) throw Error(std::string(what) + ": the loss at a perturbed point is not finite");
}

// The highest loss met by the ascents of AscentParams, one per restart, over perturbations d
// of w evaluated at w + scale (.) d: restart r starts where start(r, rng) puts d (rng seeded
// seed + r), and after the loss and gradient of step k < steps, move(k, grad) moves d (false:
// the gradient vanished and the restart ends). Counts the evaluations into `out`.
template <class Start, class Move>
double highest_ascent_loss(const Landscape& f, const Scalar* w, double loss_w,
                           const std::vector<double>& scale, const std::vector<double>& d,
                           const AscentParams& params, const char* what, SharpnessValue& out, Start start,
                           Move move) {
  std::vector<Scalar> x(f.dimension()), grad(f.dimension());
  double best = loss_w;
  for (int r = 0; r < params.restarts; ++r) {
    Rng rng(params.seed + std::uint64_t(r));
    start(r, rng);
    for (int k = 0; k <= params.steps; ++k) {
      perturbed(w, scale, d, x);
      const double loss = f.evaluate(x.data(), k < params.steps ? grad.data() : nullptr);
      ++out.evaluations;
      check_finite(loss, what);
      best = std::max(best, loss);
      if (k == params.steps || !move(k, grad)) break;
    }
  }
  return best;
}

}  // namespace

std::vector<double> sharpness_scale(SharpnessScale scale, const Scalar* w, std::size_t P) {
  std::vector<double> c(P, 1.0);
  if (scale == SharpnessScale::Adaptive)
    for (std::size_t i = 0; i < P; ++i) c[i] = std::abs(double(w[i]));
  return c;
}

SharpnessValue worst_case_sharpness(const Landscape& f, const Scalar* w, double loss_w,
                                    const std::vector<double>& c, double rho, const AscentParams& params) {
  require(rho > 0, "worst_case_sharpness: rho must be > 0");
  const std::size_t P = f.dimension();
  std::vector<double> u(P), du(P);
  SharpnessValue out;
  const auto start = [&](int r, Rng& rng) {
    if (r == 0) {
      std::fill(u.begin(), u.end(), 0.0);
    } else {  // a random point of the sphere of radius rho / 2
      for (double& x : u) x = rng.normal();
      const double scale = 0.5 * rho / norm(u);
      for (double& x : u) x *= scale;
    }
  };
  const auto move = [&](int k, const std::vector<Scalar>& grad) {
    for (std::size_t i = 0; i < P; ++i) du[i] = c[i] * double(grad[i]);  // d L / d u
    const double g = norm(du);
    if (g == 0) return false;
    // Normalised steps (a small gradient at the minimum itself does not stall the ascent) of
    // rho (steps - k) / steps: the first reaches the sphere as SAM's one step does, the later
    // ones refine the direction on it.
    const double eta = rho * double(params.steps - k) / double(params.steps);
    for (std::size_t i = 0; i < P; ++i) u[i] += eta * du[i] / g;
    const double n = norm(u);
    if (n > rho)
      for (double& x : u) x *= rho / n;
    return true;
  };
  out.value =
      highest_ascent_loss(f, w, loss_w, c, u, params, "worst-case sharpness", out, start, move) - loss_w;
  return out;
}

SharpnessValue average_sharpness(const Landscape& f, const Scalar* w, double loss_w,
                                 const std::vector<double>& c, double rho, int samples, std::uint64_t seed) {
  require(samples >= 1, "average_sharpness: at least one sample");
  const std::size_t P = f.dimension();
  Rng rng(seed);
  std::vector<double> u(P);
  std::vector<Scalar> x(P);
  double sum = 0, sum2 = 0;
  const double scale = rho / std::sqrt(double(P));
  for (int s = 0; s < samples; ++s) {
    for (double& v : u) v = scale * rng.normal();
    perturbed(w, c, u, x);
    const double rise = f.evaluate(x.data(), nullptr) - loss_w;
    check_finite(rise, "average sharpness");
    sum += rise;
    sum2 += rise * rise;
  }
  SharpnessValue out;
  out.value = sum / samples;
  out.standard_error = samples > 1
                           ? std::sqrt(std::max(0.0, (sum2 - sum * sum / samples) / (samples - 1)) / samples)
                           : std::nan("");
  out.evaluations = samples;
  return out;
}

SharpnessValue keskar_sharpness(const Landscape& f, const Scalar* w, double loss_w, double epsilon,
                                const AscentParams& params) {
  require(epsilon > 0, "keskar_sharpness: epsilon must be > 0");
  const std::size_t P = f.dimension();
  std::vector<double> half(P), d(P);  // the box's half-widths epsilon (|w_i| + 1)
  for (std::size_t i = 0; i < P; ++i) half[i] = epsilon * (std::abs(double(w[i])) + 1);
  const std::vector<double> ones(P, 1.0);
  SharpnessValue out;
  const auto start = [&](int r, Rng& rng) {
    for (std::size_t i = 0; i < P; ++i) d[i] = r == 0 ? 0.0 : half[i] * rng.uniform(-0.5, 0.5);
  };
  // A sign step of 2 half / steps per coordinate, clipped to the box: the steepest ascent of
  // the box's own (infinity) norm.
  const auto move = [&](int, const std::vector<Scalar>& grad) {
    for (std::size_t i = 0; i < P; ++i) {
      const double step = grad[i] > 0 ? 1.0 : grad[i] < 0 ? -1.0 : 0.0;
      d[i] = std::clamp(d[i] + 2.0 * half[i] / double(params.steps) * step, -half[i], half[i]);
    }
    return true;
  };
  const double best =
      highest_ascent_loss(f, w, loss_w, ones, d, params, "Keskar sharpness", out, start, move);
  out.value = 100.0 * (best - loss_w) / (1.0 + loss_w);
  return out;
}

}  // namespace landscape
