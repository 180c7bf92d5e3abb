// Tensor storage and the BLAS wrappers against their plain-loop twins.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/blas.hpp"
#include "core/error.hpp"
#include "core/tensor.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using blas::Trans;

TEST(Tensor, OwningIsZeroFilledAndClonesDeeply) {
  Tensor t({2, 3});
  EXPECT_EQ(t.size(), 6u);
  for (size_t i = 0; i < t.size(); ++i) EXPECT_EQ(t[i], 0);
  Tensor c = t.clone();
  c[0] = 5;
  EXPECT_EQ(t[0], 0);
}

TEST(Tensor, ViewWritesThrough) {
  std::vector<Scalar> buf(6, 0);
  Tensor v = Tensor::view(buf.data(), {3, 2});
  v[4] = 7;
  EXPECT_EQ(buf[4], 7);
  EXPECT_FALSE(v.owns());
}

TEST(Tensor, ReshapeChecksSize) {
  Tensor t({2, 3});
  EXPECT_EQ(t.reshaped({3, 2}).shape(), (Shape{3, 2}));
  EXPECT_THROW(t.reshaped({4, 2}), Error);
  EXPECT_THROW(Tensor({2}, {1, 2, 3}), Error);
}

template <class T>
void check_gemm_against_reference(double tol) {
  const int M = 7, N = 5, K = 9;
  for (Trans ta : {Trans::No, Trans::Yes})
    for (Trans tb : {Trans::No, Trans::Yes}) {
      std::vector<T> A(M * K), B(K * N), C1(M * N, T(0.5)), C2(M * N, T(0.5));
      for (size_t i = 0; i < A.size(); ++i) A[i] = T(std::sin(0.3 * i));
      for (size_t i = 0; i < B.size(); ++i) B[i] = T(std::cos(0.7 * i));
      const int lda = ta == Trans::No ? K : M, ldb = tb == Trans::No ? N : K;
      blas::gemm<T>(ta, tb, M, N, K, T(1.5), A.data(), lda, B.data(), ldb, T(0.25), C1.data(), N);
      blas::gemm_reference<T>(ta, tb, M, N, K, T(1.5), A.data(), lda, B.data(), ldb, T(0.25), C2.data(), N);
      for (int i = 0; i < M * N; ++i) EXPECT_NEAR(C1[i], C2[i], tol);
    }
}

TEST(Blas, GemmEqualsPlainLoopsFloat) { check_gemm_against_reference<float>(1e-5); }
TEST(Blas, GemmEqualsPlainLoopsDouble) { check_gemm_against_reference<double>(1e-13); }

TEST(Blas, SyrkUpperIsGram) {
  const int N = 4, K = 6;
  std::vector<double> A(N * K), C(N * N, 0);
  for (int i = 0; i < N * K; ++i) A[i] = std::sin(1.0 + i);
  blas::syrk_upper<double>(N, K, 1.0, A.data(), K, 0.0, C.data(), N);
  for (int i = 0; i < N; ++i)
    for (int j = i; j < N; ++j) {
      double s = 0;
      for (int k = 0; k < K; ++k) s += A[i * K + k] * A[j * K + k];
      EXPECT_NEAR(C[i * N + j], s, 1e-12);
    }
}

TEST(Blas, SymmetricEigenReconstructsMatrix) {
  const int N = 5;
  std::vector<double> S(N * N);
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) S[i * N + j] = 1.0 / (1 + i + j) + (i == j ? 1 : 0);
  std::vector<double> V = S, w(N);
  blas::symmetric_eigen(N, V.data(), w.data());
  for (int i = 1; i < N; ++i) EXPECT_LE(w[i - 1], w[i]);
  // S v_k = w_k v_k for each column k
  for (int k = 0; k < N; ++k)
    for (int i = 0; i < N; ++i) {
      double sv = 0;
      for (int j = 0; j < N; ++j) sv += S[i * N + j] * V[j * N + k];
      EXPECT_NEAR(sv, w[k] * V[i * N + k], 1e-12);
    }
}

}  // namespace
}  // namespace landscape
