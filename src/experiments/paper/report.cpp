#include "experiments/paper/report.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "experiments/paper/figure3.hpp"
#include "experiments/paper/findings.hpp"
#include "experiments/paper/study.hpp"
#include "experiments/support/report_document.hpp"
#include "io/atomic_file.hpp"
#include "io/csv.hpp"
#include "io/provenance.hpp"
#include "models/model.hpp"

namespace landscape {

namespace fs = std::filesystem;

namespace {

// Table I of the paper (NOTES section 8): mean over 48 runs.
struct PaperRow {
  const char* arch;
  double train_lbfgs, train_sgd, test_lbfgs, test_sgd;
};
const PaperRow kTableI[] = {{"fcp", 1.26e-08, 6.21e-04, 9.69e-02, 8.25e-02},
                            {"lenet", 3.35e-08, 1.76e-05, 4.17e-02, 3.89e-02},
                            {"ae", 1.69e-02, 4.57e-02, 1.65e-02, 4.52e-02},
                            {"lstm", 1.63e-06, 1.35e-02, 1.55e-01, 1.28e-01}};

const char* kArchTitle(const std::string& a) {
  return a == "fcp" ? "FCP" : a == "lenet" ? "LeNet" : a == "lstm" ? "LSTM" : "Autoencoder";
}

struct Stats {
  double mean = NAN, sd = NAN, min = NAN, max = NAN;
  int n = 0;
};
Stats stats_of(const std::vector<double>& v) {
  Stats s;
  s.n = int(v.size());
  if (v.empty()) return s;
  double sum = 0;
  s.min = s.max = v[0];
  for (double x : v) sum += x, s.min = std::min(s.min, x), s.max = std::max(s.max, x);
  s.mean = sum / v.size();
  double q = 0;
  for (double x : v) q += (x - s.mean) * (x - s.mean);
  s.sd = v.size() > 1 ? std::sqrt(q / (v.size() - 1)) : 0;
  return s;
}

std::string ensemble_dir(const std::string& out, const std::string& arch, const std::string& opt) {
  return out + "/" + arch + "/" + opt;
}

}  // namespace

void write_report(const std::string& out, const Preset& preset, const std::string& data_dir) {
  const std::string dir = out + "/report";
  make_directories(dir);
  remove_stale_temporaries(dir);
  Document doc;
  std::ostringstream table1_csv, spread_csv, barriers_csv, s1_csv;
  table1_csv << "arch,optimizer,train_loss,test_loss,n_params\n";
  spread_csv << "arch,optimizer,runs,kept,train_loss_std,test_loss_std,train_loss_min,train_loss_max\n";
  barriers_csv << "arch,set,landscape,i,j,H_linear,H\n";
  s1_csv << "arch,set,mean,std,centroid_norm\n";

  Table t1{{"model", "optimizer", "train loss (ours)", "train loss (paper)", "test loss (ours)",
            "test loss (paper)", "N_prm"}, {}};
  Table spread{{"model", "optimizer", "runs", "kept", "train loss sd", "test loss sd",
                "train loss min..max"}, {}};
  Table s1{{"model", "set", "mean", "std", "|centroid|"}, {}};
  Table heights{{"model", "set", "landscape", "pairs", "mean H_linear", "mean H", "median H"}, {}};

  std::map<std::string, bool> fig2_drawn, fig4_drawn, fig5_drawn, fig6_drawn;
  for (const std::string& arch : preset.archs) {
    const size_t n_params = make_model(arch)->num_params();
    const PaperRow* paper = nullptr;
    for (const PaperRow& r : kTableI)
      if (arch == r.arch) paper = &r;

    // Table I and the run-to-run spread, from runs.csv of both ensembles.
    std::ostringstream fig2;
    int block = 0;
    std::string fig2_plot;
    for (const char* opt : {"lbfgs", "sgd"}) {
      CsvTable runs = read_csv(ensemble_dir(out, arch, opt) + "/runs.csv");
      std::vector<double> train, test;
      for (size_t r = 0; r < runs.rows.size(); ++r)
        if (runs.rows[r][runs.column("kept")] == "1") {
          train.push_back(runs.number(r, "min_train_loss"));
          test.push_back(runs.number(r, "min_test_loss"));
        }
      const Stats a = stats_of(train), b = stats_of(test);
      table1_csv << arch << ',' << opt << ',' << num(a.mean, "%.6g") << ',' << num(b.mean, "%.6g")
                 << ',' << n_params << '\n';
      spread_csv << arch << ',' << opt << ',' << runs.rows.size() << ',' << a.n << ','
                 << num(a.sd, "%.6g") << ',' << num(b.sd, "%.6g") << ',' << num(a.min, "%.6g")
                 << ',' << num(a.max, "%.6g") << '\n';
      const bool lb = std::string(opt) == "lbfgs";
      t1.rows.push_back({kArchTitle(arch), lb ? "L-BFGS-GSS" : "SGD", num(a.mean),
                         paper ? num(lb ? paper->train_lbfgs : paper->train_sgd) : "", num(b.mean),
                         paper ? num(lb ? paper->test_lbfgs : paper->test_sgd) : "",
                         std::to_string(n_params)});
      spread.rows.push_back({kArchTitle(arch), lb ? "L-BFGS-GSS" : "SGD", std::to_string(runs.rows.size()),
                             std::to_string(a.n), num(a.sd), num(b.sd), num(a.min) + ".." + num(a.max)});
      // Figure 2 data: one block per run (epoch, train, test).
      const int first_block = block;
      for (size_t r = 0; r < runs.rows.size(); ++r) {
        char rd[32];
        std::snprintf(rd, sizeof rd, "/run-%03zu/curve.csv", r);
        CsvTable curve = read_csv(ensemble_dir(out, arch, opt) + rd);
        fig2 << "# " << opt << " run " << r << "\n";
        for (size_t e = 0; e < curve.rows.size(); ++e)
          fig2 << curve.rows[e][0] << ' ' << curve.rows[e][1] << ' ' << curve.rows[e][2] << '\n';
        fig2 << "\n\n";
        ++block;
      }
      fig2_plot += std::string(fig2_plot.empty() ? "plot " : ", ") + "for [i=" +
                   std::to_string(first_block) + ":" + std::to_string(block - 1) + "] '" +
                   "fig2_" + arch + ".dat' index i using 1:2 with lines lc rgb '" +
                   (lb ? "#c0392b" : "#2471a3") + "' notitle";
    }
    fig2_plot += ", NaN with lines lc rgb '#c0392b' title 'L-BFGS-GSS', NaN with lines lc rgb '#2471a3' title 'SGD'";
    write_text_atomic(dir + "/fig2_" + arch + ".dat", fig2.str());
    fig2_drawn[arch] = run_gnuplot(
        dir, "fig2_" + arch,
        both_terminals("fig2_" + arch, "set logscale y\nset xlabel 'epoch (SGD) / iteration (L-BFGS-GSS)'\n"
                                      "set ylabel 'training loss'\nset title '" + std::string(kArchTitle(arch)) +
                                      ": training loss of every run'\n" + fig2_plot));

    // Barrier heights of every set and landscape.
    std::ostringstream fig4;
    std::string fig4_plot;
    int fig4_block = 0;
    for (const std::string& land : {std::string("train"), std::string("test")})
      for (const char* set : kWeightSets) {
        const std::string file = out + "/" + arch + "/paths/" + set + "-" + land + "/paths.csv";
        if (!fs::exists(file)) continue;
        CsvTable p = read_csv(file);
        std::vector<double> H, H0;
        fig4 << "# " << set << " " << land << "\n";
        for (size_t r = 0; r < p.rows.size(); ++r) {
          barriers_csv << arch << ',' << set << ',' << land << ',' << p.rows[r][0] << ','
                       << p.rows[r][1] << ',' << p.rows[r][2] << ',' << p.rows[r][3] << '\n';
          H0.push_back(p.number(r, "H_linear"));
          H.push_back(p.number(r, "H"));
          fig4 << H.back() << '\n';
        }
        fig4 << "\n\n";
        std::vector<double> sorted = H;
        std::sort(sorted.begin(), sorted.end());
        heights.rows.push_back({kArchTitle(arch), set, land, std::to_string(H.size()),
                                num(stats_of(H0).mean), num(stats_of(H).mean),
                                sorted.empty() ? "n/a" : num(sorted[sorted.size() / 2])});
        if (land == "train" && !H.empty())
          fig4_plot += std::string(fig4_plot.empty() ? "plot " : ", ") + "'fig4_" + arch +
                       ".dat' index " + std::to_string(fig4_block) +
                       " using 1:(1) smooth kdensity bandwidth bw with lines lw 2 title '" + set + "'";
        ++fig4_block;
      }
    write_text_atomic(dir + "/fig4_" + arch + ".dat", fig4.str());
    // A kernel density per set: with few pairs a histogram's bins say little.
    fig4_drawn[arch] = !fig4_plot.empty() &&
        run_gnuplot(dir, "fig4_" + arch,
                    both_terminals("fig4_" + arch, "stats 'fig4_" + arch + ".dat' using 1 nooutput\n"
                                   "bw = (STATS_max - STATS_min) / 15 + 1e-12\nset xlabel 'barrier height H (training landscape)'\n"
                                   "set ylabel 'pairs (density)'\nset title '" + std::string(kArchTitle(arch)) +
                                   ": FourierPathFinder barrier heights within each set'\n" + fig4_plot));

    // Table S1, Figure 5 and Figure 6 from the analysis stage.
    const std::string an = out + "/" + arch + "/analysis";
    CsvTable st = read_csv(an + "/stats.csv");
    for (size_t r = 0; r < st.rows.size(); ++r) {
      s1_csv << arch << ',' << st.rows[r][0] << ',' << st.rows[r][1] << ',' << st.rows[r][2] << ','
             << st.rows[r][3] << '\n';
      s1.rows.push_back({kArchTitle(arch), st.rows[r][0], num(st.number(r, "mean"), "%.4g"),
                         num(st.number(r, "std"), "%.4g"), num(st.number(r, "centroid_norm"), "%.4g")});
    }
    CsvTable len = read_csv(an + "/lengths.csv");
    std::ostringstream fig5;
    std::string last;
    for (const auto& row : len.rows) {
      if (row[0] != last && !last.empty()) fig5 << "\n\n";
      if (row[0] != last) fig5 << "# " << row[0] << "\n";
      last = row[0];
      fig5 << row[2] << '\n';
    }
    write_text_atomic(dir + "/fig5_" + arch + ".dat", fig5.str());
    fig5_drawn[arch] = run_gnuplot(
        dir, "fig5_" + arch,
        both_terminals("fig5_" + arch, "stats 'fig5_" + arch + ".dat' using 1 nooutput\nbw = (STATS_max - STATS_min) / 10 + 1e-12\n"
                       "set xlabel 'distance |w - origin|'\nset ylabel 'vectors (density)'\nset title '" +
                       std::string(kArchTitle(arch)) + ": distance to the midpoint of the two centroids'\n"
                       "plot 'fig5_" + arch + ".dat' index 0 using 1:(1) smooth kdensity bandwidth bw with lines lw 2 lc rgb '#c0392b' title 'L-BFGS train', "
                       "'fig5_" + arch + ".dat' index 1 using 1:(1) smooth kdensity bandwidth bw with lines lw 2 lc rgb '#2471a3' title 'SGD test'"));
    std::ostringstream fig6;
    for (const char* method : {"rbf", "linear"}) {
      const std::string f = an + "/kpca_" + method + ".csv";
      if (!fs::exists(f)) continue;
      CsvTable k = read_csv(f);
      for (const char* set : {"lbfgs-train", "sgd-test"}) {
        fig6 << "# " << method << " " << set << "\n";
        for (const auto& row : k.rows)
          if (row[0] == set) fig6 << row[2] << ' ' << row[3] << '\n';
        fig6 << "\n\n";
      }
    }
    write_text_atomic(dir + "/fig6_" + arch + ".dat", fig6.str());
    const std::string d6 = "'fig6_" + arch + ".dat'";
    fig6_drawn[arch] = run_gnuplot(
        dir, "fig6_" + arch,
        both_terminals("fig6_" + arch, "set multiplot layout 1,2 title '" + std::string(kArchTitle(arch)) +
                       ": L-BFGS train (red) and SGD test (blue) vectors'\nset xlabel 'PC1'\nset ylabel 'PC2'\n"
                       "set title 'RBF kernel PCA (2 sigma^2 = P)'\nplot " + d6 + " index 0 with points pt 7 lc rgb '#c0392b' notitle, " +
                       d6 + " index 1 with points pt 7 lc rgb '#2471a3' notitle\nset title 'linear PCA'\nplot " + d6 +
                       " index 2 with points pt 7 lc rgb '#c0392b' notitle, " + d6 +
                       " index 3 with points pt 7 lc rgb '#2471a3' notitle\nunset multiplot", "1000,450"));
  }

  write_text_atomic(dir + "/table1.csv", table1_csv.str());
  write_text_atomic(dir + "/spread.csv", spread_csv.str());
  write_text_atomic(dir + "/barriers.csv", barriers_csv.str());
  write_text_atomic(dir + "/table_s1.csv", s1_csv.str());

  bool fig3_drawn = false;
  Table fig3_table{{"path", "H (squared point loss, published procedure)", "paper", "length",
                    "H (plain point loss, Algorithm 2 as written)"}, {}};
  if (preset.figure3) {
    const Figure3 fig = compute_figure3(1);  // noise seed 1, as the golden bands
    write_figure3_tables(dir, fig);
    fig3_drawn = draw_figure3(dir, fig);
    for (size_t k = 0; k < fig.squared.size(); ++k)
      fig3_table.rows.push_back({k == 0 ? "straight line" : "lambda " + fig.squared[k].label,
                                 num(fig.squared[k].height(), "%.4f"), kFigure3PaperHeights[k],
                                 num(fig.squared[k].length(), "%.4f"), num(fig.plain[k].height(), "%.4f")});
  }

  // Assemble the document.
  doc.paragraph("Reproduction of J. Yu and A. V. Morozov, \"Neural network optimization strategies "
                "and the topography of the loss landscape\" (arXiv 2602.21276), preset <code>" +
                preset.name + "</code>. Made by landscape " + LANDSCAPE_VERSION + " (" + kPrecisionName +
                ") on " + utc_timestamp() + "; seeds from " + std::to_string(preset.seed) +
                "; settings in ../preset.conf, versions and wall times in ../manifest.json.");
  // The findings first, from the CSVs written above, so a reader sees at once what this
  // scale reproduces (a reduced preset need not reproduce every one).
  Table findings{{"model", "the paper's finding", "ours", "shows here"}, {}};
  for (const Finding& f : check_findings(out, preset.archs))
    findings.rows.push_back({kArchTitle(f.arch), f.claim, f.evidence, f.holds ? "yes" : "no"});
  doc.heading("Findings at this scale");
  doc.paragraph("The paper's findings (NOTES section 8) checked on the numbers below; \"no\" marks "
                "one this preset's scale does not reproduce.");
  doc.table(findings);
  doc.heading("Table I: mean training and test loss over the kept runs");
  doc.paragraph("Training loss: the minimum over epochs of the loss over the training images "
                "(w_train); test loss: the minimum over epochs of the test loss (w_test, early "
                "stopping). Paper: 60,000 images, 75 runs of which 48 kept, 1000 L-BFGS iterations; "
                "ours: the preset's reduced scale. CSV: table1.csv.");
  doc.table(t1);
  doc.heading("Run-to-run spread");
  doc.table(spread);
  doc.heading("Figure 2: training curves");
  for (const std::string& arch : preset.archs)
    doc.figure("fig2_" + arch, fig2_drawn[arch], std::string(kArchTitle(arch)) + " training loss per run");
  if (preset.figure3) {
    doc.heading("Figure 3: the 2-D example");
    doc.paragraph("Paper: straight line H0 = 1.102; FourierPathFinder H = 0.646 (lambda 10), 0.640 "
                  "(100), 0.652 (1000). The lowest saddle between the minima is at 0.62439.");
    doc.table(fig3_table);
    doc.figure("fig3", fig3_drawn, "Figure 3: straight line and optimised paths on the 2-D landscape");
  }
  doc.heading("Figure 4: barrier heights within each set");
  doc.paragraph("FourierPathFinder heights H for random pairs within each set (training landscape; "
                "test landscape where the preset asks). Paper: barriers between SGD solutions are "
                "lower than between L-BFGS ones, except for the autoencoder. CSV: barriers.csv.");
  doc.table(heights);
  for (const std::string& arch : preset.archs)
    doc.figure("fig4_" + arch, fig4_drawn[arch], std::string(kArchTitle(arch)) + " barrier heights");
  doc.heading("Table S1: statistics of the weight sets");
  doc.table(s1);
  doc.heading("Figure 5: distances to the common origin");
  doc.paragraph("Paper: L-BFGS vectors lie farther from the midpoint of the two centroids.");
  for (const std::string& arch : preset.archs)
    doc.figure("fig5_" + arch, fig5_drawn[arch], std::string(kArchTitle(arch)) + " distances to the origin");
  doc.heading("Figure 6: kernel PCA of L-BFGS-train and SGD-test vectors");
  doc.paragraph("Paper: RBF kernel PCA separates the two sets along PC1; linear PCA does not.");
  for (const std::string& arch : preset.archs)
    doc.figure("fig6_" + arch, fig6_drawn[arch], std::string(kArchTitle(arch)) + " kernel PCA");

  doc.write(dir, "Loss-landscape study: report");
  (void)data_dir;
}

}  // namespace landscape
