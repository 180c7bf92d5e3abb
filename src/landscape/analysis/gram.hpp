// Gram matrices of stacks of weight vectors, in double, for kernel PCA and PCA
// (docs/algorithms.md §7.3).
//
// Legend: N vectors of the fitted stack X, M vectors of a second stack Y, P components of a
// vector (the parameters of a network: 60,000 or so). Stacks are Tensors [N, P] of Scalar, as
// read_npy delivers them; every product below is formed and returned in double.
//
// Why double, and why in chunks of columns: the kPCA arithmetic is double whatever the build
// precision, because the RBF kernel needs |x - y|^2 = |x|^2 + |y|^2 - 2 x.y, where a float Gram
// of 60,000-long sums loses the small distances between nearby weight vectors. A double copy of
// 1,000 x 60,000 weights would take 480 MB, so we convert a block of columns at a time (at most
// kChunkDoubles values, 32 MB) and let dsyrk/dgemm accumulate the block products into the
// result. The cost is the BLAS product itself (N^2 P / 2 multiply-adds: seconds for
// 1,000 x 60,000), the conversion is one pass over the data.
//
// `shift` [P] (may be empty = zero) is subtracted from every vector before the products:
// kernel PCA passes the mean vector for the RBF kernel, whose distances do not change under a
// shift but lose far fewer digits when the large common part of the vectors is removed; PCA
// passes the mean to obtain the centred Gram matrix.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace landscape {

inline constexpr long kChunkDoubles = 1L << 22;  // 4 Mi doubles = 32 MB of converted columns

// mean[P] = (1/N) sum_i X[i, :], accumulated in double row after row.
std::vector<double> column_mean(const Tensor& X /*[N,P]*/);

// G[N,N] = (X - shift)(X - shift)^T, full symmetric matrix (row-major).
// chunk_doubles bounds the converted block (tests make it small to cross block edges).
std::vector<double> gram(const Tensor& X /*[N,P]*/, const std::vector<double>& shift /*[P]*/,
                         long chunk_doubles = kChunkDoubles);
// C[M,N] = (Y - shift)(X - shift)^T.
std::vector<double> cross_gram(const Tensor& Y /*[M,P]*/, const Tensor& X /*[N,P]*/,
                               const std::vector<double>& shift /*[P]*/, long chunk_doubles = kChunkDoubles);
// S[P,P] = (X - shift)^T (X - shift), the scatter matrix (blocks of rows; for P small).
std::vector<double> scatter(const Tensor& X /*[N,P]*/, const std::vector<double>& shift /*[P]*/,
                            long chunk_doubles = kChunkDoubles);

// Plain-loop twins: the same results from the definitions, one sum per entry.
std::vector<double> gram_reference(const Tensor& X, const std::vector<double>& shift);
std::vector<double> cross_gram_reference(const Tensor& Y, const Tensor& X, const std::vector<double>& shift);
std::vector<double> scatter_reference(const Tensor& X, const std::vector<double>& shift);

}  // namespace landscape
