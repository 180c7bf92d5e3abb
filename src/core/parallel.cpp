#include "core/parallel.hpp"

#include <omp.h>

#include "core/blas.hpp"

namespace landscape {

void set_num_threads(int n) {
  if (n <= 0) n = omp_get_max_threads();
  omp_set_num_threads(n);
  omp_set_max_active_levels(1);  // no nested teams: inner loops run on the calling thread
  blas::set_threads(n);
}

int num_threads() { return omp_get_max_threads(); }
int thread_index() { return omp_get_thread_num(); }

}  // namespace landscape
