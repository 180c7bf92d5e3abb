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
    leaves.push_back(grad ? g.parameter(value, Tensor::view(grad + b.offset, b.shape))
                          : g.constant(value));
  }
  return leaves;
}

namespace {
// Images in [start, start+n) whose largest logit is their label.
long count_correct(const Tensor& logits /*[n,K]*/, const std::vector<int>& labels) {
  const int n = logits.dim(0), K = logits.dim(1);
  long correct = 0;
  for (int i = 0; i < n; ++i) {
    const Scalar* z = logits.data() + size_t(i) * K;
    correct += (std::max_element(z, z + K) - z) == labels[i];
  }
  return correct;
}

struct ChunkResult {
  double loss_sum = 0;  // chunk mean loss * images in the chunk
  long correct = 0;
};

// Forward (and backward with seed n/N into grad) over images [start, start+n).
ChunkResult run_chunk(const Model& model, const Dataset& data, long start, int n, long total,
                      const Scalar* w, Scalar* grad) {
  Graph g;
  std::vector<Var> params = parameter_leaves(g, model, w, grad);
  Var x = g.constant(Tensor::view(data.images.data() + start * kImagePixels, {n, kImagePixels}));
  std::vector<int> labels(data.labels.begin() + start, data.labels.begin() + start + n);
  Var out = model.forward(g, params, x);
  ChunkResult r;
  if (model.is_classifier()) r.correct = count_correct(g.value(out), labels);
  Var loss = model.loss(g, out, x, std::move(labels));
  r.loss_sum = double(g.value(loss)[0]) * n;
  if (grad) g.backward(loss, Scalar(double(n) / double(total)));
  return r;
}

// One thread's gradient sum. Chunks add into `recent` (Scalar); every kChunksPerFlush chunks it
// is added into `earlier` (Accum, double) and cleared, so no float32 sum runs over more than
// kChunksPerFlush chunk gradients. With one float32 buffer for all of a thread's chunks (7,500
// LeNet chunks on 1 thread) the 1- and 2-thread gradients were 5e-5 apart relative to the
// largest component; in two stages they differ by rounding alone (bench/README.md).
inline constexpr int kChunksPerFlush = 16;

struct GradientSum {
  std::vector<Scalar> recent;  // [P] the latest chunks
  std::vector<Accum> earlier;  // [P] the chunks before them; empty until the first flush
  int pending = 0;             // chunks in `recent`

  void flush() {
    if (earlier.empty()) earlier.assign(recent.size(), Accum(0));
    for (size_t i = 0; i < recent.size(); ++i) earlier[i] += recent[i];
    std::fill(recent.begin(), recent.end(), Scalar(0));
    pending = 0;
  }
};

// grad [P] = the sum over threads, in thread order and in double, of each thread's sum.
void add_thread_sums(std::vector<GradientSum>& sums, Scalar* grad) {
  const size_t P = sums[0].recent.size();
  bool flushed = false;
  for (const GradientSum& ts : sums) flushed = flushed || !ts.earlier.empty();
  if (!flushed) {  // at most 16 chunks per thread (an SGD step): one buffer per thread
    std::copy(sums[0].recent.begin(), sums[0].recent.end(), grad);
    for (size_t t = 1; t < sums.size(); ++t) {
      const Scalar* r = sums[t].recent.data();
#pragma omp simd
      for (size_t i = 0; i < P; ++i) grad[i] += r[i];
    }
    return;
  }
  for (GradientSum& ts : sums) ts.flush();  // every chunk now in `earlier`
  for (size_t i = 0; i < P; ++i) {
    Accum s = 0;
    for (const GradientSum& ts : sums) s += ts.earlier[i];
    grad[i] = Scalar(s);
  }
}

// A parallel region costs a fork and a join, and on a shared machine the join can wait a whole
// scheduler time slice for a thread the OS has set aside: an FCP SGD step (16 MFLOP) took
// 0.24 ms on one thread and 12 ms on two at load 5 (bench/README.md). Work below this many
// FLOPs runs on the calling thread.
inline constexpr double kMinParallelFlops = 50e6;
}  // namespace

DatasetLoss dataset_loss(const Model& model, const Dataset& data, const Scalar* w, Scalar* grad,
                         int chunk) {
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
      if (grad && sum.pending == kChunksPerFlush) sum.flush();
      ChunkResult r = run_chunk(model, data, start, n, N, w, grad ? sum.recent.data() : nullptr);
      ++sum.pending;
      thread_sum[t].loss_sum += r.loss_sum;
      thread_sum[t].correct += r.correct;
    });
  }
  if (failure) std::rethrow_exception(failure);

  DatasetLoss result;
  result.images = N;
  double loss_sum = 0;
  long correct = 0;
  for (int t = 0; t < threads; ++t) {
    loss_sum += thread_sum[t].loss_sum;
    correct += thread_sum[t].correct;
  }
  result.loss = loss_sum / double(N);
  result.correct = model.is_classifier() ? correct : -1;
  if (grad) add_thread_sums(thread_grad, grad);
  return result;
}

DatasetLoss dataset_loss_reference(const Model& model, const Dataset& data, const Scalar* w,
                                   Scalar* grad) {
  const long N = data.size();
  if (grad) std::fill(grad, grad + model.num_params(), Scalar(0));
  double loss_sum = 0;
  long correct = 0;
  for (long i = 0; i < N; ++i) {
    ChunkResult r = run_chunk(model, data, i, 1, N, w, grad);
    loss_sum += r.loss_sum;
    correct += r.correct;
  }
  DatasetLoss result;
  result.images = N;
  result.loss = loss_sum / double(N);
  result.correct = model.is_classifier() ? correct : -1;
  return result;
}

}  // namespace landscape
