// The sparse-input products (core/sparse_rows) against dense plain loops, and the linear layer's
// sparse path (a constant input that is mostly zeros, like MNIST images) against its dense path
// and against float64 central differences.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "autodiff/ops.hpp"
#include "core/blas.hpp"
#include "core/sparse_rows.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using blas::Trans;
using testing::random_tensor;

// rows x cols values in [-1, 1], each zero with probability `zeros` (MNIST: 0.81).
Tensor mostly_zeros(int rows, int cols, double zeros, unsigned seed) {
  Tensor t = random_tensor({rows, cols}, seed);
  Tensor coin = random_tensor({rows, cols}, seed + 1000, 0, 1);
  for (size_t i = 0; i < t.size(); ++i)
    if (coin[i] < zeros) t[i] = 0;
  return t;
}

double largest_relative_difference(const Scalar* a, const Scalar* b, size_t n) {
  double worst = 0;
  for (size_t i = 0; i < n; ++i)
    worst = std::max(worst, std::abs(double(a[i]) - b[i]) / std::max(1.0, std::abs(double(b[i]))));
  return worst;
}

const double kRoundoff = testing::kFloat64 ? 1e-13 : 1e-5;

// Widths around the block of 16 the compression reads and rows with nothing, everything, NaN,
// -0 and negative values: the fast compression and the plain loop agree entry for entry, and
// the entries rebuild the matrix.
TEST(SparseRows, FastCompressionEqualsPlainLoop) {
  for (int cols : {1, 5, 8, 15, 16, 17, 31, 33, 784}) {
    const int rows = 9;
    Tensor x = mostly_zeros(rows, cols, 0.8, unsigned(cols));
    for (int c = 0; c < cols; ++c) x[size_t(1) * cols + c] = 0;              // an empty row
    for (int c = 0; c < cols; ++c) x[size_t(2) * cols + c] = Scalar(c + 1);  // a full row
    x[size_t(3) * cols] = std::numeric_limits<Scalar>::quiet_NaN();
    x[size_t(4) * cols + cols - 1] = Scalar(-0.0);
    const SparseRows fast = SparseRows::of(x.data(), rows, cols);
    const SparseRows plain = SparseRows::of_reference(x.data(), rows, cols);
    ASSERT_EQ(fast.row_start, plain.row_start) << "cols " << cols;
    ASSERT_EQ(fast.column, plain.column) << "cols " << cols;
    ASSERT_EQ(fast.value.size(), plain.value.size());
    EXPECT_EQ(0, std::memcmp(fast.value.data(), plain.value.data(), plain.value.size() * sizeof(Scalar)))
        << "cols " << cols;
    EXPECT_EQ(plain.row_start[2] - plain.row_start[1], 0);
    EXPECT_EQ(plain.row_start[3] - plain.row_start[2], cols);
    EXPECT_TRUE(std::isnan(plain.value[size_t(plain.row_start[3])]));
    std::vector<Scalar> rebuilt(x.size(), 0);
    for (int r = 0; r < rows; ++r)
      for (int k = plain.row_start[r]; k < plain.row_start[r + 1]; ++k)
        rebuilt[size_t(r) * cols + plain.column[k]] = plain.value[k];
    for (size_t i = 0; i < x.size(); ++i) {
      if (std::isnan(x[i])) continue;
      EXPECT_EQ(rebuilt[i], x[i]) << "cols " << cols << ", entry " << i;
    }
  }
}

// Output widths below, at and above the kernel's tile (8) and register group (64), over
// inputs from empty to dense: both products equal the dense plain-loop products.
TEST(SparseRows, ProductsEqualDensePlainLoops) {
  const int N = 23, I = 40;
  for (double zeros : {0.0, 0.8, 1.0})
    for (int O : {1, 3, 8, 9, 50, 64, 65, 130}) {
      const Tensor x = mostly_zeros(N, I, zeros, unsigned(O));
      const Tensor w = random_tensor({O, I}, 7), dy = random_tensor({N, O}, 8);
      const SparseRows sparse = SparseRows::of(x.data(), N, I);
      auto expect_dense = [&](const Tensor& got, const Tensor& dense, const char* what) {
        EXPECT_LT(largest_relative_difference(got.data(), dense.data(), got.size()), kRoundoff)
            << what << ", O = " << O << ", zeros " << zeros;
      };

      Tensor y = random_tensor({N, O}, 9), y_dense = y.clone();
      add_sparse_input_product(sparse, w.data(), O, y.data());
      blas::gemm_reference(Trans::No, Trans::Yes, N, O, I, Scalar(1), x.data(), I, w.data(), I, Scalar(1),
                           y_dense.data(), O);
      expect_dense(y, y_dense, "forward");

      Tensor dw = random_tensor({O, I}, 10), dw_dense = dw.clone();
      add_sparse_input_weight_adjoint(sparse, dy.data(), O, dw.data());
      blas::gemm_reference(Trans::Yes, Trans::No, O, I, N, Scalar(1), dy.data(), O, x.data(), I, Scalar(1),
                           dw_dense.data(), I);
      expect_dense(dw, dw_dense, "weight gradient");
    }
}

// y = linear(x, w[, b]) and the gradients of a fixed weighting of y. With x a constant the
// layer takes the sparse path; with x a parameter (it then needs dx) the dense one.
struct LinearRun {
  std::vector<Scalar> y, dw, db;
};
LinearRun run_linear(const Tensor& x, const Tensor& w, const Tensor* b, bool x_is_constant) {
  Graph g;
  Tensor dx(x.shape()), dw(w.shape()), db(b ? b->shape() : Shape{1});
  Var xv = x_is_constant ? g.constant(x) : g.parameter(x, dx);
  Var wv = g.parameter(w, dw);
  Var y = b ? linear(g, xv, wv, g.parameter(*b, db)) : linear(g, xv, wv);
  const Tensor& Y = g.value(y);
  LinearRun r{{Y.data(), Y.data() + Y.size()}, {}, {}};
  Tensor target = random_tensor(Y.shape(), 11);
  g.backward(mse(g, y, g.constant(std::move(target))));
  r.dw.assign(dw.data(), dw.data() + dw.size());
  r.db.assign(db.data(), db.data() + db.size());
  return r;
}

TEST(SparseRows, LinearLayerSparsePathEqualsDensePath) {
  const Tensor x = mostly_zeros(kSparseInputMinRows + 2, 784, 0.81, 20);
  const Tensor w = random_tensor({50, 784}, 21);
  const Tensor b = random_tensor({50}, 22);
  for (const Tensor* bias : {static_cast<const Tensor*>(nullptr), &b}) {
    const LinearRun sparse = run_linear(x, w, bias, true), dense = run_linear(x, w, bias, false);
    EXPECT_LT(largest_relative_difference(sparse.y.data(), dense.y.data(), dense.y.size()), kRoundoff);
    EXPECT_LT(largest_relative_difference(sparse.dw.data(), dense.dw.data(), dense.dw.size()), kRoundoff);
    EXPECT_LT(largest_relative_difference(sparse.db.data(), dense.db.data(), dense.db.size()), kRoundoff);
  }
}

// The sparse path's weight gradient against float64 central differences of the loss.
TEST(SparseRows, LinearLayerSparsePathGradientMatchesFiniteDifferences) {
  if (!testing::kFloat64) GTEST_SKIP() << "finite-difference checks run in the float64 build";
  const int N = kSparseInputMinRows;
  const Tensor x = mostly_zeros(N, 40, 0.8, 30);
  Tensor w = random_tensor({5, 40}, 31);
  const Tensor target = random_tensor({N, 5}, 32);
  auto loss = [&](const Tensor& weights, Tensor* grad) {
    Graph g;
    Tensor sink(weights.shape());
    Var y = linear(g, g.constant(x), g.parameter(weights, sink));
    Var l = mse(g, softplus(g, y), g.constant(target));
    if (grad) {
      g.backward(l);
      *grad = sink.clone();
    }
    return double(g.value(l)[0]);
  };
  Tensor analytic;
  loss(w, &analytic);
  double worst = 0;
  const double h = 1e-6;
  for (size_t i = 0; i < w.size(); ++i) {
    const Scalar keep = w[i];
    w[i] = keep + h;
    const double up = loss(w, nullptr);
    w[i] = keep - h;
    const double down = loss(w, nullptr);
    w[i] = keep;
    worst = std::max(worst, std::abs((up - down) / (2 * h) - analytic[i]));
  }
  EXPECT_LT(worst, 1e-8);
}

// A skipped zero must not hide a non-finite weight: inf in a column where every input is zero
// gives NaN outputs, as the dense product (and PyTorch) do.
TEST(SparseRows, LinearLayerWithInfiniteWeightStillGivesNaN) {
  const int N = kSparseInputMinRows;
  Tensor x = mostly_zeros(N, 20, 0.8, 40);
  for (int n = 0; n < N; ++n) x[size_t(n) * 20 + 3] = 0;
  Tensor w = random_tensor({6, 20}, 41);
  w[3] = std::numeric_limits<Scalar>::infinity();  // w[0, 3]
  Graph g;
  const Tensor& y = g.value(linear(g, g.constant(x), g.constant(w)));
  for (int n = 0; n < N; ++n) EXPECT_TRUE(std::isnan(y[size_t(n) * 6])) << "image " << n;
}

}  // namespace
}  // namespace landscape
