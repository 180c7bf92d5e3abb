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
// Block moves (minimize_by_blocks): the coordinates fall into blocks (for the spread's networks,
// one hidden unit's incoming and outgoing weights); a proposal perturbs one block, drawn
// uniformly, by sigma z. Random-walk proposals need sigma ~ 1/sqrt(dimension) to be accepted, so
// a block move makes about as much progress per proposal as a move of every weight, and an
// evaluator that knows the model prices it at a fraction of a full loss
// (models/one_hidden_layer_moves.hpp; docs/algorithms.md §12.2).
//
// Legend: P = number of parameters, K = proposals (steps), B = blocks, d_b = size of block b.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/random.hpp"
#include "core/scalar.hpp"
#include "optim/objective.hpp"

namespace landscape {

// Fields and their flag names: table() below (docs/algorithms.md §12). The spread study sets
// steps from its own budget, --anneal-sweeps (experiments/related/minima_spread.hpp).
struct AnnealParams {
  long steps = 2000;                // --anneal-steps: K proposals (each one loss evaluation)
  double t_start = 1e-2;            // --t-start: T_0, of the order of the loss differences to climb
  double t_end = 1e-5;              // --t-end: T_K, where the walk is a plain descent
  double sigma = 1e-2;              // --sigma: initial proposal standard deviation per component
  double target_acceptance = 0.25;  // --target-acceptance: 0 keeps sigma fixed
  int adapt_every = 50;             // proposals between two adaptations of sigma
  uint64_t seed = 0;                // --seed: proposals and acceptance draws
  // Throws UsageError naming the flag: steps >= 1, 0 < t_end <= t_start, sigma > 0,
  // 0 <= target_acceptance < 1, adapt_every >= 1, all finite.
  void check() const;
  static const ParameterTable<AnnealParams>& table();
};

inline const ParameterTable<AnnealParams>& AnnealParams::table() {
  using P = AnnealParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("anneal-steps", &P::steps, "annealing proposals (one loss evaluation each)")
          .range(1, double(1LL << 40))
      .field("t-start", &P::t_start, "annealing temperature at the first proposal").above(0)
      .field("t-end", &P::t_end, "annealing temperature at the last proposal (geometric in between)")
          .above(0)
      .field("sigma", &P::sigma,
             "initial proposal standard deviation per weight (adapted to 25% acceptance)")
          .above(0);
  // clang-format on
  return t;
}

struct AnnealResult {
  double best_loss = 0;    // f at the returned x
  double final_loss = 0;   // f at the walk's last accepted point
  long proposals = 0;      // K
  long accepted = 0;       // proposals taken
  double final_sigma = 0;  // sigma after the adaptations
};

// T_k of the geometric schedule above (k in 0..K-1; T_0 when K = 1).
double anneal_temperature(const AnnealParams& p, long k);
// The Metropolis rule: downhill always, uphill by delta with probability exp(-delta / T).
bool metropolis_accept(double delta, double temperature, double u);

// A function explored by block moves. The evaluator holds the current point:
//   dimension()        P;   num_blocks()  B;   block(b): the coordinates of block b (indices into the point)
//   value()            f at the current point
//   try_move(b, d)     f at the current point plus d[d_b] on block b; the current point is kept
//   accept()           the last tried move becomes the current point
//   point()            the current point [P]
template <class M>
concept BlockMoves = requires(M& m, const M& cm, int b, const Scalar* d) {
  { cm.dimension() } -> std::convertible_to<std::size_t>;
  { cm.num_blocks() } -> std::convertible_to<int>;
  { cm.block(b) } -> std::convertible_to<std::span<const long>>;
  { cm.value() } -> std::convertible_to<double>;
  { m.try_move(b, d) } -> std::convertible_to<double>;
  m.accept();
  { cm.point() } -> std::convertible_to<const Scalar*>;
};

// The plain twin of every block-move evaluator: a move is priced by a full evaluation of f.
template <Objective F>
class FullEvaluationMoves {
 public:
  FullEvaluationMoves(const F& f, const Scalar* x, std::vector<std::vector<long>> blocks)
      : f_(f),
        blocks_(std::move(blocks)),
        current_(x, x + f.dimension()),
        trial_(current_),
        value_(f.evaluate(current_.data(), nullptr)) {}
  std::size_t dimension() const { return current_.size(); }
  int num_blocks() const { return int(blocks_.size()); }
  std::span<const long> block(int b) const { return blocks_[size_t(b)]; }
  double value() const { return value_; }
  double try_move(int b, const Scalar* d) {
    trial_ = current_;
    const std::vector<long>& idx = blocks_[size_t(b)];
    for (size_t i = 0; i < idx.size(); ++i) trial_[size_t(idx[i])] += d[i];
    return trial_value_ = f_.evaluate(trial_.data(), nullptr);
  }
  void accept() { current_.swap(trial_), value_ = trial_value_; }
  const Scalar* point() const { return current_.data(); }

 private:
  const F& f_;
  std::vector<std::vector<long>> blocks_;
  std::vector<Scalar> current_, trial_;  // [P] each
  double value_, trial_value_ = 0;
};

class SimulatedAnnealing {
 public:
  explicit SimulatedAnnealing(const AnnealParams& params);  // checks params

  // K proposals from x[P] (changed in place to the best point seen); f's value only is used.
  template <Objective F>
  AnnealResult minimize(const F& f, Scalar* x);

  // K proposals, each perturbing one block (drawn uniformly) of the evaluator's current point;
  // the same schedule, acceptance and adaptation as minimize(). x[P] receives the best point seen
  // (the starting point when no move improved it).
  template <BlockMoves M>
  AnnealResult minimize_by_blocks(M& moves, Scalar* x);

 private:
  void adapt(long accepted_in_window);  // sigma *= 1.2 or / 1.2

  AnnealParams params_;
  Rng rng_;
  double sigma_;
};

// Every weight at once is the block move whose one block holds all P coordinates.
template <Objective F>
AnnealResult SimulatedAnnealing::minimize(const F& f, Scalar* x) {
  std::vector<long> all(f.dimension());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = long(i);
  FullEvaluationMoves<F> moves(f, x, {std::move(all)});
  return minimize_by_blocks(moves, x);
}

template <BlockMoves M>
AnnealResult SimulatedAnnealing::minimize_by_blocks(M& moves, Scalar* x) {
  const std::size_t n = moves.dimension();
  const int blocks = moves.num_blocks();
  std::copy(moves.point(), moves.point() + n, x);
  std::vector<Scalar> d;  // [d_b]: the proposal's change to its block
  double f_current = moves.value();
  AnnealResult r;
  r.best_loss = f_current;
  long window_accepted = 0;
  for (long k = 0; k < params_.steps; ++k) {
    const double T = anneal_temperature(params_, k);
    const int b = blocks == 1 ? 0 : int(rng_.below(uint64_t(blocks)));
    d.resize(moves.block(b).size());
    for (Scalar& di : d) di = static_cast<Scalar>(sigma_ * rng_.normal());  // sigma z on block b
    const double f_trial = moves.try_move(b, d.data());
    const double u = rng_.uniform();  // drawn every step, so the stream does not depend on f
    if (std::isfinite(f_trial) && metropolis_accept(f_trial - f_current, T, u)) {
      moves.accept();
      f_current = moves.value();
      ++r.accepted;
      ++window_accepted;
      if (f_current < r.best_loss) {
        r.best_loss = f_current;
        std::copy(moves.point(), moves.point() + n, x);
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
