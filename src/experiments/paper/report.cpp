#include "experiments/paper/report.hpp"

#include <algorithm>
#include <functional>

#include "core/statistics.hpp"
#include "experiments/analysis/connectivity_files.hpp"
#include "experiments/paper/figure3.hpp"
#include "experiments/paper/findings.hpp"
#include "experiments/paper/report_figures.hpp"
#include "experiments/paper/report_files.hpp"
#include "experiments/paper/study_layout.hpp"
#include "io/atomic_file.hpp"
#include "io/provenance.hpp"

namespace landscape {

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
void findings_section(Document& doc, const StudyLayout& layout, const std::vector<std::string>& archs) {
  DocumentTable t{{"model", "shows here", "the paper's finding", "ours"}, {}};
  for (const Finding& f : check_findings(layout.root(), archs))
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

void figure2_section(Document& doc, const StudyLayout& layout, const std::vector<std::string>& archs,
                     const std::vector<EnsembleLosses>& ensembles) {
  doc.heading("Figure 2: training curves");
  arch_figures(doc, archs, "fig2_", "training loss per run", [&](const std::string& arch) {
    return draw_figure2(layout.report_dir(), arch, read_training_curves(layout, arch, ensembles));
  });
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
void connectivity_section(Document& doc, const StudyLayout& layout, const std::vector<std::string>& archs) {
  bool heading = false;
  for (const std::string& arch : archs) {
    const TrainingPaths paths = find_training_paths(layout, arch);
    if (paths.files.empty()) continue;
    if (!heading) doc.heading("The map of the minima (beyond the paper)");
    heading = true;
    const MinimaGraph g = read_minima_graph(paths.files, paths.sets);
    const std::string sub = StudyLayout::connectivity_name(arch);
    const bool drawn = write_connectivity(layout.report_file(sub), g, connectivity(g));
    doc.figure(sub + "/disconnectivity", drawn,
               arch_title(arch) + ": disconnectivity graph of the four sets' minima (training landscape; " +
                   sub + "/tree.csv, minimax.csv, suggestions.csv)");
  }
}

// Beyond the paper (§10.10): the means per set of analysis/curvature.csv, where the preset asks.
void curvature_section(Document& doc, const StudyLayout& layout, const std::vector<std::string>& archs) {
  DocumentTable t{{"model", "set", "vectors", "loss", "Hessian lambda_max", "GGN lambda_max", "Hessian trace",
                   "adaptive sharpness"},
                  {}};
  for (const std::string& arch : archs)
    for (const SetCurvature& c : read_set_curvature(layout, arch))
      t.rows.push_back({arch_title(arch), c.set, std::to_string(c.loss.size()), num(mean(c.loss)),
                        num(mean(c.hessian_lambda_max)), num(mean(c.ggn_lambda_max)),
                        num(mean(c.hessian_trace)), num(mean(c.adaptive_sharpness))});
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

void figure5_section(Document& doc, const StudyLayout& layout, const std::vector<std::string>& archs) {
  doc.heading("Figure 5: distances to the common origin");
  doc.paragraph("Paper: L-BFGS vectors lie farther from the midpoint of the two centroids.");
  arch_figures(doc, archs, "fig5_", "distances to the origin", [&](const std::string& arch) {
    return draw_figure5(layout.report_dir(), arch, read_distances(layout, arch));
  });
}

void figure6_section(Document& doc, const StudyLayout& layout, const std::vector<std::string>& archs) {
  doc.heading("Figure 6: kernel PCA of L-BFGS-train and SGD-test vectors");
  doc.paragraph("Paper: RBF kernel PCA separates the two sets along PC1; linear PCA does not.");
  arch_figures(doc, archs, "fig6_", "kernel PCA", [&](const std::string& arch) {
    return draw_figure6(layout.report_dir(), arch, read_projections(layout, arch));
  });
}

}  // namespace

// The report's steps: read the stages' CSVs, write the report's own (the findings read them),
// then the document section by section, each drawing its figures (docs/algorithms.md §8).
void write_report(const std::string& out, const Preset& preset) {
  const StudyLayout layout(out);
  const std::string dir = layout.report_dir();
  make_directories(dir);
  remove_stale_temporaries(dir);
  const ReportInputs in = read_report_inputs(layout, preset);
  write_report_tables(layout, in);
  Document doc;
  introduction(doc, preset);
  findings_section(doc, layout, preset.archs);
  table1_section(doc, in.ensembles);
  spread_section(doc, in.ensembles);
  figure2_section(doc, layout, preset.archs, in.ensembles);
  if (preset.figure3) figure3_section(doc, dir);
  figure4_section(doc, dir, preset.archs, in.barriers);
  alignment_section(doc, in.aligned);
  connectivity_section(doc, layout, preset.archs);
  curvature_section(doc, layout, preset.archs);
  table_s1_section(doc, in.weight_sets);
  figure5_section(doc, layout, preset.archs);
  figure6_section(doc, layout, preset.archs);
  doc.write(dir, "Loss-landscape study: report");
}

}  // namespace landscape
