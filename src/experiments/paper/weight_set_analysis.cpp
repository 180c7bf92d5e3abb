#include "experiments/paper/weight_set_analysis.hpp"

#include "core/error.hpp"
#include "experiments/analysis/weight_sets.hpp"
#include "experiments/support/table_columns.hpp"
#include "io/run_directory.hpp"
#include "landscape/analysis/pca.hpp"

namespace landscape {

namespace {

const char* const kSetNames[] = {"lbfgs-train", "lbfgs-test", "sgd-train", "sgd-test"};
constexpr const char* kDigits = "%.10g";  // these files keep 10 significant digits

struct EigenvalueOfMethod {  // eigenvalues.csv
  std::string method;
  int component = 0;
  double eigenvalue = 0;
};

// What the analysis computes (docs/algorithms.md §7).
struct WeightSetAnalysis {
  SetStatisticsTables statistics;          // the four sets; lengths of lbfgs-train, then sgd-test
  std::vector<ProjectionRow> rbf, linear;  // both empty with fewer than 2 vectors
  std::vector<EigenvalueOfMethod> eigenvalues;
};

WeightSetAnalysis analyse(const std::vector<WeightSet>& sets) {
  WeightSetAnalysis a;
  // Table S1; Figure 5: L-BFGS-train (set 0) and SGD-test (set 3) around the midpoint of their
  // centroids.
  a.statistics = set_statistics_tables(sets, {0, 3});
  // Figure 6: the two sets stacked, RBF kernel PCA (2 sigma^2 = P) and linear PCA.
  const std::vector<WeightSet> pair{sets[0], sets[3]};
  const Tensor X = stack_weight_sets(pair);
  if (X.dim(0) < 2) return a;
  KernelParams rbf;  // defaults: RBF with 2 sigma^2 = P, as the paper
  KernelPCA kpca(X, rbf, 2);
  a.rbf = projection_rows(pair, kpca.projections(), 2);
  PCA pca(X, 2);
  a.linear = projection_rows(pair, pca.projections(), 2);
  for (int k = 0; k < 2; ++k) a.eigenvalues.push_back({"rbf", k + 1, kpca.eigenvalues()[k]});
  const std::vector<double> var = pca.explained_variance();
  for (int k = 0; k < 2; ++k) a.eigenvalues.push_back({"linear", k + 1, var[k]});
  return a;
}

void write_analysis_files(const std::string& dir, const WeightSetAnalysis& a) {
  using E = EigenvalueOfMethod;
  const Table<E> eigenvalues({text_column("method", &E::method), integer_column("component", &E::component),
                              number_column("eigenvalue", &E::eigenvalue, kDigits)});
  set_statistics_table(kDigits).write(dir + "/stats.csv", a.statistics.stats);
  distance_table(kDigits).write(dir + "/lengths.csv", a.statistics.lengths);
  if (!a.rbf.empty()) {
    const Table<ProjectionRow> projections = projection_table(2, kDigits);
    projections.write(dir + "/kpca_rbf.csv", a.rbf);
    projections.write(dir + "/kpca_linear.csv", a.linear);
  }
  eigenvalues.write(dir + "/eigenvalues.csv", a.eigenvalues);
}

}  // namespace

void analyse_weight_sets(const std::vector<std::string>& set_files, const std::string& dir) {
  if (set_files.size() != 4) throw Error("analyse_weight_sets: needs the four weight sets");
  const RunDirectory out(dir);  // rewritten whole each time the stage runs
  std::vector<NpyMatrix> stacks;
  for (const std::string& f : set_files) stacks.push_back(read_npy(f));
  for (const NpyMatrix& m : stacks)
    if (m.cols != stacks[0].cols)
      throw Error("weight sets of different widths: " + set_files[0] + " and another");
  std::vector<WeightSet> sets;
  for (size_t s = 0; s < stacks.size(); ++s)
    sets.push_back(weight_set(kSetNames[s], set_files[s], stacks[s]));
  write_analysis_files(dir, analyse(sets));
}

}  // namespace landscape
