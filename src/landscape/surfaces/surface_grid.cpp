#include "landscape/surfaces/surface_grid.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "models/dataset_loss_many.hpp"

namespace landscape {

std::vector<double> grid_coordinates(double lo, double hi, int n) {
  require(n >= 2, "a surface grid needs at least 2 points per axis");
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) x[i] = i == n - 1 ? hi : lo + (hi - lo) * double(i) / double(n - 1);
  return x;
}

void evaluate_surface_points(const Model& model, const Dataset& data, const SurfacePlane& plane,
                             std::vector<SurfacePoint>& points) {
  const size_t M = points.size(), P = plane.size();
  if (M == 0) return;
  // w(a, b) = w0 + a d1 + b d2: the points and their coefficients over the basis [w0, d1, d2]
  // (a line has no d2), so the first layer comes from 2 or 3 products (docs/algorithms.md §2.6).
  const size_t K = plane.dims() + 1;
  std::vector<Scalar> W(M * P), basis(K * P);
  std::vector<double> coefficients(M * K);
  std::copy(plane.center.begin(), plane.center.end(), basis.begin());
  std::copy(plane.d1.begin(), plane.d1.end(), basis.begin() + P);
  if (K == 3) std::copy(plane.d2.begin(), plane.d2.end(), basis.begin() + 2 * P);
  for (size_t m = 0; m < M; ++m) {
    plane.point(points[m].a, points[m].b, W.data() + m * P);
    double* c = coefficients.data() + m * K;
    c[0] = 1;
    c[1] = points[m].a;
    if (K == 3) c[2] = points[m].b;
  }
  const PointBasis point_basis{basis.data(), K, coefficients.data()};
  std::vector<DatasetLoss> r(M);
  dataset_loss_many(model, data, W.data(), M, r.data(), nullptr, 0, &point_basis);
  for (size_t m = 0; m < M; ++m) {
    points[m].loss = r[m].loss;
    points[m].accuracy = r[m].accuracy();
  }
}

}  // namespace landscape
