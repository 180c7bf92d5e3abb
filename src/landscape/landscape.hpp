// A loss landscape: a function on R^n with its gradient. Two kinds stand behind it: analytic
// surfaces (the paper's Figure 3 function, Mueller-Brown) and a model's mean loss over a
// dataset split (model_landscape.hpp). Path finders, surface plots and Hessians work on this.
#pragma once

#include <cstddef>
#include <string>

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
  // The losses f[K] at K points X [K, dimension()] and, unless G is nullptr, their gradients
  // G [K, dimension()]: what path steps, bands, curves and grids ask for. This default runs
  // evaluate() on the points, one point per thread when there are at least as many points as
  // threads and a point is real work; a model's landscape overrides it with one pass over the
  // data for all points (docs/algorithms.md §2.6). The first exception a point throws is
  // rethrown after the others have run.
  virtual void evaluate_many(const Scalar* X, std::size_t K, double* f, Scalar* G) const;
  virtual std::string describe() const = 0;
};

}  // namespace landscape
