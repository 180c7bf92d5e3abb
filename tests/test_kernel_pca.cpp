// Kernel PCA and PCA (docs/algorithms.md §7): the BLAS Gram and kernel matrices against their plain twins,
// every kernel against scikit-learn's KernelPCA (reference_outputs/kpca_golden.csv, made by
// scripts/make_kpca_golden.py), linear kPCA == PCA, and the RBF-only separation of two sets.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/tensor.hpp"
#include "landscape/analysis/eigenpairs.hpp"
#include "landscape/analysis/gram.hpp"
#include "landscape/analysis/kernel_pca.hpp"
#include "landscape/analysis/kernels.hpp"
#include "landscape/analysis/pca.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::random_tensor;

// |a - b| <= tol * max(1, |b|) entry by entry, with a message naming the first mismatch.
void expect_close(const std::vector<double>& a, const std::vector<double>& b, double tol,
                  const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    if (!(std::fabs(a[i] - b[i]) <= tol * std::max(1.0, std::fabs(b[i])))) {
      ADD_FAILURE() << what << ": entry " << i << " is " << a[i] << ", expected " << b[i];
      return;
    }
}

// Turns each column k of A[R,C] to the sign of the same column of `like` (by the entry of largest
// |like|); returns the signs so a second matrix (the transform) can follow the first.
std::vector<double> align_signs(std::vector<double>& A, const std::vector<double>& like, int R, int C) {
  std::vector<double> signs(C, 1.0);
  for (int k = 0; k < C; ++k) {
    int best = 0;
    for (int i = 1; i < R; ++i)
      if (std::fabs(like[i * C + k]) > std::fabs(like[best * C + k])) best = i;
    signs[k] = (A[best * C + k] < 0) == (like[best * C + k] < 0) ? 1.0 : -1.0;
    for (int i = 0; i < R; ++i) A[i * C + k] *= signs[k];
  }
  return signs;
}

void apply_signs(std::vector<double>& A, const std::vector<double>& signs, int C) {
  for (size_t i = 0; i < A.size(); ++i) A[i] *= signs[i % C];
}

// ---- Gram matrices and kernels against their plain twins ------------------------------------

TEST(Gram, BlockedEqualsPlainLoops) {
  const Tensor X = random_tensor({6, 23}, 1), Y = random_tensor({4, 23}, 2);
  const std::vector<double> none, shift = column_mean(X);
  for (long chunk : {7L, 60L, kChunkDoubles}) {  // several blocks, ragged last block, one block
    const std::string at = " (chunk " + std::to_string(chunk) + ")";
    expect_close(gram(X, none, chunk), gram_reference(X, none), 1e-13, "gram" + at);
    expect_close(gram(X, shift, chunk), gram_reference(X, shift), 1e-13, "shifted gram" + at);
    expect_close(cross_gram(Y, X, shift, chunk), cross_gram_reference(Y, X, shift), 1e-13, "cross gram" + at);
    expect_close(scatter(X, shift, chunk), scatter_reference(X, shift), 1e-13, "scatter" + at);
  }
}

TEST(Gram, ColumnMeanAndWidthChecks) {
  const Tensor X({2, 3}, {1, 2, 3, 5, 6, 7});
  expect_close(column_mean(X), {3, 4, 5}, 0, "column mean");
  EXPECT_THROW(cross_gram(Tensor({2, 4}), X, {}), Error);
  EXPECT_THROW(gram(X, {1.0, 2.0}), Error);
}

TEST(Kernels, MatricesEqualTheDefinitionPairByPair) {
  const Tensor X = random_tensor({7, 11}, 3), Y = random_tensor({3, 11}, 4);
  for (const std::string name : {"rbf", "linear", "poly", "sigmoid"}) {
    const Kernel k = make_kernel(KernelParams{.kind = parse_kernel(name)}, 11);
    expect_close(kernel_matrix(k, X), cross_kernel_matrix_reference(k, X, X), 1e-12, name);
    const std::string moved = name + ", new vectors";
    expect_close(cross_kernel_matrix(k, Y, X), cross_kernel_matrix_reference(k, Y, X), 1e-12, moved);
  }
}

TEST(Kernels, DefaultsFollowThePaperAndScikitLearn) {
  // rbf: 2 sigma^2 = P (docs/algorithms.md §7), i.e. gamma = 1/P; poly and sigmoid: scikit-learn's defaults.
  EXPECT_DOUBLE_EQ(make_kernel({}, 400).gamma, 1.0 / 400);
  EXPECT_DOUBLE_EQ(make_kernel({.sigma2 = 2.0}, 400).gamma, 0.25);
  const Kernel poly = make_kernel({.kind = KernelKind::Poly}, 8);
  EXPECT_DOUBLE_EQ(poly.gamma, 1.0 / 8);
  EXPECT_EQ(poly.degree, 3);
  EXPECT_EQ(poly.coef0, 1.0);
  // exp(-|x - y|^2 / (2 sigma^2)) at |x - y|^2 = 3, 2 sigma^2 = 4.
  const Scalar x[2] = {1, 1}, y[2] = {0, -Scalar(std::sqrt(2.0)) + 1};
  const double d2 = 1 + std::pow(1 - static_cast<double>(y[1]), 2);
  EXPECT_NEAR(kernel_value(make_kernel({}, 2), x, y, 2), std::exp(-d2 / 2), 1e-15);
}

TEST(Kernels, ParameterChecksNameTheFlag) {
  EXPECT_THROW(parse_kernel("gauss"), UsageError);
  auto message = [](KernelParams p) { return testing::usage_error_of([&] { p.check(); }); };
  EXPECT_NE(message({.sigma2 = -1.0}).find("--sigma2"), std::string::npos);
  EXPECT_NE(message({.kind = KernelKind::Poly, .gamma = 0.0}).find("--gamma"), std::string::npos);
  EXPECT_NE(message({.kind = KernelKind::Poly, .degree = 0}).find("--degree"), std::string::npos);
  EXPECT_NE(message({.gamma = 1.0}).find("--gamma"), std::string::npos);  // rbf takes --sigma2
  EXPECT_NE(message({.kind = KernelKind::Linear, .sigma2 = 1.0}).find("--sigma2"), std::string::npos);
  EXPECT_EQ(message({.kind = KernelKind::Sigmoid, .gamma = 0.1, .coef0 = -2}), "");
}

// ---- kernel PCA: the steps ------------------------------------------------------------------

TEST(KernelPCA, CentredKernelHasZeroRowAndColumnSums) {
  const Tensor X = random_tensor({9, 5}, 5);
  std::vector<double> K = kernel_matrix(make_kernel({}, 5), X);
  center_kernel(K, 9, nullptr, nullptr);
  for (int i = 0; i < 9; ++i) {
    double row = 0, col = 0;
    for (int j = 0; j < 9; ++j) {
      row += K[i * 9 + j];
      col += K[j * 9 + i];
    }
    EXPECT_NEAR(row, 0, 1e-14);
    EXPECT_NEAR(col, 0, 1e-14);
  }
}

TEST(KernelPCA, EigenvectorsAreUnitDescendingWithTheSignRule) {
  const Tensor X = random_tensor({10, 6}, 6);
  for (const char* name : {"rbf", "linear", "poly", "sigmoid"}) {
    const KernelPCA kp(X, {.kind = parse_kernel(name)}, 4);
    const auto& a = kp.eigenvectors();
    const auto& l = kp.eigenvalues();
    for (int k = 0; k < 4; ++k) {
      double norm = 0, largest = 0;
      for (int i = 0; i < 10; ++i) {
        norm += a[i * 4 + k] * a[i * 4 + k];
        if (std::fabs(a[i * 4 + k]) > std::fabs(largest)) largest = a[i * 4 + k];
      }
      EXPECT_NEAR(norm, 1, 1e-12) << name;
      EXPECT_GT(largest, 0) << name << ": largest-|.| entry of component " << k;
      if (k > 0) {
        EXPECT_GE(l[k - 1], l[k]) << name;
      }
    }
    EXPECT_LE(l[0] + l[1] + l[2] + l[3], kp.eigenvalue_sum() * (1 + 1e-12)) << name;
  }
}

TEST(KernelPCA, NewVectorsAreCentredLikeTheFit) {
  // Projecting the fitted vectors again as "new" ones must give fit_transform's numbers.
  const Tensor X = random_tensor({11, 7}, 7);
  for (const char* name : {"rbf", "linear", "poly", "sigmoid"}) {
    const KernelPCA kp(X, {.kind = parse_kernel(name)}, 3);
    expect_close(kp.transform(X), kp.projections(), 1e-10, name);
  }
}

TEST(KernelPCA, ComponentsOutOfRangeAreUsageErrors) {
  const Tensor X = random_tensor({5, 3}, 8);
  EXPECT_THROW(KernelPCA(X, {}, 0), UsageError);
  EXPECT_THROW(KernelPCA(X, {}, 6), UsageError);
  EXPECT_THROW(PCA(X, 4), UsageError);  // at most min(N, P) = 3
  EXPECT_THROW(KernelPCA(X, {}, 2).transform(Tensor({1, 4})), Error);
}

// ---- against scikit-learn -------------------------------------------------------------------

struct GoldenArray {
  int rows = 0, cols = 0;
  std::vector<double> values;  // [rows, cols]
};

std::map<std::string, GoldenArray> read_golden(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::map<std::string, std::vector<std::array<double, 3>>> entries;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("case,", 0) == 0) continue;
    std::stringstream ss(line);
    std::string c, a, r, k, v;
    std::getline(ss, c, ',');
    std::getline(ss, a, ',');
    std::getline(ss, r, ',');
    std::getline(ss, k, ',');
    std::getline(ss, v, ',');
    entries[c + "/" + a].push_back({std::stod(r), std::stod(k), std::stod(v)});
  }
  std::map<std::string, GoldenArray> out;
  for (const auto& [key, list] : entries) {
    GoldenArray g;
    for (const auto& e : list) {
      g.rows = std::max(g.rows, static_cast<int>(e[0]) + 1);
      g.cols = std::max(g.cols, static_cast<int>(e[1]) + 1);
    }
    g.values.assign(static_cast<size_t>(g.rows) * g.cols, 0.0);
    for (const auto& e : list) g.values[static_cast<int>(e[0]) * g.cols + static_cast<int>(e[1])] = e[2];
    out[key] = g;
  }
  return out;
}

Tensor to_tensor(const GoldenArray& g) {
  Tensor t({g.rows, g.cols});
  for (size_t i = 0; i < g.values.size(); ++i) t[i] = static_cast<Scalar>(g.values[i]);
  return t;
}

class ScikitLearn : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::kFloat64) GTEST_SKIP() << "the 1e-8 comparison with scikit-learn runs in the float64 build";
    golden_ = read_golden(testing::reference_path("kpca_golden.csv"));
    ASSERT_TRUE(golden_.count("data/X") && golden_.count("data/Y"));
    X_ = to_tensor(golden_["data/X"]);
    Y_ = to_tensor(golden_["data/Y"]);
  }
  // Eigenvalues, fit_transform and transform of CASE, components up to sign, within 1e-8.
  void compare(const std::string& c, std::vector<double> eigenvalues, std::vector<double> fitted,
               std::vector<double> moved) {
    ASSERT_TRUE(golden_.count(c + "/fit_transform")) << c;
    const GoldenArray& f = golden_[c + "/fit_transform"];
    const auto signs = align_signs(fitted, f.values, f.rows, f.cols);
    apply_signs(moved, signs, f.cols);
    expect_close(eigenvalues, golden_[c + "/eigenvalues"].values, 1e-8, c + " eigenvalues");
    expect_close(fitted, f.values, 1e-8, c + " fit_transform");
    expect_close(moved, golden_[c + "/transform"].values, 1e-8, c + " transform");
  }
  std::map<std::string, GoldenArray> golden_;
  Tensor X_, Y_;
};

TEST_F(ScikitLearn, KernelPCAForEveryKernel) {
  // The table of scripts/make_kpca_golden.py, in our flags.
  const std::vector<std::pair<std::string, KernelParams>> cases = {
      {"rbf_default", {.kind = KernelKind::Rbf}},
      {"rbf_sigma2", {.kind = KernelKind::Rbf, .sigma2 = 0.8}},
      {"linear", {.kind = KernelKind::Linear}},
      {"poly_default", {.kind = KernelKind::Poly}},
      {"poly_set", {.kind = KernelKind::Poly, .gamma = 0.5, .degree = 2, .coef0 = 0.3}},
      {"sigmoid_default", {.kind = KernelKind::Sigmoid}},
      {"sigmoid_set", {.kind = KernelKind::Sigmoid, .gamma = 0.2, .coef0 = -0.1}},
  };
  for (const auto& [name, params] : cases) {
    const KernelPCA kp(X_, params, 3);
    compare(name, kp.eigenvalues(), kp.projections(), kp.transform(Y_));
  }
}

TEST_F(ScikitLearn, PCAByBothRoutes) {
  for (PcaRoute route : {PcaRoute::Covariance, PcaRoute::Gram}) {
    const PCA pca(X_, 3, route);
    compare("pca", pca.explained_variance(), pca.projections(), pca.transform(Y_));
  }
}

// ---- known cases ----------------------------------------------------------------------------

TEST(KnownCases, LinearKernelPCAEqualsPCA) {
  // Both shapes: P < N (PCA through the scatter matrix) and P > N (through the Gram matrix).
  for (Shape shape : {Shape{15, 4}, Shape{6, 40}}) {
    const Tensor X = random_tensor(shape, 9), Y = random_tensor({3, shape[1]}, 10);
    const int C = 3;
    const KernelPCA kp(X, {.kind = KernelKind::Linear}, C);
    const PCA pca(X, C);
    std::vector<double> p = pca.projections(), t = pca.transform(Y);
    apply_signs(t, align_signs(p, kp.projections(), shape[0], C), C);
    expect_close(p, kp.projections(), 1e-11, "projections " + shape_string(shape));
    expect_close(t, kp.transform(Y), 1e-11, "new vectors " + shape_string(shape));
    expect_close(pca.eigenvalues(), kp.eigenvalues(), 1e-11, "eigenvalues " + shape_string(shape));
  }
}

TEST(KnownCases, PCARoutesAgreeOnAxes) {
  const Tensor X = random_tensor({12, 5}, 11);
  const PCA a(X, 3, PcaRoute::Covariance), b(X, 3, PcaRoute::Gram);
  expect_close(a.axes(), b.axes(), 1e-11, "axes");
  expect_close(a.projections(), b.projections(), 1e-11, "projections");
  EXPECT_NEAR(a.eigenvalue_sum(), b.eigenvalue_sum(), 1e-11);
}

// Does PC1 put every vector of the first set on one side of every vector of the second?
bool separates(const std::vector<double>& pc, int C, int n_first, int n) {
  double lo1 = 1e300, hi1 = -1e300, lo2 = 1e300, hi2 = -1e300;
  for (int i = 0; i < n; ++i) {
    const double v = pc[i * C];
    if (i < n_first) {
      lo1 = std::min(lo1, v);
      hi1 = std::max(hi1, v);
    } else {
      lo2 = std::min(lo2, v);
      hi2 = std::max(hi2, v);
    }
  }
  return hi1 < lo2 || hi2 < lo1;
}

TEST(KnownCases, TwoRadiiSeparateOnPC1WithRBFOnly) {
  // 20 vectors on the sphere of radius 1 and 20 on radius 3, both centred at 0, P = 10: the sets
  // differ in |w| only (as the two optimizers' weights do in Figure 5), which no direction of
  // weight space shows, but the RBF kernel's distances do (docs/algorithms.md §7).
  const int n = 20, P = 10, C = 2;
  Tensor X = random_tensor({2 * n, P}, 12);
  for (int i = 0; i < 2 * n; ++i) {
    Scalar* row = X.data() + i * P;
    double norm = 0;
    for (int p = 0; p < P; ++p) norm += double(row[p]) * row[p];
    const double radius = i < n ? 1.0 : 3.0;
    for (int p = 0; p < P; ++p) row[p] = Scalar(row[p] * radius / std::sqrt(norm));
  }
  EXPECT_TRUE(separates(KernelPCA(X, {.kind = KernelKind::Rbf}, C).projections(), C, n, 2 * n));
  EXPECT_FALSE(separates(PCA(X, C).projections(), C, n, 2 * n));
  EXPECT_FALSE(separates(KernelPCA(X, {.kind = KernelKind::Linear}, C).projections(), C, n, 2 * n));
}

TEST(Eigenpairs, RoundOffZerosAndNoPositiveEigenvalue) {
  // diag(4, 1e-14, -1e-13): the last two are below 1e-12 of the largest, hence 0.
  std::vector<double> A = {4, 0, 0, 0, 1e-14, 0, 0, 0, -1e-13};
  const Eigenpairs e = leading_eigenpairs(A, 3, 3);
  expect_close(e.values, {4, 0, 0}, 0, "values");
  EXPECT_DOUBLE_EQ(e.positive_sum, 4 + 1e-14);
  std::vector<double> B = {-1, 0, 0, -2};
  EXPECT_THROW(leading_eigenpairs(B, 2, 1), Error);
}

}  // namespace
}  // namespace landscape
