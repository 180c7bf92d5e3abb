// What the report of a study draws (docs/algorithms.md §8), one function per figure of one
// architecture, from what report_files.hpp read; each figure into the report's folder as
// NAME.dat, .gp, .png and .svg (gnuplot), false when gnuplot drew nothing.
//   fig2_<arch>            the training curve of every run
//   fig4_<arch>, figs2_<arch>   barrier heights per set, training / test landscape
//   fig5_<arch>            distances to the common origin
//   fig6_<arch>            RBF kernel PCA and linear PCA
// (Figure 3 is figure3.hpp's, the connectivity map analysis/connectivity_files.hpp's.)
#pragma once

#include <string>
#include <vector>

#include "experiments/paper/report_files.hpp"

namespace landscape {

// The study's models by their titles in the paper; a described model by its own name.
std::string arch_title(const std::string& arch);

// Figure 2: one line per run, L-BFGS-GSS red, SGD blue (log scale).
bool draw_figure2(const std::string& dir, const std::string& arch, const std::vector<EnsembleCurves>& curves);

// Figure 4 (landscape train) and S2 (test): the heights of the sets of `arch` on `landscape`.
bool draw_barrier_figure(const std::string& dir, const std::string& name, const std::string& arch,
                         const std::string& landscape, const std::vector<BarrierSet>& sets);

// Figure 5: the distances to the midpoint of the two centroids, per set.
bool draw_figure5(const std::string& dir, const std::string& arch, const std::vector<SetValues>& distances);

// Figure 6: the two PCA panels, L-BFGS-train red and SGD-test blue.
bool draw_figure6(const std::string& dir, const std::string& arch, const std::vector<ProjectedSet>& sets);

}  // namespace landscape
