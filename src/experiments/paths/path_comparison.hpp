// `landscape compare-paths` (docs/algorithms.md §13): every path method
// (landscape/paths/path_method.hpp) on the same pairs
// with the same number of loss+gradient evaluations, counted by a wrapper of the landscape
// (landscape/counting_landscape.hpp), not by the methods' own bookkeeping.
//
// For a budget B and L levels each method runs afresh at B/2^(L-1), ..., B/2, B gradient
// evaluations (its schedule, AutoNEB's cycles and the curves' steps, fitted to each budget),
// which gives H against evaluations spent. Each row reports
//   H        the method's own height: the highest of its points
//   H_check  the highest of its points and the midpoints of its segments (loss only, not
//            counted): a barrier the method's points stepped over shows here
// and, with --refine, the barrier its highest point descends to (saddle_refinement.hpp; its
// evaluations are not counted either).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "experiments/paths/path_pairs.hpp"
#include "experiments/paths/path_run.hpp"
#include "io/run_directory.hpp"
#include "landscape/paths/path_method.hpp"
#include "landscape/paths/saddle_refinement.hpp"

namespace landscape {

struct ComparisonSettings {
  std::vector<PathMethod> methods = {PathMethod::Fourier, PathMethod::Neb, PathMethod::Bezier,
                                     PathMethod::PolyChain};
  long budget = 0;  // B: gradient evaluations at the last level; none given is refused
  int levels = 4;   // L
  bool refine = false;
  RefineParams refine_params;
  // --methods --budget --levels --refine and the refinement's --refine-*.
  static const ParameterTable<ComparisonSettings>& table();
  void check() const { table().check(*this); }  // UsageError naming the flag
};

inline const ParameterTable<ComparisonSettings>& ComparisonSettings::table() {
  using P = ComparisonSettings;
  // clang-format off
  static const auto t = with_refinement(
      ParameterTable<P>()
          .field("methods", &P::methods, "the methods compared", kPathMethodNames)
          .field("budget", &P::budget,
                 "loss+gradient evaluations per method and pair at the last level")
          .range(1, double(1LL << 40))
          .field("levels", &P::levels, "budgets B/2^(L-1) .. B/2, B")
          .range(1, 30));
  // clang-format on
  return t;
}

struct ComparisonRow {
  PathPair pair;
  PathMethod method = PathMethod::Fourier;
  long budget = 0;                // gradient evaluations allowed
  long gradient_evaluations = 0;  // spent, as counted by the wrapper
  long loss_evaluations = 0;      // loss-only evaluations (measuring the path included)
  double H_linear = 0, H = 0, H_check = 0, length = 0;
  int points = 0;                           // points of the reported path
  double H_refined = 0, gradient_norm = 0;  // with --refine (else NaN)
  double seconds = 0;
};

// The highest of the path's points and of its segments' midpoints (K - 1 loss evaluations).
double checked_height(const Landscape& f, const FoundPath& path);

// Runs the comparison between the end points `ends`, each pair's draws seeded by
// pair_seed(seed, pair) as in every path run (path_run.hpp); `progress(line)` is told after
// each run.
std::vector<ComparisonRow> compare_paths(const Landscape& f, const std::vector<PathPair>& pairs,
                                         const EndPoints& ends, std::uint64_t seed,
                                         const PathMethodParams& params, const ComparisonSettings& settings,
                                         const std::function<void(const std::string&)>& progress);

// DIR/compare.csv (one row per pair, method and level) and DIR/compare.png/.svg with its data
// and script (H against gradient evaluations spent; false when gnuplot did not draw it).
inline constexpr const char* kComparisonHeader =
    "i,j,method,budget,gradient_evaluations,loss_evaluations,points,H_linear,H,H_check,length,"
    "H_refined,gradient_norm,seconds";
void write_comparison_table(const RunDirectory& dir, const std::vector<ComparisonRow>& rows);
bool draw_comparison(const RunDirectory& dir, const std::vector<ComparisonRow>& rows,
                     const std::string& title);

}  // namespace landscape
