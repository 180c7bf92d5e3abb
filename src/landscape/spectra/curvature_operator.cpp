#include "landscape/spectra/curvature_operator.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include "core/blas.hpp"
#include "core/error.hpp"
#include "landscape/spectra/hessian_operator.hpp"
#include "landscape/spectra/parameter_block_operator.hpp"
#include "models/dataset_ggn.hpp"
#include "models/per_example_gradients.hpp"

namespace landscape {

SymmetricOperator fisher_operator(std::shared_ptr<const std::vector<double>> G, long N, size_t P,
                                  int block_offset, size_t block_size, std::shared_ptr<long> products) {
  SymmetricOperator A;
  A.n = block_size;
  A.apply = [G, N, P, block_offset, block_size, products](const double* v, double* Av) {
    // F_bb v = G_b^T (G_b v) / N, G_b the block's columns of G (row stride P).
    using blas::Trans;
    std::vector<double> gv(static_cast<size_t>(N));
    const double* Gb = G->data() + block_offset;
    blas::gemm(Trans::No, Trans::No, int(N), 1, int(block_size), 1.0, Gb, int(P), v, 1, 0.0, gv.data(), 1);
    blas::gemm(Trans::Yes, Trans::No, int(block_size), 1, int(N), 1.0 / double(N), Gb, int(P), gv.data(), 1,
               0.0, Av, 1);
    if (products) ++*products;
  };
  return A;
}

std::function<SymmetricOperator(int block)> curvature_at(Curvature curvature, const Model& model,
                                                         const Dataset& data, const Scalar* w,
                                                         std::shared_ptr<long> products) {
  const size_t P = model.num_params();
  auto check_block = [&model](int block) {
    if (block >= int(model.layout().size()))
      throw Error("curvature_operator: block " + std::to_string(block) + " of a model with " +
                  std::to_string(model.layout().size()));
  };
  auto offset_of = [&model](int block) {
    return block < 0 ? size_t(0) : model.layout()[size_t(block)].offset;
  };
  auto size_of = [&model, P](int block) { return block < 0 ? P : model.layout()[size_t(block)].size(); };
  switch (curvature) {
    case Curvature::Hessian: {
      auto weights = std::make_shared<const std::vector<Scalar>>(w, w + P);
      return [&model, &data, weights, products, check_block](int block) {
        check_block(block);
        return hessian_operator(model, data, weights->data(), block, products);
      };
    }
    case Curvature::Ggn: {
      auto weights = std::make_shared<const std::vector<Scalar>>(w, w + P);
      return [&model, &data, weights, products](int block) {
        return parameter_block_operator(
            model, weights->data(), block,
            [&model, &data](const Scalar* at, const Scalar* v, Scalar* Gv) {
              dataset_ggn_product(model, data, at, v, Gv);
            },
            products, "curvature_operator");
      };
    }
    case Curvature::Fisher: {
      const double bytes = double(data.size()) * double(P) * sizeof(double);
      if (bytes > kFisherMaxBytes) {
        char what[200];
        std::snprintf(what, sizeof what, "%.2f GiB, above the limit of %.0f GiB", bytes / double(1 << 30),
                      kFisherMaxBytes / double(1 << 30));
        throw Error("the Fisher's per-example gradients of " + std::to_string(data.size()) + " examples x " +
                    std::to_string(P) + " parameters take " + what + ": give fewer --images");
      }
      auto G = std::make_shared<const std::vector<double>>(per_example_gradients(model, data, w));
      const long N = data.size();
      return [G, N, P, products, check_block, offset_of, size_of](int block) {
        check_block(block);
        return fisher_operator(G, N, P, int(offset_of(block)), size_of(block), products);
      };
    }
  }
  throw Error("curvature_at: unknown curvature");
}

SymmetricOperator curvature_operator(Curvature curvature, const Model& model, const Dataset& data,
                                     const Scalar* w, int block, std::shared_ptr<long> products) {
  return curvature_at(curvature, model, data, w, products)(block);
}

}  // namespace landscape
