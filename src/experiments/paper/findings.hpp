// The paper's findings (docs/algorithms.md §8), checked on a study's own outputs, so a report says in
// so many words which of them its scale reproduces and which it does not:
//   1. L-BFGS-GSS reaches a lower training loss than SGD (every model).
//   2. Barriers between SGD solutions are lower than between L-BFGS ones, except for the
//      autoencoder, where the order is reversed (per landscape and per pair of sets).
//   3. L-BFGS vectors lie farther from the common origin (Figure 5).
//   4. RBF kernel PCA separates L-BFGS-train from SGD-test along PC1; linear PCA does not.
// And beyond the paper: whether 2 holds after weight matching (the preset key `align`, §14.6),
// and whether L-BFGS-GSS minima are sharper (curvature_images, §10.10).
// Inputs: OUT/report/table1.csv, barriers.csv and alignment.csv (written by the report before it
// assembles its text) and OUT/<arch>/analysis/{lengths,kpca_rbf,kpca_linear}.csv.
#pragma once

#include <string>
#include <vector>

namespace landscape {

struct Finding {
  std::string arch;      // fcp | lenet | lstm | ae
  std::string claim;     // the paper's statement, for this model
  std::string evidence;  // our numbers behind the verdict
  bool holds = false;    // our numbers point the paper's way
};

// Findings whose inputs are missing (a stage not run, a landscape not asked for) are left out.
std::vector<Finding> check_findings(const std::string& out, const std::vector<std::string>& archs);

}  // namespace landscape
