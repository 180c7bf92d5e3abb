// Thread count policy. The user owns it: OMP_NUM_THREADS, or --threads on the command line.
// We parallelise at the outermost independent unit (data chunks, path points, grid points) and
// run OpenBLAS single-threaded inside those regions; OpenBLAS's OpenMP build does that by itself
// inside a parallel region. Outside our regions (one big gemm), OpenBLAS uses the same count.
#pragma once

namespace landscape {

void set_num_threads(int n);  // n <= 0: keep OpenMP's default (OMP_NUM_THREADS or cores)
int num_threads();
int thread_index();  // 0 outside a parallel region

}  // namespace landscape
