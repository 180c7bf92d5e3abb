#include "landscape/paths/trained_curve.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "optim/adam.hpp"

namespace landscape {

void CurveParams::check() const {
  table().check(*this);
  if (budget < 0) throw UsageError("--budget must be >= 0");
}

void curve_point(CurveShape shape, double t, const Scalar* w_i, const Scalar* theta,
                 const Scalar* w_j, std::size_t P, Scalar* w) {
  const CurveWeights k = shape(t);
  for (std::size_t p = 0; p < P; ++p)
    w[p] = static_cast<Scalar>(k.a * w_i[p] + k.c * theta[p] + k.e * w_j[p]);
}

FoundPath train_curve(const Landscape& f, std::span<const Scalar> w_i,
                      std::span<const Scalar> w_j, CurveShape shape, const CurveParams& params) {
  params.check();
  const std::size_t P = f.dimension(), S = std::size_t(params.samples);
  require(w_i.size() == P && w_j.size() == P,
          "curve: the end points have " + std::to_string(w_i.size()) + " and " +
              std::to_string(w_j.size()) + " components; the landscape has " + std::to_string(P));
  int steps = params.steps;
  if (params.budget > 0) steps = int(std::min<long>(steps, params.budget / long(S)));

  std::vector<Scalar> theta(P);  // the midpoint: the straight line
  for (std::size_t p = 0; p < P; ++p)
    theta[p] = static_cast<Scalar>(0.5 * (double(w_i[p]) + double(w_j[p])));
  AdamParams adam_params;
  adam_params.lr = params.lr;
  Adam adam(P, adam_params);
  Rng rng(params.seed);
  std::vector<Scalar> W(S * P), G(S * P), grad(P);
  std::vector<double> t(S), c(S), fs(S);
  for (int k = 0; k < steps; ++k) {
    for (std::size_t s = 0; s < S; ++s) {
      t[s] = rng.uniform();
      c[s] = shape(t[s]).c;
      curve_point(shape, t[s], w_i.data(), theta.data(), w_j.data(), P, W.data() + s * P);
    }
    evaluate_points(f, W.data(), S, G.data(), fs.data(), "curve point");
    // d/dtheta (1/S) sum_s f(phi(t_s)) = (1/S) sum_s c(t_s) g_s, summed in sample order.
    for (std::size_t p = 0; p < P; ++p) {
      double sum = 0;
      for (std::size_t s = 0; s < S; ++s) sum += c[s] * double(G[s * P + p]);
      grad[p] = static_cast<Scalar>(sum / double(S));
    }
    adam.step(theta.data(), grad.data());
  }

  const std::vector<double> tm = uniform_t(params.points);
  std::vector<Scalar> points(tm.size() * P);
  for (std::size_t m = 0; m < tm.size(); ++m)
    curve_point(shape, tm[m], w_i.data(), theta.data(), w_j.data(), P, points.data() + m * P);
  return measure_path(f, tm, std::move(points), steps);
}

}  // namespace landscape
