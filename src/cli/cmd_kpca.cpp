// landscape kpca: kernel PCA of weight sets projected together (docs/algorithms.md §7.4, Figure 6), with
// plain PCA of the same vectors beside it on request.
#include <chrono>
#include <cstdio>
#include <ostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/weight_sets.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/atomic_file.hpp"
#include "landscape/analysis/kernel_pca.hpp"
#include "landscape/analysis/pca.hpp"

namespace landscape {

namespace {

// set,row,pc1,...,pcC: each vector's projections, rows numbered within their set.
void write_projections(const std::string& path, const std::vector<WeightSet>& sets,
                       const std::vector<double>& pc /*[N,C]*/, int C) {
  write_file_atomic(path, [&](std::ostream& os) {
    os << "set,row";
    for (int k = 1; k <= C; ++k) os << ",pc" << k;
    os << "\n";
    size_t i = 0;
    for (const WeightSet& s : sets)
      for (int r = 0; r < s.vectors.dim(0); ++r, ++i) {
        os << s.label << "," << r;
        for (int k = 0; k < C; ++k) os << "," << number_text(pc[i * C + k]);
        os << "\n";
      }
  });
}

// component,eigenvalue,fraction: fraction of the sum of all positive eigenvalues.
void write_eigenvalues(const std::string& path, const std::vector<double>& values, double sum) {
  write_file_atomic(path, [&](std::ostream& os) {
    os << "component,eigenvalue,fraction\n";
    for (size_t k = 0; k < values.size(); ++k)
      os << "pc" << k + 1 << "," << number_text(values[k]) << "," << number_text(values[k] / sum)
         << "\n";
  });
}

struct KpcaOutput {
  int components = 2;  // principal components written
  bool pca = false;    // also plain PCA
  static const ParameterTable<KpcaOutput>& table() {
    using P = KpcaOutput;
    static const auto t = ParameterTable<P>()
        .field("components", &P::components, "principal components to write").range(1, 1000000)
        .field("pca", &P::pca, "also write plain PCA of the same vectors");
    return t;
  }
};
}  // namespace

int cmd_kpca(int argc, char** argv) {
  Args args("kpca",
            "Kernel PCA (Bishop's formulation, docs/algorithms.md §7.4) of the given sets fitted together:\n"
            "DIR/kpca.csv (set,row,pc1,...; projections scaled as scikit-learn's\n"
            "KernelPCA.fit_transform, the largest-|.| entry of each eigenvector positive) and\n"
            "DIR/eigenvalues.csv (component,eigenvalue,fraction; eigenvalues of the centred\n"
            "kernel matrix). Kernels as scikit-learn: rbf exp(-|x-y|^2/(2 sigma^2)),\n"
            "linear x.y, poly (gamma x.y + coef0)^degree, sigmoid tanh(gamma x.y + coef0).\n"
            "With --pca also DIR/pca.csv and DIR/pca_eigenvalues.csv (plain PCA; only the RBF\n"
            "kernel separates the sets, §7.6).");
  add_weight_set_flags(args);
  args.declare(KernelParams::table())
      .declare(KpcaOutput::table())
      .flag("out", "", "output directory", true);
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);

  const KernelParams params = args.read(KernelParams::table());
  const KpcaOutput output = args.read(KpcaOutput::table());
  if (args.given("degree") && params.kind != KernelKind::Poly)
    throw UsageError("--degree belongs to the poly kernel");
  if (args.given("coef0") && params.kind != KernelKind::Poly && params.kind != KernelKind::Sigmoid)
    throw UsageError("--coef0 belongs to the poly and sigmoid kernels");
  params.check();
  const int C = output.components;
  const std::string out = args.str("out");

  const std::vector<WeightSet> sets = read_weight_sets(args);
  const Tensor X = stack_weight_sets(sets);  // [N,P]
  make_directories(out);

  const auto t0 = std::chrono::steady_clock::now();
  const KernelPCA kp(X, params, C);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  write_projections(out + "/kpca.csv", sets, kp.projections(), C);
  write_eigenvalues(out + "/eigenvalues.csv", kp.eigenvalues(), kp.eigenvalue_sum());
  std::fprintf(stderr, "kpca: %d vectors of %d components, %s kernel (gamma %.6g), %.2f s; "
               "wrote %s/kpca.csv, eigenvalues.csv\n", X.dim(0), X.dim(1),
               kernel_name(params.kind), kp.kernel().gamma, seconds, out.c_str());

  if (output.pca) {
    const PCA pca(X, C);
    write_projections(out + "/pca.csv", sets, pca.projections(), C);
    write_eigenvalues(out + "/pca_eigenvalues.csv", pca.eigenvalues(), pca.eigenvalue_sum());
    std::fprintf(stderr, "kpca: wrote %s/pca.csv, pca_eigenvalues.csv\n", out.c_str());
  }
  return 0;
}

}  // namespace landscape
