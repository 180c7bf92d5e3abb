#include "experiments/paper/report_figures.hpp"

#include <sstream>

#include "experiments/support/distribution_figure.hpp"
#include "experiments/support/report_document.hpp"

namespace landscape {

std::string arch_title(const std::string& a) {
  return a == "fcp" ? "FCP" : a == "lenet" ? "LeNet" : a == "lstm" ? "LSTM" : a == "ae" ? "Autoencoder" : a;
}

namespace {

// The colour of a weight set in every figure: L-BFGS red, SGD blue, the w_test sets lighter.
const char* set_colour(const std::string& set) {
  return set == "lbfgs-train"  ? "#c0392b"
         : set == "lbfgs-test" ? "#e59866"
         : set == "sgd-train"  ? "#2471a3"
                               : "#85c1e9";
}

}  // namespace

// One data block per run (epoch, train, test), the runs of one ensemble drawn by one plot
// clause over their block range.
bool draw_figure2(const std::string& dir, const std::string& arch,
                  const std::vector<EnsembleCurves>& curves) {
  std::ostringstream data;
  std::string plot;
  int block = 0;
  for (const EnsembleCurves& e : curves) {
    const int first_block = block;
    for (size_t r = 0; r < e.runs.size(); ++r, ++block) {
      data << "# " << e.optimizer << " run " << r << "\n";
      for (const CurvePoint& p : e.runs[r])
        data << p.epoch << ' ' << p.train_loss << ' ' << p.test_loss << '\n';
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

// Drawn as their number of pairs allows (experiments/support/distribution_figure.hpp).
bool draw_barrier_figure(const std::string& dir, const std::string& name, const std::string& arch,
                         const std::string& landscape, const std::vector<BarrierSet>& sets) {
  std::vector<Sample> samples;
  for (const BarrierSet& b : sets)
    if (b.arch == arch && b.landscape == landscape) samples.push_back({b.set, set_colour(b.set), b.H});
  if (samples.empty()) return false;
  return draw_distribution_figure(dir, name, samples, "barrier height H (" + landscape + " landscape)",
                                  arch_title(arch) + ": FourierPathFinder barrier heights within each set");
}

bool draw_figure5(const std::string& dir, const std::string& arch, const std::vector<SetValues>& distances) {
  std::vector<Sample> samples;
  for (const SetValues& s : distances) samples.push_back({s.set, set_colour(s.set), s.values});
  return draw_distribution_figure(dir, "fig5_" + arch, samples, "distance |w - origin|",
                                  arch_title(arch) + ": distance to the midpoint of the two centroids");
}

// The data blocks in the order read (rbf then linear, L-BFGS-train then SGD-test), which the
// plot's `index 0..3` name.
bool draw_figure6(const std::string& dir, const std::string& arch, const std::vector<ProjectedSet>& sets) {
  std::ostringstream data;
  for (const ProjectedSet& s : sets) {
    data << "# " << s.method << " " << s.set << "\n";
    for (size_t k = 0; k < s.pc1.size(); ++k) data << s.pc1[k] << ' ' << s.pc2[k] << '\n';
    data << "\n\n";
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

}  // namespace landscape
