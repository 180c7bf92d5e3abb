#include "experiments/analysis/weight_sets.hpp"

#include <algorithm>
#include <chrono>

#include "core/error.hpp"
#include "core/wall_clock.hpp"
#include "experiments/support/table_columns.hpp"
#include "io/atomic_file.hpp"
#include "landscape/analysis/pca.hpp"
#include "landscape/analysis/weight_stats.hpp"
#include "models/weights_file.hpp"

namespace landscape {

WeightSet weight_set(const std::string& label, const std::string& path, const NpyMatrix& m) {
  WeightSet w{label, path, Tensor({static_cast<int>(m.rows), static_cast<int>(m.cols)})};
  std::copy(m.data.begin(), m.data.end(), w.vectors.data());
  return w;
}

std::vector<WeightSet> read_weight_sets(const std::vector<std::string>& paths,
                                        const std::vector<std::string>& labels) {
  require(labels.size() == paths.size(), "read_weight_sets: a label per set");
  std::vector<WeightSet> sets;
  for (size_t s = 0; s < paths.size(); ++s) {
    NpyMatrix m = read_npy(paths[s]);
    require(m.rows >= 1 && m.cols >= 1, paths[s] + ": no vectors");
    require_finite_weights(paths[s], m);
    if (!sets.empty() && m.cols != sets[0].vectors.dim(1))
      throw Error("sets of different widths: " + sets[0].path + " has vectors of " +
                  std::to_string(sets[0].vectors.dim(1)) + " components, " + paths[s] + " of " +
                  std::to_string(m.cols));
    sets.push_back(weight_set(labels[s], paths[s], m));
  }
  return sets;
}

Tensor stack_weight_sets(const std::vector<WeightSet>& sets) {
  int rows = 0;
  for (const WeightSet& s : sets) rows += s.vectors.dim(0);
  Tensor all({rows, sets.at(0).vectors.dim(1)});
  Scalar* out = all.data();
  for (const WeightSet& s : sets) out = std::copy(s.vectors.data(), s.vectors.data() + s.vectors.size(), out);
  return all;
}

SetStatisticsTables set_statistics_tables(const std::vector<WeightSet>& sets,
                                          const std::vector<int>& around) {
  SetStatisticsTables t;
  std::vector<SetStatistics> st;
  for (const WeightSet& s : sets) {
    st.push_back(set_statistics(s.vectors));
    t.stats.push_back({s.label, st.back().mean, st.back().std, st.back().centroid_norm});
  }
  std::vector<std::vector<double>> centroids;
  for (int s : around) centroids.push_back(st[s].centroid);
  const std::vector<double> origin = common_origin(centroids);
  for (int s : around) {
    const std::vector<double> d = distances_to(sets[s].vectors, origin);
    for (size_t r = 0; r < d.size(); ++r) t.lengths.push_back({sets[s].label, r, d[r]});
  }
  return t;
}

std::vector<ProjectionRow> projection_rows(const std::vector<WeightSet>& sets, const std::vector<double>& pcs,
                                           int C) {
  std::vector<ProjectionRow> rows;
  size_t i = 0;
  for (const WeightSet& s : sets)
    for (int r = 0; r < s.vectors.dim(0); ++r, ++i)
      rows.push_back({s.label, r, std::vector<double>(pcs.begin() + i * C, pcs.begin() + (i + 1) * C)});
  return rows;
}

std::vector<EigenvalueRow> eigenvalue_rows(const std::vector<double>& values, double sum) {
  std::vector<EigenvalueRow> rows;
  for (size_t k = 0; k < values.size(); ++k)
    rows.push_back({"pc" + std::to_string(k + 1), values[k], values[k] / sum});
  return rows;
}

Table<SetRow> set_statistics_table(const char* format) {
  using S = SetRow;
  return Table<S>({text_column("set", &S::set), number_column("mean", &S::mean, format),
                   number_column("std", &S::std, format),
                   number_column("centroid_norm", &S::centroid_norm, format)});
}

Table<DistanceRow> distance_table(const char* format) {
  using D = DistanceRow;
  return Table<D>({text_column("set", &D::set), integer_column("row", &D::row),
                   number_column("distance", &D::distance, format)});
}

Table<ProjectionRow> projection_table(int C, const char* format) {
  using R = ProjectionRow;
  std::vector<Column<R>> columns{text_column("set", &R::set), integer_column("row", &R::row)};
  for (int k = 0; k < C; ++k)
    columns.push_back(
        {"pc" + std::to_string(k + 1), [k, format](const R& r) { return number_text(r.pc[k], format); }});
  return Table<R>(std::move(columns));
}

Table<EigenvalueRow> eigenvalue_table(const char* format) {
  using E = EigenvalueRow;
  return Table<E>({text_column("component", &E::component),
                   number_column("eigenvalue", &E::eigenvalue, format),
                   number_column("fraction", &E::fraction, format)});
}

void write_set_statistics(const std::vector<WeightSet>& sets, const std::string& dir, const char* format) {
  std::vector<int> all;
  for (int s = 0; s < int(sets.size()); ++s) all.push_back(s);
  const SetStatisticsTables t = set_statistics_tables(sets, all);
  make_directories(dir);
  set_statistics_table(format).write(dir + "/stats.csv", t.stats);
  distance_table(format).write(dir + "/lengths.csv", t.lengths);
}

KernelPcaRun write_kernel_pca(const std::vector<WeightSet>& sets, const KernelParams& params, int C, bool pca,
                              const std::string& dir, const char* format) {
  const Tensor X = stack_weight_sets(sets);  // [N,P]
  make_directories(dir);
  const auto t0 = std::chrono::steady_clock::now();
  const KernelPCA kp(X, params, C);
  const KernelPcaRun run{seconds_since(t0), kp.kernel().gamma, X.dim(0)};
  const Table<ProjectionRow> projections = projection_table(C, format);
  const Table<EigenvalueRow> eigenvalues = eigenvalue_table(format);
  projections.write(dir + "/kpca.csv", projection_rows(sets, kp.projections(), C));
  eigenvalues.write(dir + "/eigenvalues.csv", eigenvalue_rows(kp.eigenvalues(), kp.eigenvalue_sum()));
  if (pca) {
    const PCA p(X, C);
    projections.write(dir + "/pca.csv", projection_rows(sets, p.projections(), C));
    eigenvalues.write(dir + "/pca_eigenvalues.csv", eigenvalue_rows(p.eigenvalues(), p.eigenvalue_sum()));
  }
  return run;
}

}  // namespace landscape
