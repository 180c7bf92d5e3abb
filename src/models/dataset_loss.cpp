#include "models/dataset_loss.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include "core/error.hpp"
#include "models/dataset_chunks.hpp"

namespace landscape {

double DatasetLoss::accuracy() const {
  return correct < 0 ? std::numeric_limits<double>::quiet_NaN() : double(correct) / images;
}

std::vector<Var> parameter_leaves(Graph& g, const Model& model, const Scalar* w, Scalar* grad) {
  std::vector<Var> leaves;
  for (const ParamBlock& b : model.layout()) {
    Tensor value = Tensor::view(w + b.offset, b.shape);
    leaves.push_back(grad ? g.parameter(value, Tensor::view(grad + b.offset, b.shape)) : g.constant(value));
  }
  return leaves;
}

DatasetLoss dataset_loss(const Model& model, const Dataset& data, const Scalar* w, Scalar* grad, int chunk) {
  const long N = data.size();
  if (N == 0) throw Error("dataset_loss: the dataset is empty");
  const size_t P = model.num_params();
  const double flops = model.forward_flops() * double(N) * (grad ? 3 : 1);
  const int threads = omp_in_parallel() || flops < kMinParallelFlops ? 1 : omp_get_max_threads();
  chunk = chunk_size(model, N, threads, chunk);

  std::vector<GradientSum> thread_grad(threads);
  std::vector<ChunkResult> thread_sum(threads);
  std::exception_ptr failure;
#pragma omp parallel num_threads(threads)
  {
    // BLAS inside runs on this thread, also in a team of one (which OpenMP does not count as
    // a parallel region): OpenBLAS sizes its team by omp_get_max_threads().
    omp_set_num_threads(1);
    const int t = omp_get_thread_num();
    GradientSum& sum = thread_grad[t];
    if (grad) sum.recent.assign(P, Scalar(0));
    for_each_chunk(N, chunk, failure, [&](long start, int n) {
      thread_sum[t] += run_chunk(model, data, start, n, N, w, grad ? sum.next_chunk_buffer() : nullptr);
    });
  }
  if (failure) std::rethrow_exception(failure);

  ChunkResult sum;
  for (int t = 0; t < threads; ++t) sum += thread_sum[t];  // in thread order
  if (grad) add_thread_sums(thread_grad, grad);
  return dataset_mean(model, sum, N);
}

DatasetLoss dataset_loss_reference(const Model& model, const Dataset& data, const Scalar* w, Scalar* grad) {
  const long N = data.size();
  if (grad) std::fill(grad, grad + model.num_params(), Scalar(0));
  ChunkResult sum;
  for (long i = 0; i < N; ++i) sum += run_chunk(model, data, i, 1, N, w, grad);
  return dataset_mean(model, sum, N);
}

}  // namespace landscape
