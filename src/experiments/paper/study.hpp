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
// (study_layout.hpp spells every one of these paths.)
//
// Stages: train, paths, analysis, report (all = in order). Every stage is resumable (finished
// runs and pairs are skipped) and splits by --shard i/n; `landscape collect OUT` merges shards.
#pragma once

#include <string>

#include "experiments/support/study_options.hpp"  // StudyOptions, Stage
#include "io/run_directory.hpp"

namespace landscape {

// The four weight sets of the paper, in the order tables list them.
inline constexpr const char* kWeightSets[] = {"lbfgs-train", "lbfgs-test", "sgd-train", "sgd-test"};

// The stages of options.stage in OUT (held by run_in_study_directory, support/study_directory.hpp).
void run_paper_study(const StudyOptions& options, const RunDirectory& out);

// Merges the shards of every stage found in OUT (ensembles' runs.csv and stacks, path tables).
void collect_study(const std::string& out, const std::string& data_dir);

}  // namespace landscape
