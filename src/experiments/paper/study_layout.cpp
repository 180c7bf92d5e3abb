#include "experiments/paper/study_layout.hpp"

#include <cstdio>

namespace landscape {

std::string StudyLayout::ensemble_dir(const std::string& arch, const std::string& optimizer) const {
  return model_dir(arch) + "/" + optimizer;
}

std::string StudyLayout::runs_file(const std::string& arch, const std::string& optimizer) const {
  return ensemble_dir(arch, optimizer) + "/runs.csv";
}

// "run-007", as training/ensemble.cpp names a run's folder.
std::string StudyLayout::curve_file(const std::string& arch, const std::string& optimizer, size_t run) const {
  char name[32];
  std::snprintf(name, sizeof name, "/run-%03zu/curve.csv", run);
  return ensemble_dir(arch, optimizer) + name;
}

// "lbfgs-train" -> OUT/<arch>/lbfgs/w_train.npy
std::string StudyLayout::set_file(const std::string& arch, const std::string& set) const {
  const size_t dash = set.find('-');
  return ensemble_dir(arch, set.substr(0, dash)) + "/w_" + set.substr(dash + 1) + ".npy";
}

std::string StudyLayout::path_run_name(const std::string& set, const std::string& landscape, bool aligned) {
  return set + "-" + landscape + (aligned ? "-aligned" : "");
}

std::string StudyLayout::path_dir(const std::string& arch, const std::string& set,
                                  const std::string& landscape, bool aligned) const {
  return model_dir(arch) + "/paths/" + path_run_name(set, landscape, aligned);
}

std::string StudyLayout::paths_file(const std::string& arch, const std::string& set,
                                    const std::string& landscape, bool aligned) const {
  return path_dir(arch, set, landscape, aligned) + "/paths.csv";
}

std::string StudyLayout::aligned_file(const std::string& arch, const std::string& set) const {
  return path_dir(arch, set, "train", true) + "/aligned.csv";
}

std::string StudyLayout::shard_name(int index, int count) {
  return "shard-" + std::to_string(index) + "-of-" + std::to_string(count);
}

std::string StudyLayout::shard_dir(const std::string& dir, int index, int count) {
  return dir + "/" + shard_name(index, count);
}

std::string StudyLayout::analysis_dir(const std::string& arch) const { return model_dir(arch) + "/analysis"; }

std::string StudyLayout::stats_file(const std::string& arch) const {
  return analysis_dir(arch) + "/stats.csv";
}

std::string StudyLayout::lengths_file(const std::string& arch) const {
  return analysis_dir(arch) + "/lengths.csv";
}

std::string StudyLayout::kpca_file(const std::string& arch, const std::string& method) const {
  return analysis_dir(arch) + "/kpca_" + method + ".csv";
}

std::string StudyLayout::curvature_file(const std::string& arch) const {
  return analysis_dir(arch) + "/curvature.csv";
}

}  // namespace landscape
