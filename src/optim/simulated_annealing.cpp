#include "optim/simulated_annealing.hpp"

#include "core/error.hpp"

namespace landscape {

void AnnealParams::check() const {
  table().check(*this);
  if (!(t_end <= t_start)) throw UsageError("--t-end must be at most --t-start");
  if (!(target_acceptance >= 0 && target_acceptance < 1))
    throw UsageError("--target-acceptance must lie in [0, 1)");
  if (adapt_every < 1) throw UsageError("the adaptation window of the annealer must be at least 1");
}

double anneal_temperature(const AnnealParams& p, long k) {
  if (p.steps == 1) return p.t_start;
  // T_k = T_0 (T_K / T_0)^(k / (K-1)): equal ratios between steps, T_0 first and T_K last.
  return p.t_start * std::pow(p.t_end / p.t_start, double(k) / double(p.steps - 1));
}

bool metropolis_accept(double delta, double temperature, double u) {
  if (delta <= 0) return true;                // downhill (or level): always
  return u < std::exp(-delta / temperature);  // uphill: Boltzmann probability
}

SimulatedAnnealing::SimulatedAnnealing(const AnnealParams& params)
    : params_(params), rng_(params.seed ^ 0xA22EA1ULL), sigma_(params.sigma) {
  params_.check();
}

void SimulatedAnnealing::adapt(long accepted_in_window) {
  if (params_.target_acceptance == 0) return;  // fixed sigma
  const double rate = double(accepted_in_window) / params_.adapt_every;
  // Too many acceptances: the steps are too timid to explore; too few: they overshoot.
  sigma_ = rate > params_.target_acceptance ? sigma_ * 1.2 : sigma_ / 1.2;
}

}  // namespace landscape
