#include "experiments/paper/report_files.hpp"

#include <filesystem>
#include <map>
#include <utility>

#include "experiments/paper/study.hpp"  // kWeightSets
#include "experiments/support/report_document.hpp"
#include "experiments/support/table_columns.hpp"
#include "models/model.hpp"

namespace landscape {

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// What the report reads.

EnsembleLosses read_ensemble(const StudyLayout& layout, const Preset& preset, const std::string& arch,
                             const std::string& opt) {
  const CsvTable runs = read_csv(layout.runs_file(arch, opt));
  std::vector<double> train, test;
  for (size_t r = 0; r < runs.rows.size(); ++r)
    if (runs.text(r, "kept") == "1") {
      train.push_back(runs.number(r, "min_train_loss"));
      test.push_back(runs.number(r, "min_test_loss"));
    }
  return {arch,
          opt,
          make_model(preset.model_spec(arch))->num_params(),
          runs.rows.size(),
          summarize(train),
          summarize(test)};
}

// The sets of one architecture whose paths.csv exists: landscape outer, set inner.
std::vector<BarrierSet> read_barrier_sets(const StudyLayout& layout, const std::string& arch) {
  std::vector<BarrierSet> sets;
  for (const std::string land : {"train", "test"})
    for (const char* set : kWeightSets) {
      const std::string file = layout.paths_file(arch, set, land);
      if (!fs::exists(file)) continue;
      const CsvTable p = read_csv(file);
      BarrierSet b{arch, set, land, {}, {}, {}};
      for (size_t r = 0; r < p.rows.size(); ++r) {
        b.pairs.push_back(
            {arch, set, land, p.text(r, "i"), p.text(r, "j"), p.text(r, "H_linear"), p.text(r, "H")});
        b.H_linear.push_back(p.number(r, "H_linear"));
        b.H.push_back(p.number(r, "H"));
      }
      sets.push_back(std::move(b));
    }
  return sets;
}

using PairKey = std::pair<std::string, std::string>;  // (i, j) as the files write them

// Rows of `table` by their pair (i, j).
std::map<PairKey, size_t> rows_by_pair(const CsvTable& table) {
  std::map<PairKey, size_t> rows;
  for (size_t r = 0; r < table.rows.size(); ++r) rows[{table.text(r, "i"), table.text(r, "j")}] = r;
  return rows;
}

// The pairs of one set that has an aligned run (OUT/<arch>/paths/<set>-train-aligned/) and a
// plain one, in the aligned run's order; a pair the plain run has not finished is left out.
void read_aligned_set(const StudyLayout& layout, const std::string& arch, const std::string& set,
                      std::vector<AlignedBarrier>& rows) {
  const std::string after_file = layout.paths_file(arch, set, "train", true);
  const std::string before_file = layout.paths_file(arch, set, "train");
  if (!fs::exists(after_file) || !fs::exists(before_file)) return;
  const CsvTable after = read_csv(after_file), before = read_csv(before_file);
  const CsvTable align = read_csv(layout.aligned_file(arch, set));
  const auto before_rows = rows_by_pair(before), align_rows = rows_by_pair(align);
  for (size_t r = 0; r < after.rows.size(); ++r) {
    const PairKey key{after.text(r, "i"), after.text(r, "j")};
    const auto b = before_rows.find(key), a = align_rows.find(key);
    if (b == before_rows.end() || a == align_rows.end()) continue;
    const size_t ar = a->second, br = b->second;
    rows.push_back({arch, set, key.first, key.second, align.text(ar, "distance_before"),
                    align.text(ar, "distance_after"), align.text(ar, "H_linear_before"),
                    align.text(ar, "H_linear_after"), before.text(br, "H"), after.text(r, "H"),
                    before.text(br, "H_excess"), after.text(r, "H_excess")});
  }
}

std::vector<WeightSetRow> read_weight_sets(const StudyLayout& layout, const std::string& arch) {
  const CsvTable st = read_csv(layout.stats_file(arch));
  std::vector<WeightSetRow> rows;
  for (size_t r = 0; r < st.rows.size(); ++r)
    rows.push_back({arch, st.text(r, "set"), st.text(r, "mean"), st.text(r, "std"),
                    st.text(r, "centroid_norm"), st.number(r, "mean"), st.number(r, "std"),
                    st.number(r, "centroid_norm")});
  return rows;
}

}  // namespace

ReportInputs read_report_inputs(const StudyLayout& layout, const Preset& preset) {
  ReportInputs in;
  for (const std::string& arch : preset.archs) {
    for (const char* opt : {"lbfgs", "sgd"}) in.ensembles.push_back(read_ensemble(layout, preset, arch, opt));
    for (BarrierSet& b : read_barrier_sets(layout, arch)) in.barriers.push_back(std::move(b));
    for (const WeightSetRow& w : read_weight_sets(layout, arch)) in.weight_sets.push_back(w);
    for (const char* set : kWeightSets) read_aligned_set(layout, arch, set, in.aligned);
  }
  return in;
}

std::vector<EnsembleCurves> read_training_curves(const StudyLayout& layout, const std::string& arch,
                                                 const std::vector<EnsembleLosses>& ensembles) {
  std::vector<EnsembleCurves> curves;
  for (const EnsembleLosses& e : ensembles) {
    if (e.arch != arch) continue;
    EnsembleCurves c{e.optimizer, {}};
    for (size_t r = 0; r < e.runs; ++r) {
      const CsvTable curve = read_csv(layout.curve_file(arch, e.optimizer, r));
      std::vector<CurvePoint>& run = c.runs.emplace_back();
      for (size_t k = 0; k < curve.rows.size(); ++k)
        run.push_back({curve.text(k, "epoch"), curve.text(k, "train_loss"), curve.text(k, "test_loss")});
    }
    curves.push_back(std::move(c));
  }
  return curves;
}

// Consecutive rows of one set make one entry, as the analysis stage writes them (set by set).
std::vector<SetValues> read_distances(const StudyLayout& layout, const std::string& arch) {
  const CsvTable len = read_csv(layout.lengths_file(arch));
  std::vector<SetValues> sets;
  for (size_t r = 0; r < len.rows.size(); ++r) {
    const std::string& set = len.text(r, "set");
    if (sets.empty() || sets.back().set != set) sets.push_back({set, {}});
    sets.back().values.push_back(len.number(r, "distance"));
  }
  return sets;
}

std::vector<ProjectedSet> read_projections(const StudyLayout& layout, const std::string& arch) {
  std::vector<ProjectedSet> sets;
  for (const char* method : {"rbf", "linear"}) {
    const std::string file = layout.kpca_file(arch, method);
    if (!fs::exists(file)) continue;
    const CsvTable k = read_csv(file);
    for (const char* set : {"lbfgs-train", "sgd-test"}) {
      ProjectedSet& p = sets.emplace_back(ProjectedSet{method, set, {}, {}});
      for (size_t r = 0; r < k.rows.size(); ++r)
        if (k.text(r, "set") == set) {
          p.pc1.push_back(k.text(r, "pc1"));
          p.pc2.push_back(k.text(r, "pc2"));
        }
    }
  }
  return sets;
}

TrainingPaths find_training_paths(const StudyLayout& layout, const std::string& arch) {
  TrainingPaths paths;
  for (const char* set : kWeightSets) {
    const std::string file = layout.paths_file(arch, set, "train");
    if (fs::exists(file) && read_csv(file).rows.size() > 0) {
      paths.files.push_back(file);
      paths.sets.push_back(set);
    }
  }
  return paths;
}

std::vector<SetCurvature> read_set_curvature(const StudyLayout& layout, const std::string& arch) {
  const std::string file = layout.curvature_file(arch);
  if (!fs::exists(file)) return {};
  const CsvTable c = read_csv(file);
  std::vector<SetCurvature> sets;
  for (const char* set : kWeightSets) {
    SetCurvature s{set, {}, {}, {}, {}, {}};
    for (size_t r = 0; r < c.rows.size(); ++r) {
      if (c.text(r, "set") != set) continue;
      s.loss.push_back(c.number(r, "loss"));
      s.hessian_lambda_max.push_back(c.number(r, "hessian_lambda_max"));
      s.ggn_lambda_max.push_back(c.number(r, "ggn_lambda_max"));
      s.hessian_trace.push_back(c.number(r, "hessian_trace"));
      s.adaptive_sharpness.push_back(c.number(r, "adaptive_sharpness"));
    }
    if (!s.loss.empty()) sets.push_back(std::move(s));
  }
  return sets;
}

// ---------------------------------------------------------------------------------------------
// What the report writes: its CSV tables, each declared once by its columns.

namespace {

std::string six_digits(double v) { return num(v, "%.6g"); }

// table1.csv and spread.csv: the ensemble's name, then the columns of the table.
Table<EnsembleLosses> ensemble_table(std::vector<Column<EnsembleLosses>> columns) {
  columns.insert(columns.begin(), {text_column("arch", &EnsembleLosses::arch),
                                   text_column("optimizer", &EnsembleLosses::optimizer)});
  return Table<EnsembleLosses>(std::move(columns));
}

const Table<EnsembleLosses>& table1_table() {
  using E = const EnsembleLosses&;
  static const Table<EnsembleLosses> t =
      ensemble_table({{"train_loss", [](E e) { return six_digits(e.train.mean); }},
                      {"test_loss", [](E e) { return six_digits(e.test.mean); }},
                      integer_column("n_params", &EnsembleLosses::n_params)});
  return t;
}

const Table<EnsembleLosses>& spread_table() {
  using E = const EnsembleLosses&;
  static const Table<EnsembleLosses> t =
      ensemble_table({integer_column("runs", &EnsembleLosses::runs),
                      {"kept", [](E e) { return std::to_string(e.train.n); }},
                      {"train_loss_std", [](E e) { return six_digits(e.train.std); }},
                      {"test_loss_std", [](E e) { return six_digits(e.test.std); }},
                      {"train_loss_min", [](E e) { return six_digits(e.train.min); }},
                      {"train_loss_max", [](E e) { return six_digits(e.train.max); }}});
  return t;
}

const Table<BarrierPair>& barriers_table() {
  using B = BarrierPair;
  static const Table<B> t({text_column("arch", &B::arch), text_column("set", &B::set),
                           text_column("landscape", &B::landscape), text_column("i", &B::i),
                           text_column("j", &B::j), text_column("H_linear", &B::h_linear),
                           text_column("H", &B::h)});
  return t;
}

const Table<WeightSetRow>& table_s1_table() {
  using W = WeightSetRow;
  static const Table<W> t({text_column("arch", &W::arch), text_column("set", &W::set),
                           text_column("mean", &W::mean), text_column("std", &W::std),
                           text_column("centroid_norm", &W::centroid_norm)});
  return t;
}

const Table<AlignedBarrier>& alignment_table() {
  using A = AlignedBarrier;
  static const Table<A> t(
      {text_column("arch", &A::arch), text_column("set", &A::set), text_column("i", &A::i),
       text_column("j", &A::j), text_column("distance_before", &A::distance_before),
       text_column("distance_after", &A::distance_after), text_column("H_linear_before", &A::H_linear_before),
       text_column("H_linear_after", &A::H_linear_after), text_column("H_before", &A::H_before),
       text_column("H_after", &A::H_after), text_column("H_excess_before", &A::H_excess_before),
       text_column("H_excess_after", &A::H_excess_after)});
  return t;
}

}  // namespace

void write_report_tables(const StudyLayout& layout, const ReportInputs& in) {
  std::vector<BarrierPair> pairs;
  for (const BarrierSet& b : in.barriers) pairs.insert(pairs.end(), b.pairs.begin(), b.pairs.end());
  if (!in.aligned.empty()) alignment_table().write(layout.report_file(kAlignmentFile), in.aligned);
  table1_table().write(layout.report_file(kTable1File), in.ensembles);
  spread_table().write(layout.report_file("spread.csv"), in.ensembles);
  barriers_table().write(layout.report_file(kBarriersFile), pairs);
  table_s1_table().write(layout.report_file("table_s1.csv"), in.weight_sets);
}

}  // namespace landscape
