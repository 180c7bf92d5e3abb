// Where every folder and file of a paper study lives under OUT (study.hpp tells what each stage
// puts there), spelled once here so that the stages that write a file and the report and the
// findings that read it cannot disagree. The tree on disk is that of every study run so far
// (docs/results/*/study): a change here is a change of format.
//
//   OUT/preset.conf                                   preset_file()
//   OUT/<arch>/                                       model_dir(arch)
//   OUT/<arch>/<sgd|lbfgs>/                           ensemble_dir(arch, optimizer)
//   OUT/<arch>/<sgd|lbfgs>/runs.csv                   runs_file(arch, optimizer)
//   OUT/<arch>/<sgd|lbfgs>/run-RRR/curve.csv          curve_file(arch, optimizer, run)
//   OUT/<arch>/<sgd|lbfgs>/w_<train|test>.npy         set_file(arch, set): a weight set's stack
//   OUT/<arch>/paths/<set>-<landscape>[-aligned]/     path_dir(arch, set, landscape, aligned)
//                         paths.csv, aligned.csv      paths_file(...), aligned_file(arch, set)
//                         shard-I-of-N/               shard_dir(dir, I, N): one shard's pairs
//   OUT/<arch>/analysis/                              analysis_dir(arch)
//                         stats.csv, lengths.csv      stats_file(arch), lengths_file(arch)
//                         kpca_<rbf|linear>.csv       kpca_file(arch, method)
//                         curvature.csv               curvature_file(arch)
//   OUT/report/                                       report_dir(); its tables and figures
//                                                     report_file(name)
//   OUT/report/connectivity_<arch>/                   connectivity_name(arch), below report_dir()
//
// A weight set is named <optimizer>-<snapshot> ("lbfgs-train": the L-BFGS-GSS ensemble's w_train
// stack, study.hpp's kWeightSets); a landscape is the loss on the training or the test images.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

namespace landscape {

class StudyLayout {
 public:
  explicit StudyLayout(std::string out) : out_(std::move(out)) {}

  const std::string& root() const { return out_; }
  std::string preset_file() const { return out_ + "/preset.conf"; }

  std::string model_dir(const std::string& arch) const { return out_ + "/" + arch; }

  // Ensembles (training/ensemble.hpp writes what is inside); optimizer: sgd | lbfgs.
  std::string ensemble_dir(const std::string& arch, const std::string& optimizer) const;
  std::string runs_file(const std::string& arch, const std::string& optimizer) const;
  std::string curve_file(const std::string& arch, const std::string& optimizer, size_t run) const;
  std::string set_file(const std::string& arch, const std::string& set) const;

  // Path runs (paths/path_run.hpp writes what is inside); landscape: train | test.
  static std::string path_run_name(const std::string& set, const std::string& landscape, bool aligned);
  std::string path_dir(const std::string& arch, const std::string& set, const std::string& landscape,
                       bool aligned = false) const;
  std::string paths_file(const std::string& arch, const std::string& set, const std::string& landscape,
                         bool aligned = false) const;
  // aligned.csv of a set's aligned run on the training landscape (§14.6).
  std::string aligned_file(const std::string& arch, const std::string& set) const;
  static std::string shard_name(int index, int count);  // "shard-I-of-N"
  static std::string shard_dir(const std::string& dir, int index, int count);

  // The analysis stage (weight_set_analysis.hpp, set_curvature.hpp); method: rbf | linear.
  std::string analysis_dir(const std::string& arch) const;
  std::string stats_file(const std::string& arch) const;
  std::string lengths_file(const std::string& arch) const;
  std::string kpca_file(const std::string& arch, const std::string& method) const;
  std::string curvature_file(const std::string& arch) const;

  // The report (report.hpp): its tables and figures lie in report_dir() itself.
  std::string report_dir() const { return out_ + "/report"; }
  std::string report_file(const std::string& name) const { return report_dir() + "/" + name; }
  static std::string connectivity_name(const std::string& arch) { return "connectivity_" + arch; }

 private:
  std::string out_;
};

}  // namespace landscape
