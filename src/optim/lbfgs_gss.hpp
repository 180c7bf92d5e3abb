// L-BFGS-GSS: limited-memory BFGS with a golden-section line search, as the published code of
// Yu & Morozov runs it (docs/algorithms.md §4; the golden trajectory depends on each detail).
// One iteration, full batch:
//   1. f, g = loss and gradient at w                       (one evaluation with gradient)
//   2. from the second iteration on, append (s, y) = (last step, g - g_prev); keep the newest m
//   3. r ~ H^-1 g by the two-loop recursion, rho_i = 1 / (y_i.s_i + 1e-6) (the published 1e-6),
//      H0 = gamma I with gamma = s.y / y.y of the newest pair (1 without pairs); the cosine
//      c_i = y_i.s_i / (|y_i||s_i|) of every pair is recorded on the way
//   4. reset (r = g, history cleared, warning on stderr) if r has a NaN, some c_i < 1e-4, or
//      some |y_i||s_i| = 0
//   5. line search along the unit direction d = -r/|r| over distances u, first trial 0.2|r|
//      (golden_section_line_search.hpp; loss-only evaluations)
//   6. w <- w + u d, s = u d; the iteration reports the line search's loss at the accepted u
//
// Legend: P = number of parameters, m = history length (pairs kept).
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/scalar.hpp"
#include "optim/golden_section_line_search.hpp"
#include "optim/objective.hpp"

namespace landscape {

// Flags --history, --budget, --tol: table() below (docs/algorithms.md §4).
struct LbfgsGssParams {
  int history = 10;         // m, the (s, y) pairs kept (§4.2)
  int budget = 6;           // loss evaluations per line search (§4.5)
  double tol = 1e-4;        // on |b - a| and on |f_a - f_b| (§4.5)
  double first_step = 0.2;  // first trial distance = first_step * |r| (§4.5; not a flag)
  static const ParameterTable<LbfgsGssParams>& table();
  // Throws UsageError naming the flag: the table's bounds (budget >= 2: with 1 the published
  // expansion never meets its budget check), first_step > 0 and finite.
  void check() const;
};

inline const ParameterTable<LbfgsGssParams>& LbfgsGssParams::table() {
  using P = LbfgsGssParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("history", &P::history, "L-BFGS history m").range(1, 1000000)
      .field("budget", &P::budget, "L-BFGS-GSS loss evaluations per line search").range(2, 1000000)
      .field("tol", &P::tol, "L-BFGS-GSS line-search tolerance").above(0);
  // clang-format on
  return t;
}

inline constexpr double kRhoShift = 1e-6;   // rho_i = 1 / (y_i.s_i + 1e-6), published
inline constexpr double kMinCosine = 1e-4;  // reset when some c_i < 1e-4, published

// Why the two-loop direction was thrown away (docs/algorithms.md §4.4); several may hold at once.
struct ResetCause {
  bool nan_direction = false;     // r has a NaN
  bool small_cosine = false;      // some c_i < 1e-4 (a NaN c_i does not count, as published)
  bool zero_denominator = false;  // some |y_i||s_i| = 0
  bool any() const { return nan_direction || small_cosine || zero_denominator; }
  std::string describe() const;  // "NaN in the direction; cosine below 1e-4"
};

struct IterationReport {
  double loss_start = 0;      // f at w at the start of the iteration (step 1)
  double loss = 0;            // loss at the accepted point, the line search's value (step 6)
  double step = 0;            // u: the distance moved along the unit direction d
  double direction_norm = 0;  // |r|, after a reset |g|
  int pairs = 0;              // (s, y) pairs the two-loop recursion used
  int evaluations = 0;        // 1 (loss and gradient) + the line search's loss-only ones
  bool reset = false;         // the direction was replaced by g and the history cleared
  ResetCause cause;
  LineSearchStatus line_search = LineSearchStatus::NoDirection;
  // What a step trace records besides (docs/algorithms.md §16); none of it steers the run.
  double gradient_norm = 0;             // |g| at w (step 1)
  double gamma = 1;                     // H0 = gamma I of step 3 (1 without pairs), before any reset
  double cosine_min = 0;                // the smallest c_i of step 3's pairs (NaN without pairs)
  double cosine_newest = 0;             // c_i of the newest pair (NaN without pairs)
  double bracket_a = 0, bracket_b = 0;  // the line search's bracket when it stopped
};

class LbfgsGss {
 public:
  LbfgsGss(std::size_t size, const LbfgsGssParams& params);  // P = size, empty history

  // One iteration (steps 1-6 above): moves x[P] in place to the accepted point.
  template <Objective F>
  IterationReport iterate(const F& f, Scalar* x);

  // `iterations` iterations from x[P] (changed in place); returns the last reported loss.
  template <Objective F>
  double minimize(const F& f, Scalar* x, int iterations);

  int resets() const { return resets_; }
  long iterations() const { return iterations_; }
  int pairs() const { return count_; }
  const LbfgsGssParams& params() const { return params_; }
  void restart();  // forget everything: history, last step, counters (a fresh run)

  // The steps, public so tests can check them one by one.
  // Appends the pair (s[P], y[P]) as the newest, dropping the oldest beyond m.
  void add_pair(const Scalar* s, const Scalar* y);
  // r[P] = two-loop approximation of H^-1 g[P] from the stored pairs (step 3); returns what
  // step 4 would reset for. Changes nothing stored.
  ResetCause two_loop(const Scalar* g, Scalar* r) const;
  void clear_history() { first_ = 0, count_ = 0; }

 private:
  struct Pair {
    std::vector<Scalar> s, y;  // [P] each
    double sy = 0;             // s.y
    double yy = 0;             // y.y (gamma = sy / yy for the newest pair)
    double rho = 0;            // 1 / (s.y + 1e-6)
    double norm_product = 0;   // |y| |s|
    double cosine = 0;         // s.y / (|y| |s|), meaningful when norm_product != 0
  };
  const Pair& pair(int i) const { return slots_[(first_ + i) % slots_.size()]; }  // 0 = oldest
  Pair& next_slot();                              // the slot the newest pair goes into
  void finish_pair(Pair& p);                      // the dot products of a filled slot
  void record_pair();                             // step 2: (s_, g_ - g_prev_)
  void reset_direction(const ResetCause& cause);  // step 4
  // |g|, gamma and the pairs' cosines into `report`, from the history step 3 used.
  void describe_history(IterationReport& report) const;
  double unit_direction();  // d_ = -r_ / |r_| (0 if |r_| is 0 or not finite)
  void point_at(const Scalar* x, double u, Scalar* out) const;  // out = x + u d_
  void take_step(Scalar* x, double u);                          // step 6

  LbfgsGssParams params_;
  std::size_t size_;
  std::vector<Pair> slots_;  // m slots, a ring: oldest at first_, count_ of them in use
  int first_ = 0, count_ = 0;
  std::vector<Scalar> g_, g_prev_;  // [P] gradient now and at the previous iteration
  std::vector<Scalar> s_;           // [P] the last step taken, u d
  std::vector<Scalar> r_, d_;       // [P] two-loop direction r and unit search direction d
  std::vector<Scalar> trial_;       // [P] w + u d for the line search
  bool has_step_ = false;
  int resets_ = 0;
  long iterations_ = 0;
};

template <Objective F>
IterationReport LbfgsGss::iterate(const F& f, Scalar* x) {
  IterationReport report;
  report.loss_start = f.evaluate(x, g_.data());  // 1. f and g at w
  if (has_step_) record_pair();                  // 2. (s, y) of the last step
  report.pairs = count_;
  report.cause = two_loop(g_.data(), r_.data());  // 3. r ~ H^-1 g
  describe_history(report);                       //    (gamma, cosines, |g|: the trace's)
  report.reset = report.cause.any();
  if (report.reset) reset_direction(report.cause);  // 4. r = g, history cleared
  report.direction_norm = unit_direction();         // 5. d = -r/|r|, then the line search
  const double norm = report.direction_norm;
  LineSearchResult ls;
  if (norm > 0 && norm < std::numeric_limits<double>::infinity()) {
    auto phi = [&](double u) {  // loss only, at w + u d
      point_at(x, u, trial_.data());
      return static_cast<double>(f.evaluate(trial_.data(), nullptr));
    };
    ls = golden_section_line_search(phi, report.loss_start, params_.first_step * norm, params_.budget,
                                    params_.tol);
  } else {
    // |r| = 0 or not finite: the published code would divide by |r| and carry NaN weights on;
    // we stay put instead (d_ is zero then, so the step below is 0).
    ls = LineSearchResult{0.0, report.loss_start, 0, LineSearchStatus::NoDirection};
  }
  take_step(x, ls.u);  // 6. w <- w + u d, s = u d
  report.loss = ls.loss;
  report.step = ls.u;
  report.evaluations = 1 + ls.evaluations;
  report.line_search = ls.status;
  report.bracket_a = ls.bracket_a;
  report.bracket_b = ls.bracket_b;
  ++iterations_;
  return report;
}

template <Objective F>
double LbfgsGss::minimize(const F& f, Scalar* x, int iterations) {
  double loss = std::numeric_limits<double>::quiet_NaN();
  for (int k = 0; k < iterations; ++k) loss = iterate(f, x).loss;
  return loss;
}

}  // namespace landscape
