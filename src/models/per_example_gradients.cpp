#include "models/per_example_gradients.hpp"

#include <omp.h>

#include <algorithm>
#include <exception>

#include "core/error.hpp"
#include "models/dataset_chunks.hpp"

namespace landscape {

std::vector<double> per_example_gradients(const Model& model, const Dataset& data, const Scalar* w) {
  const long N = data.size();
  if (N == 0) throw Error("per_example_gradients: the dataset is empty");
  const size_t P = model.num_params();
  std::vector<double> G(size_t(N) * P);
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  std::exception_ptr failure;
#pragma omp parallel num_threads(threads)
  {
    omp_set_num_threads(1);  // BLAS inside runs on this thread (see dataset_loss.cpp)
    std::vector<Scalar> g(P);
    for_each_chunk(N, 1, failure, [&](long n, int) {
      std::fill(g.begin(), g.end(), Scalar(0));
      run_chunk(model, data, n, 1, 1, w, g.data());
      std::copy(g.begin(), g.end(), G.begin() + std::ptrdiff_t(size_t(n) * P));
    });
  }
  if (failure) std::rethrow_exception(failure);
  return G;
}

}  // namespace landscape
