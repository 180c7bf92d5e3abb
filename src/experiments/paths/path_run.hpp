// One path run: the paths between pairs of end points on one landscape, resumable in a run
// directory (docs/algorithms.md §5, pairs and seeds of path runs; §13 for the other methods and
// saddle refinement). `landscape path` and the study's path stage run their pairs through
// run_path_pairs; `landscape compare-paths` finds each of its paths through find_pair_path.
// Every pair's draws (FourierPathFinder's gradient noise, the curves' t) are seeded by
// pair_seed(seed, pair), the one rule everywhere.
//
// Legend: P = landscape dimension.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "experiments/alignment/alignment_run.hpp"
#include "experiments/paths/mini_batches.hpp"
#include "experiments/paths/path_pairs.hpp"
#include "experiments/paths/path_table.hpp"
#include "experiments/support/step_trace.hpp"
#include "landscape/paths/path_method.hpp"
#include "landscape/paths/saddle_refinement.hpp"

namespace landscape {

// End point i [P] (a row of the weights file, or a point of a surface).
using EndPoints = std::function<const Scalar*(int64_t)>;

// How each pair's path is found.
struct PathRunSettings {
  PathMethod method = PathMethod::Fourier;
  PathMethodParams params;  // its own tables (--terms ... --neb-* ... --curve-samples)
  std::uint64_t seed = 1;   // each pair's draws: pair_seed(seed, pair); the problem's --seed
  bool refine = false;      // also descend from the highest point to its saddle (§13)
  RefineParams refine_params;
  // With fourier's --batch B > 0: each pair's mini-batches, drawn from its pair_seed (§5.7).
  // Not a flag: built from the problem's model and data (PathProblem::mini_batches).
  MiniBatchSource mini_batches;
  // --align weight|activation (§14.3): each pair's row j permuted to match row i before its path
  // is found. `aligner` does it (not a flag: built from the problem, align_pair).
  std::optional<AlignMethod> align;
  std::function<AlignedPair(const PathPair&)> aligner;
  // --method, --refine and the refinement's --refine-*.
  static const ParameterTable<PathRunSettings>& table();
};

// `table` and --refine with the refinement's --refine-*, for a settings struct with the
// members refine and refine_params (PathRunSettings, ComparisonSettings).
template <class S>
ParameterTable<S> with_refinement(ParameterTable<S> table) {
  table.field("refine", &S::refine, "descend from the path's highest point to its saddle (climbing image)")
      .include(&S::refine_params, RefineParams::table());
  return table;
}

inline const ParameterTable<PathRunSettings>& PathRunSettings::table() {
  using P = PathRunSettings;
  // clang-format off
  static const auto t = with_refinement(
      ParameterTable<P>()
          .field("method", &P::method, "fourier | neb | bezier | polychain", kPathMethodNames)
          .field("align", &P::align, "weight | activation: permute row j to match row i first (aligned.csv)",
                 kAlignMethodNames));
  // clang-format on
  return t;
}

// The settings of DIR/settings.txt: what the rows of a path run depend on, checked when it
// resumes (docs/algorithms.md §5, §17; §13 for the other methods and --refine). `landscape`
// names the landscape (PathProblem::settings()); then the method and its parameters, the seed
// where the paths draw from it, the refinement's and the alignment. The pair list is not part
// of it: a later run may add pairs. Stochastic steps (--batch B > 0, §5.7) add their batch,
// eval-every and seed lines, so a run with another --batch is refused.
Settings path_run_settings(Settings landscape, const PathRunSettings& settings);

// The path of one pair by `method`, its draws seeded by pair_seed(seed, pair): the noise, the
// curves' t and, with fourier's --batch, the mini-batches from `batches`. An Error from the
// finder gains `label` in front ("pair 3-7: ..."): the finder knows its step, not which pair it
// was given.
FoundPath find_pair_path(const Landscape& f, const EndPoints& ends, const PathPair& pair, PathMethod method,
                         PathMethodParams params, std::uint64_t seed, const std::string& label,
                         const MiniBatchSource& batches = {}, const StepObserver& on_step = {},
                         const PathStepTracer& on_trace = {}, const PathResumption& resume = {});

// --trace only with --method fourier, and TraceParams::check; UsageError naming the flag.
void check_trace(PathMethod method, const TraceParams& trace);

// --batch only with --method fourier and a source of mini-batches; UsageError naming --batch.
void check_mini_batches(const PathRunSettings& settings);

// What a path run writes besides its tables.
// Every pair's files are written before its paths.csv row, so a pair in paths.csv has them all.
struct PathRunFiles {
  bool surface_points = false;  // DIR/points.csv: m,t,x,y,f of the last path (a 2-D surface)
  bool checkpoints = false;     // DIR/checkpoints.csv: the judged iterates (path_table.hpp)
  // --save-path: DIR/path-I-J.npy, the reported path's M points [M, P] (row 0 = w_i), and
  // DIR/coefficients-I-J.npy, the method's own parameters (FoundPath::coefficients; NEB: none).
  bool save_path = false;
  // --trace (docs/algorithms.md §16): DIR/trace-I-J.csv, a row per FourierPathFinder iterate,
  // and with --trace-states DIR/trace-states-I-J.npy [S, NF P] (b^k) and .csv (row, step).
  TraceParams trace;
  // A FourierPathFinder pair keeps its state in DIR after the first step that ends at least this
  // many seconds after it was last kept (or began), and a rerun continues from it
  // (experiments/paths/pair_state.hpp, docs/algorithms.md §5.8). 0: after every step; negative:
  // never. A traced pair keeps none: its trace's rows are not part of the state.
  double keep_state_seconds = 60;
};

// One pair's step trace as run_path_pairs collects it.
struct PairTrace {
  StepTrace rows;
  TraceStates states;
};

// The trace of a FourierPathFinder run with `params` (its columns; docs/algorithms.md §16):
// a row per iterate and, where `trace` asks, its b. The mini-batch seed column with --batch.
PairTrace make_pair_trace(const PathParams& params);
PathStepTracer pair_tracer(PairTrace& trace, const TraceParams& params, const PathParams& path, std::size_t P,
                           std::uint64_t batch_seed);

// The directory of a path run: its tables (path_table.hpp) and the files `files` asks for.
// Holds the directory's lock while it lives.
class PathRun {
 public:
  PathRun(const std::string& dir, const Settings& settings, PathRunFiles files = {});

  const RunDirectory& directory() const { return table_.directory(); }
  bool has(const PathPair& pair) const { return table_.has(pair); }
  const PathRunFiles& files() const { return files_; }
  // The pair's rows, paths.csv last (a pair there is complete); saddle: with --refine; trace:
  // with files().trace.trace.
  void record(const PathPair& pair, const FoundPath& path, const RefinedSaddle* saddle,
              const AlignedPair* aligned = nullptr, const PairTrace* trace = nullptr);

 private:
  void save_path(const PathPair& pair, const FoundPath& path) const;
  void save_trace(const PathPair& pair, const PairTrace& trace) const;

  PathTable table_;
  RefinedTable refined_;
  AlignedTable aligned_;
  std::optional<CheckpointTable> checkpoints_;
  PathRunFiles files_;
};

// What run_path_pairs reports after each pair it computed.
struct PairDone {
  const PathPair& pair;
  const FoundPath& path;
  const RefinedSaddle* saddle;  // with refine, else nullptr
  const AlignedPair* aligned;   // with align, else nullptr
  std::size_t position, total;  // the pair is pairs[position - 1] of `total`
  std::size_t computed, todo;   // computed so far (this one included) of the `todo` missing
  double seconds, elapsed;      // this pair's, and the run's so far
};

// What run_path_pairs reports after each FourierPathFinder step inside a pair (the other
// methods report none): a full-batch pair at the paper's scale is an hour or more.
struct PairStep {
  const PathPair& pair;
  int step, steps;              // the pair's steps taken, of `steps`
  std::size_t position, total;  // the pair is pairs[position - 1] of `total`
  std::size_t computed, todo;   // pairs computed before this one, of the `todo` missing
  double seconds, elapsed;      // this pair's so far, and the run's so far
  // Seconds to the run's end: this pair's steps at its pace so far, the pairs after it at the
  // mean time of those computed (at this pair's pace while none is).
  double seconds_left() const;
};

struct PathRunCount {
  std::size_t computed = 0, skipped = 0;  // skipped: already in the run's tables
};

// Finds the path of every pair that `run` lacks, refines it if asked, records it, and tells
// `done` (and `on_step` after each of its steps). A FourierPathFinder pair continues from the
// state it kept in the run's directory, if it has one (PathRunFiles::keep_state_seconds). Errors name `where` and the pair ("fcp
// sgd-train paths on the train landscape, pair 3-7: ...").
PathRunCount run_path_pairs(const Landscape& f, const EndPoints& ends, const std::vector<PathPair>& pairs,
                            const PathRunSettings& settings, PathRun& run, const std::string& where,
                            const std::function<void(const PairDone&)>& done,
                            const std::function<void(const PairStep&)>& on_step = {});

// A warning on stderr naming the pair when a --refine did not reach its tolerance.
void warn_if_unconverged(const std::string& label, const RefinedSaddle& s);

// On a 2-D test surface the step sizes --lr sets default to 0.01, not the models' 1e-3
// (docs/algorithms.md §13): the coordinates of fig3 and Mueller-Brown are of order 1, and at
// 1e-3 neither the paths nor 200 refinement steps reach their saddles.
inline constexpr double kSurfaceLearningRate = 0.01;
void use_surface_learning_rate(PathMethodParams& methods, RefineParams& refine);

}  // namespace landscape
