// The analysis of one model's four weight sets (docs/algorithms.md §7): Table S1 statistics of each
// set; Figure 5's distances of the L-BFGS-train and SGD-test vectors to the midpoint of their
// centroids; Figure 6's RBF kernel PCA of the two sets together, with linear PCA beside it.
//
//   DIR/stats.csv            set,mean,std,centroid_norm       (all four sets)
//   DIR/lengths.csv          set,row,distance                 (lbfgs-train, sgd-test)
//   DIR/kpca_rbf.csv         set,row,pc1,pc2                  (RBF, 2 sigma^2 = P)
//   DIR/kpca_linear.csv      set,row,pc1,pc2                  (plain PCA)
//   DIR/eigenvalues.csv      method,component,eigenvalue
#pragma once

#include <string>
#include <vector>

namespace landscape {

// set_files: the four stacks in the order of kWeightSets (study.hpp).
void analyse_weight_sets(const std::vector<std::string>& set_files, const std::string& dir);

}  // namespace landscape
