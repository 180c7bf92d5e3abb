#include "experiments/paper/weight_set_analysis.hpp"

#include "core/error.hpp"
#include "experiments/support/table_columns.hpp"
#include "io/atomic_file.hpp"
#include "io/npy.hpp"
#include "landscape/analysis/kernel_pca.hpp"
#include "landscape/analysis/pca.hpp"
#include "landscape/analysis/weight_stats.hpp"

namespace landscape {

namespace {

const char* const kSetNames[] = {"lbfgs-train", "lbfgs-test", "sgd-train", "sgd-test"};
constexpr const char* kDigits = "%.10g";  // these files keep 10 significant digits

struct SetRow {  // stats.csv
  std::string set;
  double mean = 0, std = 0, centroid_norm = 0;
};
struct DistanceRow {  // lengths.csv
  std::string set;
  size_t row = 0;
  double distance = 0;
};
struct ProjectionRow {  // kpca_rbf.csv, kpca_linear.csv
  std::string set;
  int row = 0;
  double pc1 = 0, pc2 = 0;
};
struct EigenvalueRow {  // eigenvalues.csv
  std::string method;
  int component = 0;
  double eigenvalue = 0;
};

// What the analysis computes (docs/algorithms.md §7).
struct WeightSetAnalysis {
  std::vector<SetRow> stats;                  // the four sets
  std::vector<DistanceRow> lengths;           // lbfgs-train, then sgd-test
  std::vector<ProjectionRow> rbf, linear;     // both empty with fewer than 2 vectors
  std::vector<EigenvalueRow> eigenvalues;
};

// Two-component projections [N, components] of the stacked sets, a row each.
std::vector<ProjectionRow> projection_rows(const std::vector<double>& pcs, int components,
                                           const std::vector<std::pair<std::string, int>>& origin_of_rows) {
  std::vector<ProjectionRow> rows;
  for (size_t r = 0; r < origin_of_rows.size(); ++r)
    rows.push_back({origin_of_rows[r].first, origin_of_rows[r].second, pcs[r * components],
                    components > 1 ? pcs[r * components + 1] : 0});
  return rows;
}

WeightSetAnalysis analyse(std::vector<NpyMatrix>& sets) {
  const int P = int(sets[0].cols);
  auto as_tensor = [](NpyMatrix& m) { return Tensor::view(m.data.data(), {int(m.rows), int(m.cols)}); };
  WeightSetAnalysis a;
  // Table S1.
  std::vector<SetStatistics> st;
  for (int s = 0; s < 4; ++s) {
    st.push_back(set_statistics(as_tensor(sets[s])));
    a.stats.push_back({kSetNames[s], st[s].mean, st[s].std, st[s].centroid_norm});
  }
  // Figure 5: L-BFGS-train (set 0) and SGD-test (set 3) around the midpoint of their centroids.
  const std::vector<double> origin = common_origin({st[0].centroid, st[3].centroid});
  for (int s : {0, 3}) {
    const std::vector<double> d = distances_to(as_tensor(sets[s]), origin);
    for (size_t r = 0; r < d.size(); ++r) a.lengths.push_back({kSetNames[s], r, d[r]});
  }
  // Figure 6: the two sets stacked, RBF kernel PCA (2 sigma^2 = P) and linear PCA.
  std::vector<Scalar> stacked(sets[0].data);
  stacked.insert(stacked.end(), sets[3].data.begin(), sets[3].data.end());
  const int N = int(sets[0].rows + sets[3].rows);
  std::vector<std::pair<std::string, int>> rows;
  for (int s : {0, 3})
    for (int r = 0; r < sets[s].rows; ++r) rows.push_back({kSetNames[s], r});
  if (N < 2) return a;
  Tensor X = Tensor::view(stacked.data(), {N, P});
  KernelParams rbf;  // defaults: RBF with 2 sigma^2 = P, as the paper
  KernelPCA kpca(X, rbf, 2);
  a.rbf = projection_rows(kpca.projections(), 2, rows);
  PCA pca(X, 2);
  a.linear = projection_rows(pca.projections(), 2, rows);
  for (int k = 0; k < 2; ++k) a.eigenvalues.push_back({"rbf", k + 1, kpca.eigenvalues()[k]});
  const std::vector<double> var = pca.explained_variance();
  for (int k = 0; k < 2; ++k) a.eigenvalues.push_back({"linear", k + 1, var[k]});
  return a;
}

void write_analysis_files(const std::string& dir, const WeightSetAnalysis& a) {
  using S = SetRow;
  const Table<S> stats({text_column("set", &S::set), number_column("mean", &S::mean, kDigits),
                        number_column("std", &S::std, kDigits),
                        number_column("centroid_norm", &S::centroid_norm, kDigits)});
  using D = DistanceRow;
  const Table<D> lengths({text_column("set", &D::set), integer_column("row", &D::row),
                          number_column("distance", &D::distance, kDigits)});
  using R = ProjectionRow;
  const Table<R> projections({text_column("set", &R::set), integer_column("row", &R::row),
                              number_column("pc1", &R::pc1, kDigits), number_column("pc2", &R::pc2, kDigits)});
  using E = EigenvalueRow;
  const Table<E> eigenvalues({text_column("method", &E::method), integer_column("component", &E::component),
                              number_column("eigenvalue", &E::eigenvalue, kDigits)});
  stats.write(dir + "/stats.csv", a.stats);
  lengths.write(dir + "/lengths.csv", a.lengths);
  if (!a.rbf.empty()) {
    projections.write(dir + "/kpca_rbf.csv", a.rbf);
    projections.write(dir + "/kpca_linear.csv", a.linear);
  }
  eigenvalues.write(dir + "/eigenvalues.csv", a.eigenvalues);
}

}  // namespace

void analyse_weight_sets(const std::vector<std::string>& set_files, const std::string& dir) {
  if (set_files.size() != 4) throw Error("analyse_weight_sets: needs the four weight sets");
  make_directories(dir);
  remove_stale_temporaries(dir);
  std::vector<NpyMatrix> sets;
  for (const std::string& f : set_files) sets.push_back(read_npy(f));
  for (const NpyMatrix& m : sets)
    if (m.cols != sets[0].cols)
      throw Error("weight sets of different widths: " + set_files[0] + " and another");
  write_analysis_files(dir, analyse(sets));
}

}  // namespace landscape
