// The analysis of stacks of weight vectors (docs/algorithms.md §7), shared by `landscape stats`,
// `landscape kpca` and the paper study's analysis stage: reading the stacks, Table S1 statistics
// of each set (§7.1), Figure 5's distances to a common origin (§7.2), and Figure 6's
// projections on kernel and plain principal components with their eigenvalues (§7.4, §7.5).
// Each file is a Table whose numbers keep the caller's precision (the commands write 17
// significant digits, the study 10).
//
//   stats.csv         set,mean,std,centroid_norm
//   lengths.csv       set,row,distance
//   projections       set,row,pc1,...,pcC          (kpca.csv, pca.csv; the study's kpca_*.csv)
//   eigenvalues       component,eigenvalue,fraction (the commands' eigenvalues.csv)
#pragma once

#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "io/npy.hpp"
#include "io/table_writer.hpp"
#include "landscape/analysis/kernel_pca.hpp"

namespace landscape {

struct WeightSet {
  std::string label;  // the set's name in every table
  std::string path;
  Tensor vectors;  // [N,P] owning
};

// The set of a .npy stack as read (one vector per row; a 1-D file is one vector), unchecked.
WeightSet weight_set(const std::string& label, const std::string& path, const NpyMatrix& m);

// Reads paths[s] as the set labels[s] (as many labels as paths). Errors naming the file: an empty
// stack, a non-finite weight, and sets of different widths (naming both files).
std::vector<WeightSet> read_weight_sets(const std::vector<std::string>& paths,
                                        const std::vector<std::string>& labels);

// The sets one after another: [sum N, P].
Tensor stack_weight_sets(const std::vector<WeightSet>& sets);

struct SetRow {  // stats.csv
  std::string set;
  double mean = 0, std = 0, centroid_norm = 0;
};
struct DistanceRow {  // lengths.csv
  std::string set;
  size_t row = 0;
  double distance = 0;
};
struct ProjectionRow {  // a vector's coordinates on the components
  std::string set;
  int row = 0;             // within its set
  std::vector<double> pc;  // [C]
};
struct EigenvalueRow {    // component,eigenvalue,fraction
  std::string component;  // pc1, pc2, ...
  double eigenvalue = 0, fraction = 0;
};

struct SetStatisticsTables {
  std::vector<SetRow> stats;         // every set, in order
  std::vector<DistanceRow> lengths;  // the sets `around`, in that order
};
// Table S1 of every set; the distances of the vectors of the sets `around` (indices into sets)
// to the mean of those sets' centroids (docs/algorithms.md §7.2).
SetStatisticsTables set_statistics_tables(const std::vector<WeightSet>& sets, const std::vector<int>& around);

// The rows of pcs [N,C], the projections of stack_weight_sets(sets), numbered within their set.
std::vector<ProjectionRow> projection_rows(const std::vector<WeightSet>& sets, const std::vector<double>& pcs,
                                           int C);
// Each eigenvalue with its fraction of sum (the sum of all positive eigenvalues).
std::vector<EigenvalueRow> eigenvalue_rows(const std::vector<double>& values, double sum);

// The tables; format: printf format of the numbers.
Table<SetRow> set_statistics_table(const char* format);
Table<DistanceRow> distance_table(const char* format);
Table<ProjectionRow> projection_table(int C, const char* format);
Table<EigenvalueRow> eigenvalue_table(const char* format);

// `landscape stats`: DIR/stats.csv of every set and DIR/lengths.csv of every set around the mean
// of all centroids.
void write_set_statistics(const std::vector<WeightSet>& sets, const std::string& dir, const char* format);

// `landscape kpca`: kernel PCA of the sets together, C components -> DIR/kpca.csv and
// DIR/eigenvalues.csv; with pca also plain PCA -> DIR/pca.csv and DIR/pca_eigenvalues.csv.
struct KernelPcaRun {
  double seconds = 0;  // the kernel PCA's fit
  double gamma = 0;    // the kernel's gamma as used
  int vectors = 0;     // N, of all sets together
};
KernelPcaRun write_kernel_pca(const std::vector<WeightSet>& sets, const KernelParams& params, int C, bool pca,
                              const std::string& dir, const char* format);

}  // namespace landscape
