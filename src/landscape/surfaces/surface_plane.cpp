#include "landscape/surfaces/surface_plane.hpp"

#include <string>

#include "core/error.hpp"
#include "core/random.hpp"
#include "landscape/analysis/pca.hpp"
#include "landscape/surfaces/filter_normalization.hpp"

namespace landscape {

void SurfacePlane::point(double a, double b, Scalar* w) const {
  const size_t P = size();
  if (d2.empty()) {
    for (size_t p = 0; p < P; ++p) w[p] = Scalar(double(center[p]) + a * double(d1[p]));
  } else {
    for (size_t p = 0; p < P; ++p) w[p] = Scalar(double(center[p]) + a * double(d1[p]) + b * double(d2[p]));
  }
}

std::vector<double> SurfacePlane::project(const Scalar* w) const {
  std::vector<double> coords;
  for (const std::vector<Scalar>* d : {&d1, &d2}) {
    if (d->empty()) continue;
    double s = 0;  // (w - w0).d
    for (size_t p = 0; p < size(); ++p) s += (double(w[p]) - double(center[p])) * double((*d)[p]);
    coords.push_back(s);
  }
  return coords;
}

std::vector<Scalar> SurfacePlane::stacked_directions() const {
  std::vector<Scalar> s(d1);
  s.insert(s.end(), d2.begin(), d2.end());
  return s;
}

namespace {
void require_dims(int dims) {
  if (dims != 1 && dims != 2) throw UsageError("--dims must be 1 or 2, got " + std::to_string(dims));
}
}  // namespace

SurfacePlane random_plane(const Model& model, const Scalar* w, int dims, uint64_t seed, bool include_biases) {
  require_dims(dims);
  Rng rng(seed);
  SurfacePlane plane;
  plane.center.assign(w, w + model.num_params());
  plane.d1 = random_filter_direction(model, w, rng, include_biases);
  if (dims == 2) plane.d2 = random_filter_direction(model, w, rng, include_biases);
  return plane;
}

SurfacePlane pair_plane(const Model& model, const Scalar* w_i, const Scalar* w_j, int dims, uint64_t seed,
                        bool include_biases) {
  require_dims(dims);
  const size_t P = model.num_params();
  SurfacePlane plane;
  plane.center.assign(w_i, w_i + P);
  plane.d1.resize(P);
  double d1d1 = 0;
  for (size_t p = 0; p < P; ++p) {
    plane.d1[p] = Scalar(double(w_j[p]) - double(w_i[p]));  // d1 = w_j - w_i
    d1d1 += double(plane.d1[p]) * double(plane.d1[p]);
  }
  if (d1d1 == 0) throw Error("pair directions: the two weight vectors are equal");
  if (dims == 2) {
    Rng rng(seed);
    plane.d2 = random_filter_direction(model, w_i, rng, include_biases);
    // d2 <- d2 - (d2.d1 / d1.d1) d1. The bias entries of d2 may become non-zero here: the
    // plane must be spanned by orthogonal axes, and d1 moves the biases too.
    double d2d1 = 0;
    for (size_t p = 0; p < P; ++p) d2d1 += double(plane.d2[p]) * double(plane.d1[p]);
    const double c = d2d1 / d1d1;
    for (size_t p = 0; p < P; ++p) plane.d2[p] = Scalar(double(plane.d2[p]) - c * double(plane.d1[p]));
  }
  return plane;
}

SurfacePlane pca_plane(const Tensor& X, const Scalar* w0, int dims) {
  require_dims(dims);
  require(X.rank() == 2 && X.dim(0) > dims,
          "pca directions: need at least " + std::to_string(dims + 1) + " weight vectors for " +
              std::to_string(dims) + " principal axes, got " + std::to_string(X.rank() == 2 ? X.dim(0) : 0));
  const PCA pca(X, dims);
  const size_t P = size_t(X.dim(1));
  SurfacePlane plane;
  plane.center.assign(w0, w0 + P);
  for (int k = 0; k < dims; ++k) {
    if (pca.eigenvalues()[k] <= 0)
      throw Error("pca directions: the " + std::to_string(X.dim(0)) + " weight vectors span fewer than " +
                  std::to_string(dims) + " directions");
    std::vector<Scalar>& d = k == 0 ? plane.d1 : plane.d2;
    d.resize(P);
    for (size_t p = 0; p < P; ++p) d[p] = Scalar(pca.axes()[size_t(k) * P + p]);
    plane.explained.push_back(pca.eigenvalues()[k] / pca.eigenvalue_sum());
  }
  return plane;
}

SurfacePlane trajectory_plane(const Tensor& W, int dims) {
  require(W.rank() == 2 && W.dim(0) >= 1, "trajectory: expected a stack [K, P] of weight vectors");
  const Scalar* last = W.data() + size_t(W.dim(0) - 1) * size_t(W.dim(1));
  return pca_plane(W, last, dims);
}

}  // namespace landscape
