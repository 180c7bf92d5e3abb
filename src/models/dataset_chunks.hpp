// How dataset_loss and dataset_hvp cut N images into chunks and share them among threads
// (dataset_loss.hpp): a fixed, contiguous range of chunks per thread (static schedule), so the
// same thread count gives the same sums.
#pragma once

#include <algorithm>
#include <exception>

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

}  // namespace landscape
