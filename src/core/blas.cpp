#include "core/blas.hpp"

#include <cblas.h>

#include <string>
#include <vector>

#include "core/error.hpp"

extern "C" {
// LAPACK's Fortran symbol (column-major); a symmetric matrix is its own transpose, and the
// row-major eigenvector matrix is the transpose of the column-major one, which we undo below.
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w,
             double* work, const int* lwork, int* iwork, const int* liwork, int* info);
char* openblas_get_config(void);
int openblas_get_parallel(void);
}

namespace landscape::blas {

namespace {
CBLAS_TRANSPOSE cblas_trans(Trans t) { return t == Trans::Yes ? CblasTrans : CblasNoTrans; }
}  // namespace

template <>
void gemm<float>(Trans ta, Trans tb, int M, int N, int K, float alpha, const float* A, int lda,
                 const float* B, int ldb, float beta, float* C, int ldc) {
  cblas_sgemm(CblasRowMajor, cblas_trans(ta), cblas_trans(tb), M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <>
void gemm<double>(Trans ta, Trans tb, int M, int N, int K, double alpha, const double* A, int lda,
                  const double* B, int ldb, double beta, double* C, int ldc) {
  cblas_dgemm(CblasRowMajor, cblas_trans(ta), cblas_trans(tb), M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <class T>
void gemm_reference(Trans ta, Trans tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B,
                    int ldb, T beta, T* C, int ldc) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      T sum = 0;
      for (int k = 0; k < K; ++k) {
        T a = ta == Trans::No ? A[i * lda + k] : A[k * lda + i];
        T b = tb == Trans::No ? B[k * ldb + j] : B[j * ldb + k];
        sum += a * b;
      }
      C[i * ldc + j] = alpha * sum + (beta == T(0) ? T(0) : beta * C[i * ldc + j]);
    }
}
template void gemm_reference<float>(Trans, Trans, int, int, int, float, const float*, int, const float*, int,
                                    float, float*, int);
template void gemm_reference<double>(Trans, Trans, int, int, int, double, const double*, int, const double*,
                                     int, double, double*, int);

template <>
void syrk_upper<float>(int N, int K, float alpha, const float* A, int lda, float beta, float* C, int ldc) {
  cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, N, K, alpha, A, lda, beta, C, ldc);
}
template <>
void syrk_upper<double>(int N, int K, double alpha, const double* A, int lda, double beta, double* C,
                        int ldc) {
  cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, N, K, alpha, A, lda, beta, C, ldc);
}

void symmetric_eigen(int N, double* A, double* w) {
  // Row-major upper triangle == column-major lower triangle.
  const char jobz = 'V', uplo = 'L';
  int info = 0, lwork = -1, liwork = -1, iwork_query = 0;
  double work_query = 0;
  dsyevd_(&jobz, &uplo, &N, A, &N, w, &work_query, &lwork, &iwork_query, &liwork, &info);
  lwork = static_cast<int>(work_query);
  liwork = iwork_query;
  std::vector<double> work(lwork);
  std::vector<int> iwork(liwork);
  dsyevd_(&jobz, &uplo, &N, A, &N, w, work.data(), &lwork, iwork.data(), &liwork, &info);
  if (info != 0) throw Error("LAPACK dsyevd failed (info = " + std::to_string(info) + ")");
  // Column-major eigenvectors: column j is at A[j*N .. j*N+N). Transpose to row-major columns.
  for (int i = 0; i < N; ++i)
    for (int j = i + 1; j < N; ++j) std::swap(A[i * N + j], A[j * N + i]);
}

template <>
float dot<float>(int n, const float* x, const float* y) {
  return cblas_sdot(n, x, 1, y, 1);
}
template <>
double dot<double>(int n, const double* x, const double* y) {
  return cblas_ddot(n, x, 1, y, 1);
}
template <>
void axpy<float>(int n, float a, const float* x, float* y) {
  cblas_saxpy(n, a, x, 1, y, 1);
}
template <>
void axpy<double>(int n, double a, const double* x, double* y) {
  cblas_daxpy(n, a, x, 1, y, 1);
}

void set_threads(int n) { openblas_set_num_threads(n); }
int threads() { return openblas_get_num_threads(); }

std::string library_description() {
  static const char* modes[] = {"sequential", "pthreads", "OpenMP"};
  int mode = openblas_get_parallel();
  std::string s = openblas_get_config();
  s += " (threading: ";
  s += (mode >= 0 && mode <= 2) ? modes[mode] : "unknown";
  s += ", core ";
  s += openblas_get_corename();
  s += ")";
  return s;
}

std::string core_name() { return openblas_get_corename(); }

}  // namespace landscape::blas
