// Stochastic gradient descent, the update rule of torch.optim.SGD (no weight decay, dampening
// or Nesterov), which the published notebooks use for the SGD runs of docs/algorithms.md §3.
// Per component, with the mini-batch gradient g:
//   momentum = 0:  x <- x - lr g
//   momentum > 0:  v <- momentum v + g   (v = g on the first step, as PyTorch's buffer starts)
//                  x <- x - lr v
// Mini-batches of 64, shuffled each epoch, are the training runner's business; this file is
// only the update.
//
// Legend: P = number of parameters.
#pragma once

#include <cstddef>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/scalar.hpp"

namespace landscape {

// Flags --lr, --momentum; preset keys sgd_<name> (docs/algorithms.md §3).
struct SgdParams {
  double lr = 0.01;       // the paper gives none; 0.01 is the usual default (§3.1)
  double momentum = 0.0;  // 0 is plain SGD (the published runs)
  static const ParameterTable<SgdParams>& table();
  void check() const { table().check(*this); }  // UsageError naming the flag
};

inline const ParameterTable<SgdParams>& SgdParams::table() {
  using P = SgdParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("lr", &P::lr, "SGD learning rate").above(0)
      .field("momentum", &P::momentum, "SGD momentum").at_least(0).below(1);
  // clang-format on
  return t;
}

class Sgd {
 public:
  Sgd(std::size_t size, const SgdParams& params);  // no momentum buffer yet

  // One update of x[P] in place from the mini-batch gradient g[P].
  void step(Scalar* x, const Scalar* g);
  long steps_taken() const { return steps_; }
  void reset();  // forgets the momentum buffer (a fresh run)
  const SgdParams& params() const { return params_; }

 private:
  SgdParams params_;
  std::size_t size_;
  std::vector<Scalar> velocity_;  // [P] momentum buffer v; empty until the first momentum step
  long steps_ = 0;
};

}  // namespace landscape
