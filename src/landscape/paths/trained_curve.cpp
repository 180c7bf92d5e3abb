#include "landscape/paths/trained_curve.hpp"

#include <algorithm>
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

void curve_point(CurveShape shape, double t, const Scalar* w_i, const Scalar* theta, const Scalar* w_j,
                 std::size_t P, Scalar* w) {
  const CurveWeights k = shape(t);
  for (std::size_t p = 0; p < P; ++p)
    w[p] = static_cast<Scalar>(k.a * w_i[p] + k.c * theta[p] + k.e * w_j[p]);
}

FoundPath train_curve(const Landscape& f, std::span<const Scalar> w_i, std::span<const Scalar> w_j,
                      CurveShape shape, const CurveParams& params) {
  params.check();
  const std::size_t P = f.dimension(), S = std::size_t(params.samples);
  require(w_i.size() == P && w_j.size() == P, "curve: the end points have " + std::to_string(w_i.size()) +
                                                  " and " + std::to_string(w_j.size()) +
                                                  " components; the landscape has " + std::to_string(P));
  int steps = params.steps;
  if (params.budget > 0) steps = int(std::min<long>(steps, params.budget / long(S)));

  std::vector<Scalar> theta(P);  // the midpoint: the straight line
  for (std::size_t p = 0; p < P; ++p) theta[p] = static_cast<Scalar>(0.5 * (double(w_i[p]) + double(w_j[p])));
  AdamParams adam_params;
  adam_params.lr = params.lr;
  Adam adam(P, adam_params);
  Rng rng(params.seed);
  // The samples are combinations of the basis [w_i, theta, w_j] (docs/algorithms.md §2.6), and
  // the step needs only d/dtheta (1/S) sum_s f(phi(t_s)) = sum_s (c(t_s) / S) g_s: one
  // combination of the samples' gradients, which the landscape forms itself.
  std::vector<Scalar> W(S * P), grad(P), basis(3 * P);
  std::copy(w_i.begin(), w_i.end(), basis.begin());
  std::copy(w_j.begin(), w_j.end(), basis.begin() + 2 * P);
  std::vector<double> t(S), fs(S), coefficients(S * 3), weights(S);
  for (int k = 0; k < steps; ++k) {
    std::copy(theta.begin(), theta.end(), basis.begin() + P);
    for (std::size_t s = 0; s < S; ++s) {
      t[s] = rng.uniform();
      const CurveWeights cw = shape(t[s]);
      coefficients[s * 3] = cw.a, coefficients[s * 3 + 1] = cw.c, coefficients[s * 3 + 2] = cw.e;
      weights[s] = cw.c / double(S);
      curve_point(shape, t[s], w_i.data(), theta.data(), w_j.data(), P, W.data() + s * P);
    }
    const PointBasis point_basis{basis.data(), 3, coefficients.data()};
    f.evaluate_many_combined(W.data(), S, fs.data(), {weights.data(), 1, grad.data()}, &point_basis);
    require_finite_losses(fs.data(), S, "curve point");
    adam.step(theta.data(), grad.data());
  }

  const std::vector<double> tm = uniform_t(params.points);
  std::vector<Scalar> points(tm.size() * P);
  for (std::size_t m = 0; m < tm.size(); ++m)
    curve_point(shape, tm[m], w_i.data(), theta.data(), w_j.data(), P, points.data() + m * P);
  FoundPath path = measure_path(f, tm, std::move(points), steps);
  path.coefficients = std::move(theta);  // the control point or bend: what --save-path keeps
  path.coefficient_rows = 1;
  return path;
}

}  // namespace landscape
