// The report of a study (OUT/report/): index.html (opens offline) and report.md with the
// paper's tables and figures and ours beside them, every table also as CSV, every figure as
// PNG and SVG (gnuplot) with its data file and script beside it.
//
//   table1.csv    arch,optimizer,train_loss,test_loss,n_params   (means over kept runs)
//   spread.csv    arch,optimizer,runs,kept,train_loss_std,test_loss_std,train_loss_min,train_loss_max
//   barriers.csv  arch,set,landscape,i,j,H_linear,H
//   table_s1.csv  arch,set,mean,std,centroid_norm
//   fig2_<arch>   loss curves;  fig3 the 2-D example;
//   fig4_<arch>   barrier heights per set, training landscape;  figs2_<arch> the same, test
//                 landscape (when the preset asks for it); strip plots or histograms, log axis
//                 when the heights span decades (experiments/support/distribution_figure.hpp);
//   fig5_<arch>   distances to the common origin;  fig6_<arch> RBF kernel PCA and linear PCA
//
// Three parts: this file assembles the document and computes its tables' numbers,
// report_files.hpp reads the study's CSVs and writes the report's, report_figures.hpp draws.
#pragma once

#include <string>

#include "experiments/support/preset.hpp"
#include "experiments/support/report_document.hpp"  // run_gnuplot, Document, DocumentTable

namespace landscape {

// OUT/report/ from the stages' files under OUT (docs/algorithms.md §8).
void write_report(const std::string& out, const Preset& preset);

}  // namespace landscape
