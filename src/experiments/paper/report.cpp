#include "experiments/paper/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>

#include "core/statistics.hpp"
#include "experiments/analysis/connectivity_files.hpp"
#include "experiments/paper/figure3.hpp"
#include "experiments/paper/findings.hpp"
#include "experiments/paper/study.hpp"
#include "experiments/support/distribution_figure.hpp"
#include "experiments/support/table_columns.hpp"
#include "io/atomic_file.hpp"
#include "io/csv.hpp"
#include "io/provenance.hpp"
#include "models/model.hpp"

namespace landscape {

namespace fs = std::filesystem;

namespace {

// Table I of the paper (docs/algorithms.md §8): mean over 48 runs.
struct PaperRow {
  const char* arch;
  double train_lbfgs, train_sgd, test_lbfgs, test_sgd;
};
const PaperRow kTableI[] = {{"fcp", 1.26e-08, 6.21e-04, 9.69e-02, 8.25e-02},
                            {"lenet", 3.35e-08, 1.76e-05, 4.17e-02, 3.89e-02},
                            {"ae", 1.69e-02, 4.57e-02, 1.65e-02, 4.52e-02},
                            {"lstm", 1.63e-06, 1.35e-02, 1.55e-01, 1.28e-01}};

const PaperRow* paper_row(const std::string& arch) {
  for (const PaperRow& r : kTableI)
    if (arch == r.arch) return &r;
  return nullptr;
}

// The study's models by their titles in the paper; a described model by its own name.
std::string arch_title(const std::string& a) {
  return a == "fcp" ? "FCP" : a == "lenet" ? "LeNet" : a == "lstm" ? "LSTM" : a == "ae" ? "Autoencoder" : a;
}

std::string ensemble_dir(const std::string& out, const std::string& arch, const std::string& opt) {
  return out + "/" + arch + "/" + opt;
}

// ---------------------------------------------------------------------------------------------
// What the report reads: the earlier stages' CSV files (the report is a stage of its own, so
// their results are not in memory).

// The kept runs of one ensemble: Table I and the run-to-run spread.
struct EnsembleLosses {
  std::string arch, optimizer;  // optimizer: lbfgs | sgd
  size_t n_params = 0;
  size_t runs = 0;            // all runs; train.n of them kept
  SampleSummary train, test;  // per kept run the minimum over epochs (w_train, w_test)
  bool lbfgs() const { return optimizer == "lbfgs"; }
  std::string optimizer_title() const { return lbfgs() ? "L-BFGS-GSS" : "SGD"; }
};

EnsembleLosses read_ensemble(const std::string& out, const Preset& preset, const std::string& arch,
                             const std::string& opt) {
  const CsvTable runs = read_csv(ensemble_dir(out, arch, opt) + "/runs.csv");
  std::vector<double> train, test;
  for (size_t r = 0; r < runs.rows.size(); ++r)
    if (runs.rows[r][runs.column("kept")] == "1") {
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

// The sets of one architecture whose paths.csv exists: landscape outer, set inner.
std::vector<BarrierSet> read_barrier_sets(const std::string& out, const std::string& arch) {
  std::vector<BarrierSet> sets;
  for (const std::string land : {"train", "test"})
    for (const char* set : kWeightSets) {
      const std::string file = out + "/" + arch + "/paths/" + set + "-" + land + "/paths.csv";
      if (!fs::exists(file)) continue;
      const CsvTable p = read_csv(file);
      BarrierSet b{arch, set, land, {}, {}, {}};
      for (size_t r = 0; r < p.rows.size(); ++r) {
        b.pairs.push_back({arch, set, land, p.rows[r][0], p.rows[r][1], p.rows[r][2], p.rows[r][3]});
        b.H_linear.push_back(p.number(r, "H_linear"));
        b.H.push_back(p.number(r, "H"));
      }
      sets.push_back(std::move(b));
    }
  return sets;
}

// One pair of a set's aligned run (§14.6) beside the same pair's plain run on the training
// landscape: alignment.csv, its cells as the runs wrote them.
struct AlignedBarrier {
  std::string arch, set, i, j, distance_before, distance_after, H_linear_before, H_linear_after, H_before,
      H_after, H_excess_before, H_excess_after;
};

// Rows of `table` by their first two cells (i, j).
std::map<std::pair<std::string, std::string>, size_t> rows_by_pair(const CsvTable& table) {
  std::map<std::pair<std::string, std::string>, size_t> rows;
  for (size_t r = 0; r < table.rows.size(); ++r) rows[{table.rows[r][0], table.rows[r][1]}] = r;
  return rows;
}

// The pairs of every set that has an aligned run (OUT/<arch>/paths/<set>-train-aligned/) and
// a plain one, in the aligned run's order.
std::vector<AlignedBarrier> read_aligned_barriers(const std::string& out, const std::string& arch) {
  std::vector<AlignedBarrier> rows;
  for (const char* set : kWeightSets) {
    const std::string base = out + "/" + arch + "/paths/" + set + "-train";
    const std::string aligned_dir = base + "-aligned";
    if (!fs::exists(aligned_dir + "/paths.csv") || !fs::exists(base + "/paths.csv")) continue;
    const CsvTable after = read_csv(aligned_dir + "/paths.csv"), before = read_csv(base + "/paths.csv");
    const CsvTable align = read_csv(aligned_dir + "/aligned.csv");
    const auto before_rows = rows_by_pair(before), align_rows = rows_by_pair(align);
    for (size_t r = 0; r < after.rows.size(); ++r) {
      const std::pair<std::string, std::string> key{after.rows[r][0], after.rows[r][1]};
      const auto b = before_rows.find(key), a = align_rows.find(key);
      if (b == before_rows.end() || a == align_rows.end()) continue;  // the plain run not finished
      auto cell = [](const CsvTable& t, size_t row, const char* name) {
        return t.rows[row][size_t(t.column(name))];
      };
      rows.push_back({arch, set, key.first, key.second, cell(align, a->second, "distance_before"),
                      cell(align, a->second, "distance_after"), cell(align, a->second, "H_linear_before"),
                      cell(align, a->second, "H_linear_after"), cell(before, b->second, "H"),
                      cell(after, r, "H"), cell(before, b->second, "H_excess"), cell(after, r, "H_excess")});
    }
  }
  return rows;
}

// One row of Table S1 (the analysis stage's stats.csv), its cells as written there.
struct WeightSetRow {
  std::string arch, set, mean, std, centroid_norm;
  double mean_value = 0, std_value = 0, centroid_value = 0;
};

std::vector<WeightSetRow> read_weight_sets(const std::string& out, const std::string& arch) {
  const CsvTable st = read_csv(out + "/" + arch + "/analysis/stats.csv");
  std::vector<WeightSetRow> rows;
  for (size_t r = 0; r < st.rows.size(); ++r)
    rows.push_back({arch, st.rows[r][0], st.rows[r][1], st.rows[r][2], st.rows[r][3], st.number(r, "mean"),
                    st.number(r, "std"), st.number(r, "centroid_norm")});
  return rows;
}

struct ReportInputs {
  std::vector<EnsembleLosses> ensembles;  // arch outer, lbfgs then sgd
  std::vector<BarrierSet> barriers;       // arch outer
  std::vector<WeightSetRow> weight_sets;  // arch outer
  std::vector<AlignedBarrier> aligned;    // arch outer; empty without `align`
};

ReportInputs read_report_inputs(const std::string& out, const Preset& preset) {
  ReportInputs in;
  for (const std::string& arch : preset.archs) {
    for (const char* opt : {"lbfgs", "sgd"}) in.ensembles.push_back(read_ensemble(out, preset, arch, opt));
    for (BarrierSet& b : read_barrier_sets(out, arch)) in.barriers.push_back(std::move(b));
    for (const WeightSetRow& w : read_weight_sets(out, arch)) in.weight_sets.push_back(w);
    for (AlignedBarrier& a : read_aligned_barriers(out, arch)) in.aligned.push_back(std::move(a));
  }
  return in;
}

// ---------------------------------------------------------------------------------------------
// What the report writes: its CSV tables, each declared once by its columns.

std::string six_digits(double v) { return num(v, "%.6g"); }

// table1.csv and spread.csv: the ensemble's name, then the columns of the table.
Table<EnsembleLosses> ensemble_table(std::vector<Column<EnsembleLosses>> columns) {
  columns.insert(columns.begin(), {text_column("arch", &EnsembleLosses::arch),
                                   text_column("optimizer", &EnsembleLosses::optimizer)});
  return Table<EnsembleLosses>(std::move(columns));
}

void write_report_tables(const std::string& dir, const ReportInputs& in) {
  using E = const EnsembleLosses&;
  const Table<EnsembleLosses> table1 =
      ensemble_table({{"train_loss", [](E e) { return six_digits(e.train.mean); }},
                      {"test_loss", [](E e) { return six_digits(e.test.mean); }},
                      integer_column("n_params", &EnsembleLosses::n_params)});
  const Table<EnsembleLosses> spread =
      ensemble_table({integer_column("runs", &EnsembleLosses::runs),
                      {"kept", [](E e) { return std::to_string(e.train.n); }},
                      {"train_loss_std", [](E e) { return six_digits(e.train.std); }},
                      {"test_loss_std", [](E e) { return six_digits(e.test.std); }},
                      {"train_loss_min", [](E e) { return six_digits(e.train.min); }},
                      {"train_loss_max", [](E e) { return six_digits(e.train.max); }}});
  using B = BarrierPair;
  const Table<B> barriers({text_column("arch", &B::arch), text_column("set", &B::set),
                           text_column("landscape", &B::landscape), text_column("i", &B::i),
                           text_column("j", &B::j), text_column("H_linear", &B::h_linear),
                           text_column("H", &B::h)});
  using W = WeightSetRow;
  const Table<W> s1({text_column("arch", &W::arch), text_column("set", &W::set),
                     text_column("mean", &W::mean), text_column("std", &W::std),
                     text_column("centroid_norm", &W::centroid_norm)});
  std::vector<BarrierPair> pairs;
  for (const BarrierSet& b : in.barriers) pairs.insert(pairs.end(), b.pairs.begin(), b.pairs.end());
  using A = AlignedBarrier;
  const Table<A> alignment(
      {text_column("arch", &A::arch), text_column("set", &A::set), text_column("i", &A::i),
       text_column("j", &A::j), text_column("distance_before", &A::distance_before),
       text_column("distance_after", &A::distance_after), text_column("H_linear_before", &A::H_linear_before),
       text_column("H_linear_after", &A::H_linear_after), text_column("H_before", &A::H_before),
       text_column("H_after", &A::H_after), text_column("H_excess_before", &A::H_excess_before),
       text_column("H_excess_after", &A::H_excess_after)});
  if (!in.aligned.empty()) alignment.write(dir + "/alignment.csv", in.aligned);
  table1.write(dir + "/table1.csv", in.ensembles);
  spread.write(dir + "/spread.csv", in.ensembles);
  barriers.write(dir + "/barriers.csv", pairs);
  s1.write(dir + "/table_s1.csv", in.weight_sets);
}

// ---------------------------------------------------------------------------------------------
// What the report draws, one function per figure of one architecture.

// Figure 2: the training curve of every run, one data block per run (epoch, train, test).
bool draw_figure2(const std::string& dir, const std::string& out, const std::string& arch,
                  const std::vector<EnsembleLosses>& ensembles) {
  std::ostringstream data;
  std::string plot;
  int block = 0;
  for (const EnsembleLosses& e : ensembles) {
    if (e.arch != arch) continue;
    const int first_block = block;
    for (size_t r = 0; r < e.runs; ++r, ++block) {
      char run_dir[32];
      std::snprintf(run_dir, sizeof run_dir, "/run-%03zu/curve.csv", r);
      const CsvTable curve = read_csv(ensemble_dir(out, arch, e.optimizer) + run_dir);
      data << "# " << e.optimizer << " run " << r << "\n";
      for (const auto& row : curve.rows) data << row[0] << ' ' << row[1] << ' ' << row[2] << '\n';
      data << "\n\n";
    }
    plot += std::string(plot.empty() ? "plot " : ", ") + "for [i=" + std::to_string(first_block) + ":" +
            std::to_string(block - 1) + "] 'fig2_" + arch + ".dat' index i using 1:2 with lines lc rgb '" +
            (e.lbfgs() ? "#c0392b" : "#2471a3") + "' notitle";
  }
  plot += ", NaN with lines lc rgb '#c0392b' title 'L-BFGS-GSS', NaN with lines lc rgb '#2471a3' title 'SGD'";
  return draw_figure(dir, "fig2_" + arch, data.str(),
                     "set logscale y\nset xlabel 'epoch (SGD) / iteration (L-BFGS-GSS)'\n"
                     "set ylabel 'training loss'\nset title '" +
                         arch_title(arch) + ": training loss of every run'\n" + plot);
}

// The colour of a weight set in every figure: L-BFGS red, SGD blue, the w_test sets lighter.
const char* set_colour(const std::string& set) {
  return set == "lbfgs-train"  ? "#c0392b"
         : set == "lbfgs-test" ? "#e59866"
         : set == "sgd-train"  ? "#2471a3"
                               : "#85c1e9";
}

// Figure 4 (training landscape) and S2 (test landscape): the barrier heights of every set, drawn
// as their number of pairs allows (experiments/support/distribution_figure.hpp).
bool draw_barrier_figure(const std::string& dir, const std::string& name, const std::string& arch,
                         const std::string& landscape, const std::vector<BarrierSet>& sets) {
  std::vector<Sample> samples;
  for (const BarrierSet& b : sets)
    if (b.arch == arch && b.landscape == landscape) samples.push_back({b.set, set_colour(b.set), b.H});
  if (samples.empty()) return false;
  return draw_distribution_figure(dir, name, samples, "barrier height H (" + landscape + " landscape)",
                                  arch_title(arch) + ": FourierPathFinder barrier heights within each set");
}

// Figure 5: the distances to the midpoint of the two centroids, per set.
bool draw_figure5(const std::string& dir, const std::string& out, const std::string& arch) {
  const CsvTable len = read_csv(out + "/" + arch + "/analysis/lengths.csv");
  std::vector<Sample> samples;
  for (size_t r = 0; r < len.rows.size(); ++r) {
    const std::string& set = len.rows[r][0];
    if (samples.empty() || samples.back().label != set) samples.push_back({set, set_colour(set), {}});
    samples.back().values.push_back(len.number(r, "distance"));
  }
  return draw_distribution_figure(dir, "fig5_" + arch, samples, "distance |w - origin|",
                                  arch_title(arch) + ": distance to the midpoint of the two centroids");
}

// Figure 6: RBF kernel PCA and linear PCA of the L-BFGS-train and SGD-test vectors.
bool draw_figure6(const std::string& dir, const std::string& out, const std::string& arch) {
  std::ostringstream data;
  for (const char* method : {"rbf", "linear"}) {
    const std::string f = out + "/" + arch + "/analysis/kpca_" + method + ".csv";
    if (!fs::exists(f)) continue;
    const CsvTable k = read_csv(f);
    for (const char* set : {"lbfgs-train", "sgd-test"}) {
      data << "# " << method << " " << set << "\n";
      for (const auto& row : k.rows)
        if (row[0] == set) data << row[2] << ' ' << row[3] << '\n';
      data << "\n\n";
    }
  }
  const std::string d = "'fig6_" + arch + ".dat'";
  return draw_figure(
      dir, "fig6_" + arch, data.str(),
      "set multiplot layout 1,2 title '" + arch_title(arch) +
          ": L-BFGS train (red) and SGD test (blue) vectors'\nset xlabel 'PC1'\nset ylabel 'PC2'\n"
          "set title 'RBF kernel PCA (2 sigma^2 = P)'\nplot " +
          d + " index 0 with points pt 7 lc rgb '#c0392b' notitle, " + d +
          " index 1 with points pt 7 lc rgb '#2471a3' notitle\nset title 'linear PCA'\nplot " + d +
          " index 2 with points pt 7 lc rgb '#c0392b' notitle, " + d +
          " index 3 with points pt 7 lc rgb '#2471a3' notitle\nunset multiplot",
      "1000,450");
}

// ---------------------------------------------------------------------------------------------
// The document, one section per table or figure, in the order a reader meets them.

void introduction(Document& doc, const Preset& preset) {
  doc.paragraph(
      "Reproduction of J. Yu and A. V. Morozov, \"Neural network optimization strategies "
      "and the topography of the loss landscape\" (arXiv 2602.21276), preset <code>" +
      preset.name + "</code>. Made by landscape " + LANDSCAPE_VERSION + " (" + kPrecisionName + ") on " +
      utc_timestamp() + "; seeds from " + std::to_string(preset.seed) +
      "; settings in ../preset.conf, versions and wall times in ../manifest.json.");
}

// The findings first (from table1.csv and barriers.csv, written before), so a reader sees at
// once what this scale reproduces (a reduced preset need not reproduce every one).
void findings_section(Document& doc, const std::string& out, const std::vector<std::string>& archs) {
  DocumentTable t{{"model", "shows here", "the paper's finding", "ours"}, {}};
  for (const Finding& f : check_findings(out, archs))
    t.rows.push_back({arch_title(f.arch), f.holds ? "yes" : "no", f.claim, f.evidence});
  doc.heading("Findings at this scale");
  doc.paragraph(
      "The paper's findings (docs/algorithms.md §8.2) checked on the numbers below; \"no\" marks "
      "one this preset's scale does not reproduce.");
  doc.table(t);
}

void table1_section(Document& doc, const std::vector<EnsembleLosses>& ensembles) {
  DocumentTable t{{"model", "optimizer", "train loss (ours)", "train loss (paper)", "test loss (ours)",
                   "test loss (paper)", "N_prm"},
                  {}};
  for (const EnsembleLosses& e : ensembles) {
    const PaperRow* paper = paper_row(e.arch);
    t.rows.push_back({arch_title(e.arch), e.optimizer_title(), num(e.train.mean),
                      paper ? num(e.lbfgs() ? paper->train_lbfgs : paper->train_sgd) : "", num(e.test.mean),
                      paper ? num(e.lbfgs() ? paper->test_lbfgs : paper->test_sgd) : "",
                      std::to_string(e.n_params)});
  }
  doc.heading("Table I: mean training and test loss over the kept runs");
  doc.paragraph(
      "Training loss: the minimum over epochs of the loss over the training images "
      "(w_train); test loss: the minimum over epochs of the test loss (w_test, early "
      "stopping). Paper: 60,000 images, 75 runs of which 48 kept, 1000 L-BFGS iterations; "
      "ours: the preset's reduced scale. CSV: table1.csv.");
  doc.table(t);
}

void spread_section(Document& doc, const std::vector<EnsembleLosses>& ensembles) {
  DocumentTable t{
      {"model", "optimizer", "runs", "kept", "train loss sd", "test loss sd", "train loss min..max"}, {}};
  for (const EnsembleLosses& e : ensembles)
    t.rows.push_back({arch_title(e.arch), e.optimizer_title(), std::to_string(e.runs),
                      std::to_string(e.train.n), num(e.train.std), num(e.test.std),
                      num(e.train.min) + ".." + num(e.train.max)});
  doc.heading("Run-to-run spread");
  doc.table(t);
}

// One figure per architecture, PREFIX<arch>, drawn by `draw` and captioned "<Model> <what>".
void arch_figures(Document& doc, const std::vector<std::string>& archs, const std::string& prefix,
                  const std::string& what, const std::function<bool(const std::string&)>& draw) {
  for (const std::string& arch : archs) doc.figure(prefix + arch, draw(arch), arch_title(arch) + " " + what);
}

void figure2_section(Document& doc, const std::string& dir, const std::string& out,
                     const std::vector<std::string>& archs, const std::vector<EnsembleLosses>& ensembles) {
  doc.heading("Figure 2: training curves");
  arch_figures(doc, archs, "fig2_", "training loss per run",
               [&](const std::string& arch) { return draw_figure2(dir, out, arch, ensembles); });
}

void figure3_section(Document& doc, const std::string& dir) {
  const Figure3 fig = compute_figure3(1);  // noise seed 1, as the golden bands
  write_figure3_tables(dir, fig);
  DocumentTable t{{"path", "H (squared point loss, published procedure)", "paper", "length",
                   "H (plain point loss, Algorithm 2 as written)"},
                  {}};
  for (size_t k = 0; k < fig.squared.size(); ++k)
    t.rows.push_back({k == 0 ? "straight line" : "lambda " + fig.squared[k].label,
                      num(fig.squared[k].height(), "%.4f"), kFigure3PaperHeights[k],
                      num(fig.squared[k].length(), "%.4f"), num(fig.plain[k].height(), "%.4f")});
  doc.heading("Figure 3: the 2-D example");
  doc.paragraph(
      "Paper: straight line H0 = 1.102; FourierPathFinder H = 0.646 (lambda 10), 0.640 "
      "(100), 0.652 (1000). The lowest saddle between the minima is at 0.62439.");
  doc.table(t);
  doc.figure("fig3", draw_figure3(dir, fig),
             "Figure 3: straight line and optimised paths on the 2-D landscape");
}

void figure4_section(Document& doc, const std::string& dir, const std::vector<std::string>& archs,
                     const std::vector<BarrierSet>& sets) {
  DocumentTable t{{"model", "set", "landscape", "pairs", "mean H_linear", "mean H", "median H"}, {}};
  for (const BarrierSet& b : sets)
    t.rows.push_back({arch_title(b.arch), b.set, b.landscape, std::to_string(b.H.size()),
                      num(mean(b.H_linear)), num(mean(b.H)), b.H.empty() ? "n/a" : num(median(b.H))});
  doc.heading("Figure 4: barrier heights within each set");
  doc.paragraph(
      "FourierPathFinder heights H for random pairs within each set (training landscape; "
      "test landscape where the preset asks). Paper: barriers between SGD solutions are "
      "lower than between L-BFGS ones, except for the autoencoder. CSV: barriers.csv.");
  doc.table(t);
  arch_figures(
      doc, archs, "fig4_", "barrier heights on the training landscape",
      [&](const std::string& arch) { return draw_barrier_figure(dir, "fig4_" + arch, arch, "train", sets); });
  const bool any_test =
      std::any_of(sets.begin(), sets.end(), [](const BarrierSet& b) { return b.landscape == "test"; });
  if (!any_test) return;
  doc.heading("Figure S2: barrier heights on the test landscape");
  arch_figures(doc, archs, "figs2_", "barrier heights on the test landscape", [&](const std::string& arch) {
    return draw_barrier_figure(dir, "figs2_" + arch, arch, "test", sets);
  });
}

// "a -> b" of two cells as numbers.
std::string before_after(const std::string& a, const std::string& b) {
  return num(std::stod(a)) + " -> " + num(std::stod(b));
}

// The medians of one column pair over the pairs of one set.
std::string median_before_after(const std::vector<const AlignedBarrier*>& rows,
                                std::string AlignedBarrier::*before, std::string AlignedBarrier::*after) {
  std::vector<double> a, b;
  for (const AlignedBarrier* r : rows) {
    a.push_back(std::stod(r->*before));
    b.push_back(std::stod(r->*after));
  }
  return num(median(a)) + " -> " + num(median(b));
}

// Up to this many pairs the report lists each one; more are left to the CSV.
constexpr size_t kPairRowsShown = 64;

// Beyond the paper (docs/algorithms.md §14.6): each set's pairs on the training landscape
// before and after weight matching, medians per set, then every pair.
void alignment_section(Document& doc, const std::vector<AlignedBarrier>& rows) {
  if (rows.empty()) return;
  using A = AlignedBarrier;
  DocumentTable summary{{"model", "set", "pairs", "median H_linear", "median H", "median H_excess"}, {}};
  for (size_t k = 0; k < rows.size();) {
    std::vector<const A*> set;
    for (size_t e = k; e < rows.size() && rows[e].arch == rows[k].arch && rows[e].set == rows[k].set; ++e)
      set.push_back(&rows[e]);
    summary.rows.push_back({arch_title(rows[k].arch), rows[k].set, std::to_string(set.size()),
                            median_before_after(set, &A::H_linear_before, &A::H_linear_after),
                            median_before_after(set, &A::H_before, &A::H_after),
                            median_before_after(set, &A::H_excess_before, &A::H_excess_after)});
    k += set.size();
  }
  DocumentTable pairs{{"model", "set", "pair", "distance", "H_linear", "H", "H_excess"}, {}};
  for (const A& r : rows)
    pairs.rows.push_back(
        {arch_title(r.arch), r.set, r.i + "-" + r.j, before_after(r.distance_before, r.distance_after),
         before_after(r.H_linear_before, r.H_linear_after), before_after(r.H_before, r.H_after),
         before_after(r.H_excess_before, r.H_excess_after)});
  doc.heading("Barriers after permutation alignment (beyond the paper)");
  doc.paragraph(
      "Each pair's row j permuted to match row i (weight matching, docs/algorithms.md §14), then its "
      "FourierPathFinder path found again on the training landscape with the same settings: before -> "
      "after. H_linear: the straight line; H: the path's highest loss; H_excess: its highest rise above the "
      "straight blend of the two end losses. CSV: alignment.csv.");
  doc.table(summary);
  if (pairs.rows.size() <= kPairRowsShown)
    doc.table(pairs);
  else
    doc.paragraph("Every pair (" + std::to_string(pairs.rows.size()) + "): alignment.csv.");
}

// Beyond the paper (§14.5): per model the map of the minima of its four sets, from the barriers of
// the training landscape's paths (the sets are joined by no path, so each is a tree of its own).
void connectivity_section(Document& doc, const std::string& dir, const std::string& out,
                          const std::vector<std::string>& archs) {
  bool heading = false;
  for (const std::string& arch : archs) {
    std::vector<std::string> files, sets;
    for (const char* set : kWeightSets) {
      const std::string f = out + "/" + arch + "/paths/" + set + "-train/paths.csv";
      if (fs::exists(f) && read_csv(f).rows.size() > 0) {
        files.push_back(f);
        sets.push_back(set);
      }
    }
    if (files.empty()) continue;
    if (!heading) doc.heading("The map of the minima (beyond the paper)");
    heading = true;
    const MinimaGraph g = read_minima_graph(files, sets);
    const std::string sub = "connectivity_" + arch;
    const bool drawn = write_connectivity(dir + "/" + sub, g, connectivity(g));
    doc.figure(sub + "/disconnectivity", drawn,
               arch_title(arch) + ": disconnectivity graph of the four sets' minima (training landscape; " +
                   sub + "/tree.csv, minimax.csv, suggestions.csv)");
  }
}

// Beyond the paper (§10.10): the means per set of analysis/curvature.csv, where the preset asks.
void curvature_section(Document& doc, const std::string& out, const std::vector<std::string>& archs) {
  DocumentTable t{{"model", "set", "vectors", "loss", "Hessian lambda_max", "GGN lambda_max", "Hessian trace",
                   "adaptive sharpness"},
                  {}};
  for (const std::string& arch : archs) {
    const std::string file = out + "/" + arch + "/analysis/curvature.csv";
    if (!fs::exists(file)) continue;
    const CsvTable c = read_csv(file);
    for (const char* set : kWeightSets) {
      std::map<std::string, std::vector<double>> column;
      for (size_t r = 0; r < c.rows.size(); ++r)
        if (c.rows[r][0] == set)
          for (const char* name :
               {"loss", "hessian_lambda_max", "ggn_lambda_max", "hessian_trace", "adaptive_sharpness"})
            column[name].push_back(c.number(r, name));
      if (column.empty()) continue;
      t.rows.push_back({arch_title(arch), set, std::to_string(column["loss"].size()),
                        num(mean(column["loss"])), num(mean(column["hessian_lambda_max"])),
                        num(mean(column["ggn_lambda_max"])), num(mean(column["hessian_trace"])),
                        num(mean(column["adaptive_sharpness"]))});
    }
  }
  if (t.rows.empty()) return;
  doc.heading("Curvature and sharpness of the minima (beyond the paper)");
  doc.paragraph(
      "Means over each set's vectors, on the preset's curvature_images training images "
      "(docs/algorithms.md §10.10): lambda_max of the Hessian and of the Gauss-Newton matrix by Lanczos, the "
      "Hessian's trace by Hutchinson, and the worst-case rise of the loss within the adaptive ball of radius "
      "0.1 (perturbations |w|-scaled elementwise, §10.9). Per vector: <arch>/analysis/curvature.csv.");
  doc.table(t);
}

void table_s1_section(Document& doc, const std::vector<WeightSetRow>& rows) {
  DocumentTable t{{"model", "set", "mean", "std", "|centroid|"}, {}};
  for (const WeightSetRow& w : rows)
    t.rows.push_back({arch_title(w.arch), w.set, num(w.mean_value, "%.4g"), num(w.std_value, "%.4g"),
                      num(w.centroid_value, "%.4g")});
  doc.heading("Table S1: statistics of the weight sets");
  doc.table(t);
}

void figure5_section(Document& doc, const std::string& dir, const std::string& out,
                     const std::vector<std::string>& archs) {
  doc.heading("Figure 5: distances to the common origin");
  doc.paragraph("Paper: L-BFGS vectors lie farther from the midpoint of the two centroids.");
  arch_figures(doc, archs, "fig5_", "distances to the origin",
               [&](const std::string& arch) { return draw_figure5(dir, out, arch); });
}

void figure6_section(Document& doc, const std::string& dir, const std::string& out,
                     const std::vector<std::string>& archs) {
  doc.heading("Figure 6: kernel PCA of L-BFGS-train and SGD-test vectors");
  doc.paragraph("Paper: RBF kernel PCA separates the two sets along PC1; linear PCA does not.");
  arch_figures(doc, archs, "fig6_", "kernel PCA",
               [&](const std::string& arch) { return draw_figure6(dir, out, arch); });
}

}  // namespace

// The report's steps: read the stages' CSVs, write the report's own (the findings read them),
// then the document section by section, each drawing its figures (docs/algorithms.md §8).
void write_report(const std::string& out, const Preset& preset) {
  const std::string dir = out + "/report";
  make_directories(dir);
  remove_stale_temporaries(dir);
  const ReportInputs in = read_report_inputs(out, preset);
  write_report_tables(dir, in);
  Document doc;
  introduction(doc, preset);
  findings_section(doc, out, preset.archs);
  table1_section(doc, in.ensembles);
  spread_section(doc, in.ensembles);
  figure2_section(doc, dir, out, preset.archs, in.ensembles);
  if (preset.figure3) figure3_section(doc, dir);
  figure4_section(doc, dir, preset.archs, in.barriers);
  alignment_section(doc, in.aligned);
  connectivity_section(doc, dir, out, preset.archs);
  curvature_section(doc, out, preset.archs);
  table_s1_section(doc, in.weight_sets);
  figure5_section(doc, dir, out, preset.archs);
  figure6_section(doc, dir, out, preset.archs);
  doc.write(dir, "Loss-landscape study: report");
}

void write_report(const std::string& out, const Preset& preset, const std::string&) {
  write_report(out, preset);
}

}  // namespace landscape
