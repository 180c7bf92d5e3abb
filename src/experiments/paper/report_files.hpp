// What the report of a study reads and writes (docs/algorithms.md §8). The report is a stage of
// its own, so the earlier stages' results are not in memory: it reads their CSV files
// (study_layout.hpp says where), every cell by its column's name, and writes its own tables,
// each declared once by its columns (report.hpp lists them).
#pragma once

#include <string>
#include <vector>

#include "core/statistics.hpp"
#include "experiments/paper/study_layout.hpp"
#include "experiments/support/preset.hpp"
#include "io/csv.hpp"

namespace landscape {

// The kept runs of one ensemble: Table I and the run-to-run spread.
struct EnsembleLosses {
  std::string arch, optimizer;  // optimizer: lbfgs | sgd
  size_t n_params = 0;
  size_t runs = 0;            // all runs; train.n of them kept
  SampleSummary train, test;  // per kept run the minimum over epochs (w_train, w_test)
  bool lbfgs() const { return optimizer == "lbfgs"; }
  std::string optimizer_title() const { return lbfgs() ? "L-BFGS-GSS" : "SGD"; }
};

// One pair of barriers.csv, its cells as paths.csv holds them.
struct BarrierPair {
  std::string arch, set, landscape, i, j, h_linear, h;
};

// The FourierPathFinder heights of one set on one landscape.
struct BarrierSet {
  std::string arch, set, landscape;
  std::vector<BarrierPair> pairs;
  std::vector<double> H_linear, H;  // [pairs]
};

// One pair of a set's aligned run (§14.6) beside the same pair's plain run on the training
// landscape: alignment.csv, its cells as the runs wrote them.
struct AlignedBarrier {
  std::string arch, set, i, j, distance_before, distance_after, H_linear_before, H_linear_after, H_before,
      H_after, H_excess_before, H_excess_after;
};

// One row of Table S1 (the analysis stage's stats.csv), its cells as written there.
struct WeightSetRow {
  std::string arch, set, mean, std, centroid_norm;
  double mean_value = 0, std_value = 0, centroid_value = 0;
};

// What the report's tables are made of.
struct ReportInputs {
  std::vector<EnsembleLosses> ensembles;  // arch outer, lbfgs then sgd
  std::vector<BarrierSet> barriers;       // arch outer, then landscape, then set
  std::vector<WeightSetRow> weight_sets;  // arch outer
  std::vector<AlignedBarrier> aligned;    // arch outer; empty without `align`
};

ReportInputs read_report_inputs(const StudyLayout& layout, const Preset& preset);

// The report's tables that the findings read back (findings.hpp), in OUT/report/.
inline constexpr const char* kTable1File = "table1.csv";
inline constexpr const char* kBarriersFile = "barriers.csv";
inline constexpr const char* kAlignmentFile = "alignment.csv";

// table1.csv, spread.csv, barriers.csv, table_s1.csv and (with `align`) alignment.csv.
void write_report_tables(const StudyLayout& layout, const ReportInputs& in);

// One epoch of a run's curve.csv (Figure 2), its cells as written there.
struct CurvePoint {
  std::string epoch, train_loss, test_loss;
};
// The curves of every run of one ensemble.
struct EnsembleCurves {
  std::string optimizer;                      // lbfgs | sgd
  std::vector<std::vector<CurvePoint>> runs;  // [runs][epochs]
  bool lbfgs() const { return optimizer == "lbfgs"; }
};
// The ensembles of `arch` among `ensembles`, in their order.
std::vector<EnsembleCurves> read_training_curves(const StudyLayout& layout, const std::string& arch,
                                                 const std::vector<EnsembleLosses>& ensembles);

// One column's values per weight set, sets in the order the file lists them.
struct SetValues {
  std::string set;
  std::vector<double> values;
};
// Figure 5: the distance of every vector to the common origin (lengths.csv).
std::vector<SetValues> read_distances(const StudyLayout& layout, const std::string& arch);

// Figure 6: the first two components of one set's vectors, as kpca_<method>.csv holds them.
struct ProjectedSet {
  std::string method, set;            // rbf | linear; lbfgs-train | sgd-test
  std::vector<std::string> pc1, pc2;  // [vectors]
};
// Both methods' L-BFGS-train and SGD-test vectors, a method left out whose file is missing.
std::vector<ProjectedSet> read_projections(const StudyLayout& layout, const std::string& arch);

// The paths.csv of every set on the training landscape that holds a pair (the connectivity map).
struct TrainingPaths {
  std::vector<std::string> files, sets;
};
TrainingPaths find_training_paths(const StudyLayout& layout, const std::string& arch);

// Per set, the columns of curvature.csv (§10.10) the report shows; none without the file.
struct SetCurvature {
  std::string set;
  std::vector<double> loss, hessian_lambda_max, ggn_lambda_max, hessian_trace, adaptive_sharpness;
};
std::vector<SetCurvature> read_set_curvature(const StudyLayout& layout, const std::string& arch);

}  // namespace landscape
