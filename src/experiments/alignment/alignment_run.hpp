// `landscape align` (docs/algorithms.md §14): for each pair (i, j) of rows of a weights file,
// row j permuted to match row i by weight or activation matching (landscape/alignment/), with
// the distance between them and the straight line's barrier before and after.
//
//   DIR/aligned.npy   one row per pair, in the order of --pairs: row j permuted to match row i
//   DIR/align.csv     i,j,distance_before,distance_after,H_linear_before,H_linear_after
//
// H_linear is the highest loss at --points evenly spaced points of the straight line from row i
// to row j (both ends included), on the landscape of --split and --images.
#pragma once

#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/settings_text.hpp"
#include "experiments/paths/path_problem.hpp"
#include "landscape/model_landscape.hpp"
#include "models/permutation_symmetry.hpp"

namespace landscape {

enum class AlignMethod { Weight, Activation };
inline constexpr EnumName<AlignMethod> kAlignMethodNames[] = {{AlignMethod::Weight, "weight"},
                                                              {AlignMethod::Activation, "activation"}};

struct AlignParams {
  AlignMethod method = AlignMethod::Weight;
  int points = 25;             // of the straight line, for H_linear
  int matching_images = 1000;  // activation matching: its first N examples of the landscape's
  static const ParameterTable<AlignParams>& table();
};

inline const ParameterTable<AlignParams>& AlignParams::table() {
  using P = AlignParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("method", &P::method, "weight | activation: what the permutation matches", kAlignMethodNames)
      .field("points", &P::points, "points of the straight line for H_linear, both ends included").range(2, 100000)
      .field("matching-images", &P::matching_images, "activation matching: on the first N examples").range(1, 1 << 30);
  // clang-format on
  return t;
}

// The settings lines of an alignment (a path run's, the study's paths'): align = METHOD and, for
// weight matching, the search it runs (docs/algorithms.md §14.1). A directory aligned by the
// search before the layer-order start has no such line and is refused, not resumed with rows of
// two searches side by side.
inline constexpr const char* kWeightMatchingSearch = "identity+layer-order";
inline void add_alignment_settings(Settings& s, AlignMethod method) {
  s.add("align", enum_name(kAlignMethodNames, method));
  if (method == AlignMethod::Weight) s.add("weight_matching", kWeightMatchingSearch);
}

struct AlignedPair {
  PathPair pair;
  Permutations perms;
  std::vector<Scalar> aligned;  // row j permuted
  double distance_before = 0, distance_after = 0, H_linear_before = 0, H_linear_after = 0;
  double H_excess_before = 0, H_excess_after = 0;  // the straight lines' excess barriers (§14.4)
  // <A, B> and <A, pi(B)>: what weight matching maximises (landscape/alignment/weight_matching.hpp)
  double objective_before = 0, objective_after = 0;
};

// Row j of the pair aligned to row i (the problem must be a model's).
AlignedPair align_pair(const PathProblem& problem, const PathPair& pair, const AlignParams& params);

// The same on a model's landscape, the pair's rows given: A is row i, B row j. Weight matching's
// random layer order is seeded by pair_seed(seed, pair), as `path --align` seeds it.
AlignedPair align_pair(const ModelLandscape& f, const PathPair& pair, const Scalar* A, const Scalar* B,
                       std::uint64_t seed, const AlignParams& params);

// At `points` evenly spaced points of the straight line from a to b: the highest loss H and the
// excess barrier H_excess, its highest rise above the blend of the end losses (§14.4).
struct StraightLine {
  double H = 0, H_excess = 0;
};
StraightLine straight_line_barrier(const Landscape& f, const Scalar* a, const Scalar* b, int points);

// Every pair of the problem, then aligned.npy and align.csv in dir (written once, atomically).
std::vector<AlignedPair> run_alignment(const PathProblem& problem, const AlignParams& params,
                                       const std::string& dir);

}  // namespace landscape
