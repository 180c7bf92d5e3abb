// A loss landscape: a function on R^n with its gradient. Two kinds stand behind it: analytic
// surfaces (the paper's Figure 3 function, Mueller-Brown) and a model's mean loss over a
// dataset split (model_landscape.hpp). Path finders, surface plots and Hessians work on this.
#pragma once

#include <cstddef>
#include <string>

#include "core/point_basis.hpp"
#include "core/scalar.hpp"

namespace landscape {

class Landscape {
 public:
  virtual ~Landscape() = default;
  virtual std::size_t dimension() const = 0;
  // Loss at x[dimension()]; when grad != nullptr also writes the gradient into it.
  // Safe to call from several threads at once (the path finder evaluates its points in
  // parallel); a call made inside a parallel region runs on its calling thread.
  virtual double evaluate(const Scalar* x, Scalar* grad) const = 0;
  // The losses f[M] at M points X [M, dimension()] and, unless G is nullptr, their gradients
  // G [M, dimension()]: what path steps, bands, curves and grids ask for. `basis` (may be
  // nullptr) says the points are its combinations, X holding them rounded. This default runs
  // evaluate() on the rows of X, one point per thread when there are at least as many points
  // as threads and a point is real work; a model's landscape overrides it with one pass over
  // the data for all points, its first layer from the basis (docs/algorithms.md §2.6). The
  // first exception a point throws is rethrown after the others have run.
  virtual void evaluate_many(const Scalar* X, std::size_t M, double* f, Scalar* G,
                             const PointBasis* basis = nullptr) const;
  // As evaluate_many, with the R combinations of the points' gradients (core/point_basis.hpp)
  // instead of the gradients themselves. This default computes the M gradients and combines
  // them in double; a model's landscape forms its first layer's part from R products.
  virtual void evaluate_many_combined(const Scalar* X, std::size_t M, double* f,
                                      const GradientCombination& combination,
                                      const PointBasis* basis = nullptr) const;
  virtual std::string describe() const = 0;
};

}  // namespace landscape
