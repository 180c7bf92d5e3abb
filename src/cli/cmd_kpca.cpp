// landscape kpca: kernel PCA of weight sets projected together (docs/algorithms.md §7.4, Figure 6), with
// plain PCA of the same vectors beside it on request.
#include <cstdio>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/weight_sets.hpp"
#include "core/error.hpp"
#include "landscape/analysis/kernel_pca.hpp"

namespace landscape {

namespace {

struct KpcaOutput {
  int components = 2;  // principal components written
  bool pca = false;    // also plain PCA
  static const ParameterTable<KpcaOutput>& table() {
    using P = KpcaOutput;
    // clang-format off
    static const auto t = ParameterTable<P>()
        .field("components", &P::components, "principal components to write").range(1, 1000000)
        .field("pca", &P::pca, "also write plain PCA of the same vectors");
    // clang-format on
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
  args.declare(KernelParams::table()).declare(KpcaOutput::table()).flag("out", "", "output directory", true);
  if (!parse_with_threads(args, argc, argv)) return 0;

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
  const KernelPcaRun run = write_kernel_pca(sets, params, C, output.pca, out, "%.17g");
  std::fprintf(stderr,
               "kpca: %d vectors of %d components, %s kernel (gamma %.6g), %.2f s; "
               "wrote %s/kpca.csv, eigenvalues.csv\n",
               run.vectors, sets[0].vectors.dim(1), kernel_name(params.kind), run.gamma, run.seconds,
               out.c_str());
  if (output.pca) std::fprintf(stderr, "kpca: wrote %s/pca.csv, pca_eigenvalues.csv\n", out.c_str());
  return 0;
}

}  // namespace landscape
