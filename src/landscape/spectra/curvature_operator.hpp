// The three curvature matrices of a model's mean loss over a dataset, at fixed weights, as
// symmetric operators for Lanczos, Hutchinson, Hutch++ and SLQ (docs/algorithms.md §10.8):
//   hessian  H = d^2 loss / dw^2 (hessian_operator.hpp);
//   ggn      G = J^T H_L J, the generalised Gauss-Newton matrix (models/dataset_ggn.hpp): positive
//            semi-definite, what second-order methods and most curvature studies use;
//   fisher   F = (1/N) sum_n g_n g_n^T, the empirical Fisher of the per-example gradients
//            (models/per_example_gradients.hpp), positive semi-definite, of rank <= N.
// Each restricted to one parameter block b (a layer) is its diagonal block, as the Hessian's is.
// The Fisher keeps its N x P per-example gradients (computed once, in double) and multiplies by
// two matrix-vector products; G and H recompute the network per product.
//
// Legend: P parameters, n = P or the size of block b, N examples.
#pragma once

#include <functional>
#include <memory>

#include "core/parameter_table.hpp"
#include "io/mnist.hpp"
#include "landscape/spectra/symmetric_operator.hpp"
#include "models/model.hpp"

namespace landscape {

enum class Curvature { Hessian, Ggn, Fisher };
inline constexpr EnumName<Curvature> kCurvatureNames[] = {
    {Curvature::Hessian, "hessian"}, {Curvature::Ggn, "ggn"}, {Curvature::Fisher, "fisher"}};

// The Fisher's per-example gradients may take at most this many bytes (an Error asks for fewer
// examples beyond it).
inline constexpr double kFisherMaxBytes = 4.0 * (1 << 30);

// The operators of one point w: block < 0 the whole matrix, else layout()[block]'s diagonal block.
// The Fisher's per-example gradients are computed here, once for every block asked later. model
// and data must outlive the operators; w [P] is copied. products (may be nullptr) counts the
// products made.
std::function<SymmetricOperator(int block)> curvature_at(Curvature curvature, const Model& model,
                                                         const Dataset& data, const Scalar* w,
                                                         std::shared_ptr<long> products = nullptr);

// curvature_at(...)(block).
SymmetricOperator curvature_operator(Curvature curvature, const Model& model, const Dataset& data,
                                     const Scalar* w, int block = -1,
                                     std::shared_ptr<long> products = nullptr);

// The Fisher's operator from its per-example gradients G [N, P] (shared: the per-layer blocks of
// one row reuse them).
SymmetricOperator fisher_operator(std::shared_ptr<const std::vector<double>> G, long N, size_t P,
                                  int block_offset, size_t block_size,
                                  std::shared_ptr<long> products = nullptr);

}  // namespace landscape
