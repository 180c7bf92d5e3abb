// Simulated annealing (Kirkpatrick, Gelatt & Vecchi 1983), the second optimizer of the minima-
// spread experiment of Choromanska et al. 2015 (docs/algorithms.md §12.2): a gradient-free random
// walk that goes uphill less and less often as a temperature T falls. Step k = 0 .. K-1:
//   T_k  = T_0 (T_K / T_0)^(k / (K-1))           geometric schedule from t_start to t_end
//   y    = x + sigma z,  z ~ N(0, I_P)            Gaussian proposal around the current point
//   accept y  if f(y) <= f(x)  or  u < exp(-(f(y) - f(x)) / T_k),  u ~ U[0,1)   (Metropolis)
// With `target_acceptance` > 0, sigma adapts every `adapt_every` proposals: times 1.2 when more
// than that fraction was accepted, divided by 1.2 when fewer (so one sigma need not fit both a
// 1-D toy and a network of 10,000 weights). The walk keeps the best point it has seen; that is
// what minimize() leaves in x.
//
// Legend: P = number of parameters, K = proposals (steps).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/random.hpp"
#include "core/scalar.hpp"
#include "optim/objective.hpp"

namespace landscape {

// Flags --anneal-steps, --t-start, --t-end, --sigma: table() below (docs/algorithms.md §12).
struct AnnealParams {
  long steps = 2000;              // --anneal-steps: K proposals (each one loss evaluation)
  double t_start = 1e-2;          // --t-start: T_0, of the order of the loss differences to climb
  double t_end = 1e-5;            // --t-end: T_K, where the walk is a plain descent
  double sigma = 1e-2;            // --sigma: initial proposal standard deviation per component
  double target_acceptance = 0.25;  // --target-acceptance: 0 keeps sigma fixed
  int adapt_every = 50;           // proposals between two adaptations of sigma
  uint64_t seed = 0;              // --seed: proposals and acceptance draws
  // Throws UsageError naming the flag: steps >= 1, 0 < t_end <= t_start, sigma > 0,
  // 0 <= target_acceptance < 1, adapt_every >= 1, all finite.
  void check() const;
  static const ParameterTable<AnnealParams>& table();
};

inline const ParameterTable<AnnealParams>& AnnealParams::table() {
  using P = AnnealParams;
  static const auto t = ParameterTable<P>()
      .field("anneal-steps", &P::steps, "annealing proposals (one loss evaluation each)")
          .range(1, double(1LL << 40))
      .field("t-start", &P::t_start, "annealing temperature at the first proposal").above(0)
      .field("t-end", &P::t_end, "annealing temperature at the last proposal (geometric in between)")
          .above(0)
      .field("sigma", &P::sigma,
             "initial proposal standard deviation per weight (adapted to 25% acceptance)")
          .above(0);
  return t;
}

struct AnnealResult {
  double best_loss = 0;     // f at the returned x
  double final_loss = 0;    // f at the walk's last accepted point
  long proposals = 0;       // K
  long accepted = 0;        // proposals taken
  double final_sigma = 0;   // sigma after the adaptations
};

// T_k of the geometric schedule above (k in 0..K-1; T_0 when K = 1).
double anneal_temperature(const AnnealParams& p, long k);
// The Metropolis rule: downhill always, uphill by delta with probability exp(-delta / T).
bool metropolis_accept(double delta, double temperature, double u);

class SimulatedAnnealing {
 public:
  explicit SimulatedAnnealing(const AnnealParams& params);  // checks params

  // K proposals from x[P] (changed in place to the best point seen); f's value only is used.
  template <Objective F>
  AnnealResult minimize(const F& f, Scalar* x);

 private:
  void propose(const Scalar* x, Scalar* y, std::size_t n);  // y = x + sigma z
  void adapt(long accepted_in_window);                       // sigma *= 1.2 or / 1.2

  AnnealParams params_;
  Rng rng_;
  double sigma_;
};

template <Objective F>
AnnealResult SimulatedAnnealing::minimize(const F& f, Scalar* x) {
  const std::size_t n = f.dimension();
  std::vector<Scalar> current(x, x + n), trial(n);  // [P] each; x itself holds the best
  double f_current = f.evaluate(current.data(), nullptr);
  AnnealResult r;
  r.best_loss = f_current;
  long window_accepted = 0;
  for (long k = 0; k < params_.steps; ++k) {
    const double T = anneal_temperature(params_, k);
    propose(current.data(), trial.data(), n);                  // y = x + sigma z
    const double f_trial = f.evaluate(trial.data(), nullptr);
    const double u = rng_.uniform();  // drawn every step, so the stream does not depend on f
    if (std::isfinite(f_trial) && metropolis_accept(f_trial - f_current, T, u)) {
      current.swap(trial);
      f_current = f_trial;
      ++r.accepted;
      ++window_accepted;
      if (f_current < r.best_loss) {
        r.best_loss = f_current;
        std::copy(current.begin(), current.end(), x);
      }
    }
    if ((k + 1) % params_.adapt_every == 0) {
      adapt(window_accepted);
      window_accepted = 0;
    }
  }
  r.final_loss = f_current;
  r.proposals = params_.steps;
  r.final_sigma = sigma_;
  return r;
}

}  // namespace landscape
