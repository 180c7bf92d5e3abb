#include "landscape/analysis/gram.hpp"

#include <algorithm>
#include <string>

#include "core/blas.hpp"
#include "core/error.hpp"

namespace landscape {

namespace {

void require_stack(const Tensor& X, const char* what) {
  require(X.rank() == 2,
          std::string(what) + " must be a stack [N, P] of vectors, got " + shape_string(X.shape()));
}

void require_shift(const std::vector<double>& shift, int P) {
  require(shift.empty() || static_cast<int>(shift.size()) == P,
          "shift has " + std::to_string(shift.size()) + " components, vectors have " + std::to_string(P));
}

// out[R, pc] = double(X[r0 + r, p0 + j]) - shift[p0 + j]: a block of X converted to double.
void convert_block(const Tensor& X, int r0, int R, int p0, int pc, const std::vector<double>& shift,
                   double* out) {
  const int P = X.dim(1);
  const Scalar* x = X.data();
  // Threads only where the block is worth it: small stacks (tests) stay on one thread.
  const bool large = static_cast<long>(R) * pc >= (1L << 16);
#pragma omp parallel for schedule(static) if (large)
  for (int r = 0; r < R; ++r) {
    const Scalar* row = x + static_cast<size_t>(r0 + r) * P + p0;
    double* o = out + static_cast<size_t>(r) * pc;
    if (shift.empty())
      for (int j = 0; j < pc; ++j) o[j] = static_cast<double>(row[j]);
    else
      for (int j = 0; j < pc; ++j) o[j] = static_cast<double>(row[j]) - shift[p0 + j];
  }
}

// Columns per block so that `rows` rows of the block fit in chunk_doubles.
int block_columns(long rows, int P, long chunk_doubles) {
  return static_cast<int>(std::clamp<long>(chunk_doubles / std::max(rows, 1L), 1L, P));
}

}  // namespace

std::vector<double> column_mean(const Tensor& X) {
  require_stack(X, "column_mean: X");
  const int N = X.dim(0), P = X.dim(1);
  std::vector<double> mean(P, 0.0);
  for (int i = 0; i < N; ++i) {
    const Scalar* row = X.data() + static_cast<size_t>(i) * P;
    for (int p = 0; p < P; ++p) mean[p] += static_cast<double>(row[p]);
  }
  for (double& m : mean) m /= N;
  return mean;
}

std::vector<double> gram(const Tensor& X, const std::vector<double>& shift, long chunk_doubles) {
  require_stack(X, "gram: X");
  const int N = X.dim(0), P = X.dim(1);
  require_shift(shift, P);
  std::vector<double> G(static_cast<size_t>(N) * N, 0.0);
  const int chunk = block_columns(N, P, chunk_doubles);
  std::vector<double> block(static_cast<size_t>(N) * chunk);
  for (int p0 = 0; p0 < P; p0 += chunk) {
    const int pc = std::min(chunk, P - p0);
    convert_block(X, 0, N, p0, pc, shift, block.data());
    // G (upper) += block[N,pc] block^T
    blas::syrk_upper<double>(N, pc, 1.0, block.data(), pc, 1.0, G.data(), N);
  }
  for (int i = 0; i < N; ++i)  // mirror the upper triangle that syrk wrote
    for (int j = i + 1; j < N; ++j) G[static_cast<size_t>(j) * N + i] = G[static_cast<size_t>(i) * N + j];
  return G;
}

std::vector<double> cross_gram(const Tensor& Y, const Tensor& X, const std::vector<double>& shift,
                               long chunk_doubles) {
  require_stack(Y, "cross_gram: Y");
  require_stack(X, "cross_gram: X");
  const int M = Y.dim(0), N = X.dim(0), P = X.dim(1);
  require(Y.dim(1) == P, "cross_gram: new vectors have " + std::to_string(Y.dim(1)) +
                             " components, the fitted ones " + std::to_string(P));
  require_shift(shift, P);
  std::vector<double> C(static_cast<size_t>(M) * N, 0.0);
  const int chunk = block_columns(static_cast<long>(M) + N, P, chunk_doubles);
  std::vector<double> yb(static_cast<size_t>(M) * chunk), xb(static_cast<size_t>(N) * chunk);
  for (int p0 = 0; p0 < P; p0 += chunk) {
    const int pc = std::min(chunk, P - p0);
    convert_block(Y, 0, M, p0, pc, shift, yb.data());
    convert_block(X, 0, N, p0, pc, shift, xb.data());
    // C[M,N] += yb[M,pc] xb[N,pc]^T
    blas::gemm<double>(blas::Trans::No, blas::Trans::Yes, M, N, pc, 1.0, yb.data(), pc, xb.data(), pc, 1.0,
                       C.data(), N);
  }
  return C;
}

std::vector<double> scatter(const Tensor& X, const std::vector<double>& shift, long chunk_doubles) {
  require_stack(X, "scatter: X");
  const int N = X.dim(0), P = X.dim(1);
  require_shift(shift, P);
  std::vector<double> S(static_cast<size_t>(P) * P, 0.0);
  const int rows = static_cast<int>(std::clamp<long>(chunk_doubles / P, 1L, N));
  std::vector<double> block(static_cast<size_t>(rows) * P);
  for (int r0 = 0; r0 < N; r0 += rows) {
    const int R = std::min(rows, N - r0);
    convert_block(X, r0, R, 0, P, shift, block.data());
    // S[P,P] += block[R,P]^T block[R,P]
    blas::gemm<double>(blas::Trans::Yes, blas::Trans::No, P, P, R, 1.0, block.data(), P, block.data(), P, 1.0,
                       S.data(), P);
  }
  return S;
}

// ---- plain-loop twins -------------------------------------------------------------------------

namespace {
double shifted(const Tensor& X, int i, int p, const std::vector<double>& shift) {
  const double v = static_cast<double>(X.data()[static_cast<size_t>(i) * X.dim(1) + p]);
  return shift.empty() ? v : v - shift[p];
}
}  // namespace

std::vector<double> gram_reference(const Tensor& X, const std::vector<double>& shift) {
  return cross_gram_reference(X, X, shift);
}

std::vector<double> cross_gram_reference(const Tensor& Y, const Tensor& X, const std::vector<double>& shift) {
  const int M = Y.dim(0), N = X.dim(0), P = X.dim(1);
  std::vector<double> C(static_cast<size_t>(M) * N);
  for (int a = 0; a < M; ++a)
    for (int b = 0; b < N; ++b) {
      double sum = 0;
      for (int p = 0; p < P; ++p) sum += shifted(Y, a, p, shift) * shifted(X, b, p, shift);
      C[static_cast<size_t>(a) * N + b] = sum;
    }
  return C;
}

std::vector<double> scatter_reference(const Tensor& X, const std::vector<double>& shift) {
  const int N = X.dim(0), P = X.dim(1);
  std::vector<double> S(static_cast<size_t>(P) * P);
  for (int p = 0; p < P; ++p)
    for (int q = 0; q < P; ++q) {
      double sum = 0;
      for (int i = 0; i < N; ++i) sum += shifted(X, i, p, shift) * shifted(X, i, q, shift);
      S[static_cast<size_t>(p) * P + q] = sum;
    }
  return S;
}

}  // namespace landscape
