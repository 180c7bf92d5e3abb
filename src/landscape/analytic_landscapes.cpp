#include "landscape/analytic_landscapes.hpp"

#include <cmath>

namespace landscape {

namespace {

// Adds s * exp(-k |r - c|^2) to f and its gradient s * exp(..) * (-2k)(r - c) to (gx, gy).
void add_gaussian(double s, double k, const Point2& c, double x, double y, double& f, double& gx,
                  double& gy) {
  const double dx = x - c[0], dy = y - c[1];
  const double e = s * std::exp(-k * (dx * dx + dy * dy));
  f += e;
  gx += e * (-2 * k * dx);
  gy += e * (-2 * k * dy);
}

}  // namespace

double Figure3Landscape::value(double x, double y, double* dfdx, double* dfdy) const {
  double f = kShift, gx = 0, gy = 0;
  add_gaussian(-1, kWellWidth, kC1, x, y, f, gx, gy);
  add_gaussian(-1, kWellWidth, kC2, x, y, f, gx, gy);
  add_gaussian(+1, kBumpWidth, kD1, x, y, f, gx, gy);
  add_gaussian(+1, kBumpWidth, kD2, x, y, f, gx, gy);
  if (dfdx) *dfdx = gx;
  if (dfdy) *dfdy = gy;
  return f;
}

double PlanarLandscape::evaluate(const Scalar* x, Scalar* grad) const {
  double gx, gy;
  const double f = value(x[0], x[1], &gx, &gy);
  if (grad) {
    grad[0] = static_cast<Scalar>(gx);
    grad[1] = static_cast<Scalar>(gy);
  }
  return f;
}

double MuellerBrownLandscape::value(double x, double y, double* dfdx, double* dfdy) const {
  double f = 0, gx = 0, gy = 0;
  for (int k = 0; k < 4; ++k) {
    const double dx = x - kx[k], dy = y - ky[k];
    // e = A exp(a dx^2 + b dx dy + c dy^2)
    const double e = kA[k] * std::exp(ka[k] * dx * dx + kb[k] * dx * dy + kc[k] * dy * dy);
    f += e;
    gx += e * (2 * ka[k] * dx + kb[k] * dy);  // d/dx of the exponent
    gy += e * (kb[k] * dx + 2 * kc[k] * dy);  // d/dy of the exponent
  }
  if (dfdx) *dfdx = gx;
  if (dfdy) *dfdy = gy;
  return f;
}

}  // namespace landscape
