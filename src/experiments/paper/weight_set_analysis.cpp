#include "experiments/paper/weight_set_analysis.hpp"

#include <cstdio>
#include <sstream>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/atomic_file.hpp"
#include "io/npy.hpp"
#include "landscape/analysis/kernel_pca.hpp"
#include "landscape/analysis/pca.hpp"
#include "landscape/analysis/weight_stats.hpp"

namespace landscape {

namespace {

const char* const kSetNames[] = {"lbfgs-train", "lbfgs-test", "sgd-train", "sgd-test"};

// This file's CSV and settings text keep 10 significant digits.
std::string num(double v) { return number_text(v, "%.10g"); }

// Two-component projections [N,2] of the stacked sets as CSV rows.
std::string projection_csv(const std::vector<double>& pcs, int components,
                           const std::vector<std::pair<std::string, int>>& origin_of_rows) {
  std::ostringstream os;
  os << "set,row,pc1,pc2\n";
  for (size_t r = 0; r < origin_of_rows.size(); ++r)
    os << origin_of_rows[r].first << ',' << origin_of_rows[r].second << ','
       << num(pcs[r * components]) << ',' << num(components > 1 ? pcs[r * components + 1] : 0) << '\n';
  return os.str();
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
  const int P = int(sets[0].cols);
  auto as_tensor = [](NpyMatrix& m) { return Tensor::view(m.data.data(), {int(m.rows), int(m.cols)}); };

  // Table S1.
  std::ostringstream stats;
  stats << "set,mean,std,centroid_norm\n";
  std::vector<SetStatistics> st;
  for (int s = 0; s < 4; ++s) {
    st.push_back(set_statistics(as_tensor(sets[s])));
    stats << kSetNames[s] << ',' << num(st[s].mean) << ',' << num(st[s].std) << ','
          << num(st[s].centroid_norm) << '\n';
  }
  write_text_atomic(dir + "/stats.csv", stats.str());

  // Figure 5: L-BFGS-train (set 0) and SGD-test (set 3) around the midpoint of their centroids.
  const std::vector<double> origin = common_origin({st[0].centroid, st[3].centroid});
  std::ostringstream lengths;
  lengths << "set,row,distance\n";
  for (int s : {0, 3}) {
    std::vector<double> d = distances_to(as_tensor(sets[s]), origin);
    for (size_t r = 0; r < d.size(); ++r) lengths << kSetNames[s] << ',' << r << ',' << num(d[r]) << '\n';
  }
  write_text_atomic(dir + "/lengths.csv", lengths.str());

  // Figure 6: the two sets stacked, RBF kernel PCA (2 sigma^2 = P) and linear PCA.
  std::vector<Scalar> stacked(sets[0].data);
  stacked.insert(stacked.end(), sets[3].data.begin(), sets[3].data.end());
  const int N = int(sets[0].rows + sets[3].rows);
  std::vector<std::pair<std::string, int>> rows;
  for (int s : {0, 3})
    for (int r = 0; r < sets[s].rows; ++r) rows.push_back({kSetNames[s], r});
  std::ostringstream eig;
  eig << "method,component,eigenvalue\n";
  if (N >= 2) {
    Tensor X = Tensor::view(stacked.data(), {N, P});
    KernelParams rbf;  // defaults: RBF with 2 sigma^2 = P, as the paper
    KernelPCA kpca(X, rbf, 2);
    write_text_atomic(dir + "/kpca_rbf.csv", projection_csv(kpca.projections(), 2, rows));
    PCA pca(X, 2);
    write_text_atomic(dir + "/kpca_linear.csv", projection_csv(pca.projections(), 2, rows));
    for (int k = 0; k < 2; ++k) eig << "rbf," << k + 1 << ',' << num(kpca.eigenvalues()[k]) << '\n';
    std::vector<double> var = pca.explained_variance();
    for (int k = 0; k < 2; ++k) eig << "linear," << k + 1 << ',' << num(var[k]) << '\n';
  }
  write_text_atomic(dir + "/eigenvalues.csv", eig.str());
}

}  // namespace landscape
