// The study end to end (docs/algorithms.md §3-§8): for each model, SGD and L-BFGS-GSS
// ensembles, the four weight sets w_train / w_test x SGD / L-BFGS, FourierPathFinder barrier
// heights for random pairs within each set, weight statistics and kernel PCA, then the report.
//
//   OUT/preset.conf                         the preset as run (a rerun must match it; OUT is a
//                                           RunDirectory, io/run_directory.hpp, one lock per shard)
//   OUT/<arch>/{sgd,lbfgs}/                 ensembles (training/ensemble.hpp)
//   OUT/<arch>/paths/<set>-<landscape>/     paths.csv, profiles.csv (paths/path_run.hpp)
//   OUT/<arch>/paths/<set>-train-aligned/   with the preset key `align`: the same pairs, row j
//                                           permuted to match row i first (§14.6; aligned.csv)
//   OUT/<arch>/analysis/                    stats.csv, lengths.csv, kpca_{rbf,linear}.csv; with
//                                           curvature_images, curvature.csv (set_curvature.hpp)
//   OUT/report/                             index.html, report.md, tables, figures
//   OUT/manifest.json                       versions, threads, seeds, wall time per stage
//
// Stages: train, paths, analysis, report (all = in order). Every stage is resumable (finished
// runs and pairs are skipped) and splits by --shard i/n; `landscape collect OUT` merges shards.
#pragma once

#include <string>

#include "core/parameter_table.hpp"
#include "experiments/support/preset.hpp"
#include "io/data_directory.hpp"

namespace landscape {

enum class Stage { All, Train, Paths, Analysis, Report };
inline constexpr EnumName<Stage> kStageNames[] = {{Stage::All, "all"},
                                                  {Stage::Train, "train"},
                                                  {Stage::Paths, "paths"},
                                                  {Stage::Analysis, "analysis"},
                                                  {Stage::Report, "report"}};
inline std::string to_string(Stage s) { return enum_name(kStageNames, s); }

// Flags of `landscape reproduce` besides the preset and the shard: table() below.
struct StudyOptions {
  Preset preset;
  std::string preset_text;  // written to OUT/preset.conf
  std::string out = "out/study";
  Stage stage = Stage::All;
  int shard_index = 0, shard_count = 1;
  std::string data_dir;
  std::string command_line;
  static const ParameterTable<StudyOptions>& table();
};

inline const ParameterTable<StudyOptions>& StudyOptions::table() {
  using P = StudyOptions;
  // A parameter table, a row per flag: laid out by hand.
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("out", &P::out, "output directory")
      .field("stage", &P::stage, "all | train | paths | analysis | report", kStageNames)
      .field("data", &P::data_dir, kDataDirHelp);
  // clang-format on
  return t;
}

// The four weight sets of the paper, in the order tables list them.
inline constexpr const char* kWeightSets[] = {"lbfgs-train", "lbfgs-test", "sgd-train", "sgd-test"};

void run_study(const StudyOptions& options);

// Merges the shards of every stage found in OUT (ensembles' runs.csv and stacks, path tables).
void collect_study(const std::string& out, const std::string& data_dir);

}  // namespace landscape
