// Step traces (`--trace` on train, path and hessian; docs/algorithms.md §16): what an iterative
// algorithm did at each step, one CSV row per step, first column `step`, then one named column
// per quantity, every number with 17 significant digits (enough to give a double back bit for
// bit), so another implementation can be compared with ours step by step (`compare-trace`,
// trace_comparison.hpp). With --trace-states the full vector of every K-th step is saved too.
// A trace only watches: nothing a traced run writes besides its trace files differs from an
// untraced run's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/scalar.hpp"

namespace landscape {

// Flags --trace, --trace-states, --trace-every (never part of a run's settings: they change no
// result, so a traced rerun resumes an untraced directory and the other way round).
struct TraceParams {
  bool trace = false;   // write the trace CSV
  bool states = false;  // also the vector (weights or b) at step 0, every K-th step and the last
  int every = 1;        // K
  static const ParameterTable<TraceParams>& table();
  void check() const;  // --trace-states and --trace-every need --trace; UsageError naming them
  // Whether the state of `step` (of 0..last) is saved.
  bool state_at(long step, long last) const { return states && (step % every == 0 || step == last); }
};

inline const ParameterTable<TraceParams>& TraceParams::table() {
  using P = TraceParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("trace", &P::trace, "write a step trace: one CSV row per step (docs/algorithms.md §16)")
      .field("trace-states", &P::states, "with --trace: also save the vector at every --trace-every-th step (.npy)")
      .field("trace-every", &P::every, "K of --trace-states: step 0, every K-th and the last").range(1, 1000000000);
  // clang-format on
  return t;
}

// The rows of one trace, kept in memory until the run or pair is done (a few numbers per step).
class StepTrace {
 public:
  // The columns without `step` (it comes first): `numbers` then `integers`, whose cells are
  // whole numbers written exactly (a 64-bit seed does not fit a double's 53 bits).
  explicit StepTrace(std::vector<std::string> numbers, std::vector<std::string> integers = {});
  // One row: its step, one value per number column and per integer column; Error when a count
  // differs.
  void add(long step, const std::vector<double>& numbers, const std::vector<std::uint64_t>& integers = {});
  std::size_t size() const { return lines_.size(); }
  // The CSV: "step,<columns>\n" and a line per row, numbers as printf's %.17g (nan, inf, -inf).
  std::string text() const;

 private:
  std::size_t numbers_ = 0, integers_ = 0;
  std::string header_;
  std::vector<std::string> lines_;  // each row formatted as it is added
};

// The states of a trace as they are saved: the vectors stacked as rows of one .npy [S, n] and
// beside it a CSV "row,step" naming each row's step (as train --snapshots does).
struct TraceStates {
  std::vector<long> steps;
  std::vector<Scalar> rows;  // [S, n]
  void add(long step, const Scalar* x, std::size_t n) {
    steps.push_back(step);
    rows.insert(rows.end(), x, x + n);
  }
  bool empty() const { return steps.empty(); }
  std::string steps_csv() const;  // "row,step\n0,0\n1,10\n..."
};

}  // namespace landscape
