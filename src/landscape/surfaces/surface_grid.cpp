#include "landscape/surfaces/surface_grid.hpp"

#include <omp.h>

#include <exception>

#include "core/error.hpp"
#include "models/dataset_loss.hpp"

namespace landscape {

std::vector<double> grid_coordinates(double lo, double hi, int n) {
  require(n >= 2, "a surface grid needs at least 2 points per axis");
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) x[i] = i == n - 1 ? hi : lo + (hi - lo) * double(i) / double(n - 1);
  return x;
}

void evaluate_surface_points(const Model& model, const Dataset& data, const SurfacePlane& plane,
                             std::vector<SurfacePoint>& points) {
  const int M = int(points.size());
  // With fewer points than threads they go one after another and each dataset loss gets all
  // the threads (as the path finder does).
  const bool in_parallel = M >= omp_get_max_threads() && omp_get_max_threads() > 1;
  std::exception_ptr failure;
#pragma omp parallel if (in_parallel)
  {
    std::vector<Scalar> w(plane.size());  // [P] this thread's point
#pragma omp for schedule(dynamic, 1)
    for (int m = 0; m < M; ++m) {
      try {
        plane.point(points[m].a, points[m].b, w.data());
        const DatasetLoss r = dataset_loss(model, data, w.data(), nullptr);
        points[m].loss = r.loss;
        points[m].accuracy = r.accuracy();
      } catch (...) {
#pragma omp critical(surface_point_failure)
        if (!failure) failure = std::current_exception();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace landscape
