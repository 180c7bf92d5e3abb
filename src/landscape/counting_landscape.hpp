// A landscape that counts what is asked of another: loss+gradient evaluations and loss-only
// ones. `landscape compare-paths` gives every path method the same budget of loss+gradient
// evaluations and reports what each spent through this wrapper, not through the methods' own
// bookkeeping. Thread-safe like the landscape it wraps (the path finders evaluate points in
// parallel): the counters are atomic.
#pragma once

#include <atomic>
#include <string>

#include "landscape/landscape.hpp"

namespace landscape {

class CountingLandscape : public Landscape {
 public:
  explicit CountingLandscape(const Landscape& inner) : inner_(inner) {}  // inner must outlive it
  std::size_t dimension() const override { return inner_.dimension(); }
  double evaluate(const Scalar* x, Scalar* grad) const override {
    (grad ? gradient_calls_ : loss_calls_).fetch_add(1, std::memory_order_relaxed);
    return inner_.evaluate(x, grad);
  }
  std::string describe() const override { return inner_.describe(); }

  long gradient_evaluations() const { return gradient_calls_.load(); }  // loss and gradient
  long loss_evaluations() const { return loss_calls_.load(); }          // loss only
  void reset() { gradient_calls_ = 0, loss_calls_ = 0; }

 private:
  const Landscape& inner_;
  mutable std::atomic<long> gradient_calls_{0}, loss_calls_{0};
};

}  // namespace landscape
