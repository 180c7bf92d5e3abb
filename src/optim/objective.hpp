// What an optimizer needs of the function it minimises: its dimension, and
// its value at x with, when asked, the gradient. Analytic test functions, a model's mean loss
// over a dataset (landscape/model_landscape.hpp) and every Landscape satisfy it.
#pragma once

#include <concepts>
#include <cstddef>

#include "core/scalar.hpp"

namespace landscape {

template <class F>
concept Objective = requires(const F& f, const Scalar* x, Scalar* grad) {
  { f.dimension() } -> std::convertible_to<std::size_t>;
  // Loss at x[dimension()]; writes d loss / dx into grad[dimension()] unless grad is nullptr
  // (a loss-only evaluation, as the line search makes).
  { f.evaluate(x, grad) } -> std::convertible_to<double>;
};

}  // namespace landscape
