// Thin wrappers over OpenBLAS/LAPACK, row-major, for float and double.
// Each fast routine has a plain-loop twin (suffix _reference) with the same signature;
// tests compare the two.
#pragma once

#include <string>

namespace landscape::blas {

enum class Trans { No, Yes };

// C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C[M,N]   (row-major; ld* = row strides)
template <class T>
void gemm(Trans ta, Trans tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, T beta,
          T* C, int ldc);
template <class T>
void gemm_reference(Trans ta, Trans tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B,
                    int ldb, T beta, T* C, int ldc);

// C[N,N] (upper triangle) = alpha * A[N,K] * A[N,K]^T + beta * C   (the Gram matrix)
template <class T>
void syrk_upper(int N, int K, T alpha, const T* A, int lda, T beta, T* C, int ldc);

// Eigen-decomposition of a symmetric A[N,N] (upper triangle read): eigenvalues ascending in
// w[N]; A is overwritten by the eigenvectors, one per column (row-major). Throws on failure.
void symmetric_eigen(int N, double* A, double* w);

template <class T>
T dot(int n, const T* x, const T* y);
template <class T>
void axpy(int n, T alpha, const T* x, T* y);  // y += alpha * x

// Threads OpenBLAS uses outside our own parallel regions, and a description of the library.
void set_threads(int n);
int threads();
std::string library_description();  // e.g. "OpenBLAS 0.3.21 (OpenMP threading, Haswell)"
// The kernel set OpenBLAS picked for this CPU at run time (DYNAMIC_ARCH), e.g. "SkylakeX":
// bench/README.md "Machine kinds" (an AMD EPYC ran the Cooperlake kernels).
std::string core_name();

}  // namespace landscape::blas
