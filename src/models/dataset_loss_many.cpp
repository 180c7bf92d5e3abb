#include "models/dataset_loss_many.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "models/dataset_chunks.hpp"
#include "models/input_layer.hpp"

namespace landscape {

namespace {

// One group of g points (w[p] [P]) over every chunk of the data; see the header.
void evaluate_group(const Model& model, const Dataset& data, const Scalar* const* w, int g,
                    DatasetLoss* results, Scalar* const* grad, int chunk) {
  const long N = data.size();
  const size_t P = model.num_params();
  const double flops = model.forward_flops() * double(N) * (grad ? 3 : 1) * g;
  const int threads = omp_in_parallel() || flops < kMinParallelFlops ? 1 : omp_get_max_threads();
  chunk = chunk_size(model, N, threads, chunk);
  std::optional<StackedInputLayer> stack;
  if (model.input_layer().kind != InputLayer::Kind::None) stack.emplace(model, w, g);

  // sums[p][t] and totals[p][t]: point p's sums on thread t.
  std::vector<std::vector<GradientSum>> sums(g, std::vector<GradientSum>(threads));
  std::vector<std::vector<ChunkResult>> totals(g, std::vector<ChunkResult>(threads));
  std::exception_ptr failure;
#pragma omp parallel num_threads(threads)
  {
    omp_set_num_threads(1);  // BLAS inside runs on this thread (dataset_loss.cpp)
    const int t = omp_get_thread_num();
    if (grad)
      for (int p = 0; p < g; ++p) sums[p][t].recent.assign(P, Scalar(0));
    std::optional<InputLayerChunk> first;
    if (stack) first.emplace(*stack);
    std::vector<Scalar*> chunk_grad(g, nullptr);
    for_each_chunk(N, chunk, failure, [&](long start, int n) {
      if (grad)
        for (int p = 0; p < g; ++p) chunk_grad[p] = sums[p][t].next_chunk_buffer();
      if (first) first->forward(data.images.data() + start * kImagePixels, n, grad != nullptr);
      for (int p = 0; p < g; ++p) {
        std::optional<InputLayerOutput> z;
        if (first) z = InputLayerOutput{first->z(p), grad ? first->dz(p) : Tensor()};
        totals[p][t] += run_chunk(model, data, start, n, N, w[p], chunk_grad[p], z ? &*z : nullptr);
      }
      if (first && grad) first->backward(chunk_grad.data());
    });
  }
  if (failure) std::rethrow_exception(failure);

  for (int p = 0; p < g; ++p) {
    ChunkResult sum;
    for (int t = 0; t < threads; ++t) sum += totals[p][t];  // in thread order
    results[p] = dataset_mean(model, sum, N);
    if (grad) add_thread_sums(sums[p], grad[p]);
  }
}

}  // namespace

void dataset_loss_many(const Model& model, const Dataset& data, const Scalar* W, std::size_t M,
                       DatasetLoss* results, Scalar* G, int chunk) {
  if (data.size() == 0) throw Error("dataset_loss_many: the dataset is empty");
  const size_t P = model.num_params();
  for (size_t m0 = 0; m0 < M; m0 += (getenv("LG") ? atoi(getenv("LG")) : kPointsPerGroup)) {
    static const int kG = getenv("LG") ? atoi(getenv("LG")) : kPointsPerGroup;
    const int g = int(std::min<size_t>(kG, M - m0));
    std::vector<const Scalar*> w(g);
    std::vector<Scalar*> grad(g);
    for (int p = 0; p < g; ++p) {
      w[p] = W + (m0 + p) * P;
      grad[p] = G ? G + (m0 + p) * P : nullptr;
    }
    evaluate_group(model, data, w.data(), g, results + m0, G ? grad.data() : nullptr, chunk);
  }
}

}  // namespace landscape
