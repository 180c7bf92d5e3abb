// How dataset_loss, dataset_loss_many, dataset_hvp and dataset_ggn_product cut N images into chunks and share them
// among threads (dataset_loss.hpp): a fixed, contiguous range of chunks per thread (static
// schedule), so the same thread count gives the same sums; and the pieces the two loss loops
// share: one chunk's graph, and a thread's two-stage gradient sum.
#pragma once

#include <omp.h>

#include <algorithm>
#include <exception>
#include <vector>

#include "core/scalar.hpp"
#include "io/mnist.hpp"
#include "models/dataset_loss.hpp"
#include "models/model.hpp"

namespace landscape {

// Images per chunk: `chunk` when > 0, else min(model.chunk_images(), ceil(N / threads)), so
// small batches use every thread.
inline int chunk_size(const Model& model, long N, int threads, int chunk) {
  return chunk > 0 ? chunk : int(std::min<long>(model.chunk_images(), (N + threads - 1) / threads));
}

// Inside a parallel region: body(start, n) on this thread's chunks [start, start + n) of the N
// images. The first exception a chunk throws is kept in `failure` (the caller rethrows it after
// the region); the other chunks still run.
template <class Body>
void for_each_chunk(long N, int chunk, std::exception_ptr& failure, Body&& body) {
  const long chunks = (N + chunk - 1) / chunk;
#pragma omp for schedule(static)
  for (long c = 0; c < chunks; ++c) {
    try {
      const long start = c * chunk;
      body(start, int(std::min<long>(chunk, N - start)));
    } catch (...) {
#pragma omp critical(dataset_chunk_failure)
      if (!failure) failure = std::current_exception();
    }
  }
}

// The loops of dataset_hvp and dataset_ggn_product: every thread (one inside a parallel region)
// with its own State (its running sums and its chunk buffers, prepared by start(state)) runs
// body(first, n, state) on its chunks of the N images (chunk_size(model, N, threads, chunk));
// the states come back in thread order, to be added in that order (the same bits for the same
// thread count). BLAS inside runs on the calling thread.
template <class State, class Start, class Chunk>
std::vector<State> thread_states_over_chunks(const Model& model, long N, int chunk, Start&& start,
                                             Chunk&& body) {
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  chunk = chunk_size(model, N, threads, chunk);
  std::vector<State> states(threads);
  std::exception_ptr failure;
#pragma omp parallel num_threads(threads)
  {
    omp_set_num_threads(1);  // BLAS inside runs on this thread (see dataset_loss.cpp)
    State& state = states[omp_get_thread_num()];
    start(state);
    for_each_chunk(N, chunk, failure, [&](long first, int n) { body(first, n, state); });
  }
  if (failure) std::rethrow_exception(failure);
  return states;
}

// The mean loss and the correct count from the thread states' loss_sum and correct, added in
// thread order.
template <class State>
DatasetLoss mean_of_thread_states(const Model& model, const std::vector<State>& states, long N) {
  DatasetLoss result;
  result.images = N;
  result.correct = model.is_classifier() ? 0 : -1;
  for (const State& s : states) {
    result.loss += s.loss_sum / double(N);
    if (model.is_classifier()) result.correct += s.correct;
  }
  return result;
}

// out[i] = the sum over the thread states of (s.*member)[i], added in thread order: the same
// order, so the same bits, for a given thread count.
template <class State, class Value>
void add_thread_vectors(const std::vector<State>& states, std::vector<Value> State::*member, Scalar* out) {
  const std::size_t n = states.empty() ? 0 : (states.front().*member).size();
  for (std::size_t i = 0; i < n; ++i) {
    Value total = 0;
    for (const State& s : states) total += (s.*member)[i];
    out[i] = Scalar(total);
  }
}

// A parallel region costs a fork and a join, and on a shared machine the join can wait a whole
// scheduler time slice for a thread the OS has set aside: an FCP SGD step (16 MFLOP) took
// 0.24 ms on one thread and 12 ms on two at load 5 (bench/README.md). Work below this many
// FLOPs runs on the calling thread.
inline constexpr double kMinParallelFlops = 50e6;

struct ChunkResult {
  double loss_sum = 0;  // chunk mean loss * images in the chunk
  long correct = 0;     // images whose largest logit is their label (classifiers)
  ChunkResult& operator+=(const ChunkResult& r) {
    loss_sum += r.loss_sum;
    correct += r.correct;
    return *this;
  }
};

// The mean loss and accuracy of N images from their sums.
DatasetLoss dataset_mean(const Model& model, const ChunkResult& sum, long N);

// The input layer's output for one chunk, computed outside the graph (dataset_loss_many):
// z is its value, dz (empty when no gradient is wanted) receives d(loss share)/dz.
struct InputLayerOutput {
  Tensor z, dz;
};

// Forward (and backward with seed n/total into grad, unless grad is nullptr) over images
// [start, start+n). With `first` the graph starts from the input layer's output
// (Model::forward_from_input_layer) instead of the images.
ChunkResult run_chunk(const Model& model, const Dataset& data, long start, int n, long total, const Scalar* w,
                      Scalar* grad, const InputLayerOutput* first = nullptr);

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

  // The buffer the next chunk adds into (flushing `recent` first when it holds enough).
  Scalar* next_chunk_buffer() {
    if (pending == kChunksPerFlush) flush();
    ++pending;
    return recent.data();
  }
  void flush();
};

// grad [P] = the sum over threads, in thread order and in double, of each thread's sum.
void add_thread_sums(std::vector<GradientSum>& sums, Scalar* grad);

}  // namespace landscape
