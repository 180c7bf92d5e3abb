// Hessian-vector products (Pearlmutter's R-operator, autodiff/graph.hpp) and the methods built
// on them (landscape/spectra/lanczos.hpp, hutchinson_trace.hpp, spectral_density.hpp):
// - every op's R-op product equals a central difference of its gradient (float64, < 1e-6);
// - a tiny network's Hessian, column by column from R-op products, is symmetric, equals the
//   second differences of the loss alone, and its LAPACK eigenvalues are Lanczos's;
// - the dataset-level product equals the difference of dataset gradients, for every model, and
//   1 and 2 threads agree; tangent mode leaves the gradient's bits alone;
// - Lanczos = dense eigenvalues; Hutchinson within its standard error (exact on a diagonal);
//   the SLQ density integrates to 1 and its mean is trace / n;
// - an op without tangent rules throws, naming the op;
// - `landscape hessian` writes its tables, resumes, and names a bad flag.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "autodiff/ops.hpp"
#include "core/blas.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "io/npy.hpp"
#include "landscape/spectra/hessian_operator.hpp"
#include "landscape/spectra/hutchinson_trace.hpp"
#include "landscape/spectra/lanczos.hpp"
#include "landscape/spectra/spectral_density.hpp"
#include "models/dataset_hvp.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::hvp_check_error;
using testing::LossBuilder;
using testing::random_tensor;
using testing::relative_difference;
using testing::to_scalar;

// The gradient of loss at inputs, all of them parameters, flattened in input order.
std::vector<double> gradient(const std::vector<Tensor>& inputs, const LossBuilder& loss) {
  Graph g;
  std::vector<Tensor> grads;
  std::vector<Var> leaves;
  for (const Tensor& t : inputs) {
    grads.emplace_back(t.shape());
    leaves.push_back(g.parameter(t.clone(), grads.back()));
  }
  g.backward(loss(g, leaves));
  std::vector<double> flat;
  for (const Tensor& t : grads) flat.insert(flat.end(), t.data(), t.data() + t.size());
  return flat;
}

// H v by the R-operator, v given per input; also returns the gradient of the same pass.
std::vector<double> r_op_hvp(const std::vector<Tensor>& inputs, const std::vector<Tensor>& v,
                             const LossBuilder& loss, std::vector<double>* grad = nullptr) {
  Graph g;
  g.enable_tangents();
  std::vector<Tensor> grads, hv;
  std::vector<Var> leaves;
  for (size_t k = 0; k < inputs.size(); ++k) {
    grads.emplace_back(inputs[k].shape());
    hv.emplace_back(inputs[k].shape());
    leaves.push_back(g.parameter(inputs[k].clone(), grads.back(), v[k].clone(), hv.back()));
  }
  g.backward(loss(g, leaves));
  std::vector<double> flat;
  for (const Tensor& t : hv) flat.insert(flat.end(), t.data(), t.data() + t.size());
  if (grad) {
    grad->clear();
    for (const Tensor& t : grads) grad->insert(grad->end(), t.data(), t.data() + t.size());
  }
  return flat;
}

// A smooth nonlinear reduction: the loss then has curvature even where the op is linear.
Var softplus_sum(Graph& g, Var y) { return to_scalar(g, softplus(g, y)); }

constexpr double kTol = 1e-6;

using OpHvp = testing::Float64Only;

TEST_F(OpHvp, Linear) {
  auto f = [](Graph& g, const std::vector<Var>& v) { return softplus_sum(g, linear(g, v[0], v[1])); };
  EXPECT_LT(hvp_check_error({random_tensor({5, 7}, 1), random_tensor({3, 7}, 2)}, f), kTol);
  auto fb = [](Graph& g, const std::vector<Var>& v) { return softplus_sum(g, linear(g, v[0], v[1], v[2])); };
  EXPECT_LT(hvp_check_error({random_tensor({5, 7}, 3), random_tensor({3, 7}, 4), random_tensor({3}, 5)}, fb),
            kTol);
}

TEST_F(OpHvp, LinearWithDataInput) {  // x a constant (images): only w's terms
  auto f = [](Graph& g, const std::vector<Var>& v) {
    Var x = g.constant(random_tensor({6, 4}, 6));
    return softplus_sum(g, linear(g, x, v[0], v[1]));
  };
  EXPECT_LT(hvp_check_error({random_tensor({3, 4}, 7), random_tensor({3}, 8)}, f), kTol);
}

TEST_F(OpHvp, AddBiasRowsAndChannels) {
  auto f = [](Graph& g, const std::vector<Var>& v) { return softplus_sum(g, add_bias(g, v[0], v[1])); };
  EXPECT_LT(hvp_check_error({random_tensor({4, 3}, 9), random_tensor({3}, 10)}, f), kTol);
  EXPECT_LT(hvp_check_error({random_tensor({2, 3, 4, 5}, 11), random_tensor({3}, 12)}, f), kTol);
}

TEST_F(OpHvp, AddAndMul) {
  auto fa = [](Graph& g, const std::vector<Var>& v) { return softplus_sum(g, add(g, v[0], v[1])); };
  auto fm = [](Graph& g, const std::vector<Var>& v) { return to_scalar(g, mul(g, v[0], v[1])); };
  auto fs = [](Graph& g, const std::vector<Var>& v) { return to_scalar(g, mul(g, v[0], v[0])); };
  EXPECT_LT(hvp_check_error({random_tensor({3, 4}, 13), random_tensor({3, 4}, 14)}, fa), kTol);
  EXPECT_LT(hvp_check_error({random_tensor({3, 4}, 15), random_tensor({3, 4}, 16)}, fm), kTol);
  EXPECT_LT(hvp_check_error({random_tensor({3, 4}, 17)}, fs), kTol);  // the same input twice
}

TEST_F(OpHvp, Activations) {
  auto check = [](Var (*op)(Graph&, Var), Tensor x) {
    auto f = [op](Graph& g, const std::vector<Var>& v) { return to_scalar(g, op(g, v[0])); };
    return hvp_check_error({std::move(x)}, f);
  };
  EXPECT_LT(check(sigmoid, random_tensor({4, 6}, 18, -4, 4)), kTol);
  EXPECT_LT(check(tanh, random_tensor({4, 6}, 19, -3, 3)), kTol);
  Tensor r = random_tensor({4, 6}, 20, 0.05, 1.5);  // away from relu's kink
  for (size_t i = 0; i < r.size(); i += 2) r[i] = -r[i];
  EXPECT_LT(check(relu, r), kTol);
  Tensor x = random_tensor({4, 6}, 21, -5, 5);  // both sides of softplus's threshold 20
  x[0] = 25;
  x[1] = 19.5;
  x[2] = -30;
  EXPECT_LT(check(softplus, x), kTol);
}

TEST_F(OpHvp, Losses) {
  auto ce = [](Graph& g, const std::vector<Var>& v) { return cross_entropy(g, v[0], {2, 0, 4, 4, 1}); };
  EXPECT_LT(hvp_check_error({random_tensor({5, 6}, 22, -3, 3)}, ce), kTol);
  // a confident row (p_y near 1): the small softmax Hessian must keep its digits
  Tensor z = random_tensor({2, 4}, 23);
  z[1] = 12;
  auto ce2 = [](Graph& g, const std::vector<Var>& v) { return cross_entropy(g, v[0], {1, 3}); };
  EXPECT_LT(hvp_check_error({z}, ce2), kTol);
  auto both = [](Graph& g, const std::vector<Var>& v) { return mse(g, softplus(g, v[0]), v[1]); };
  EXPECT_LT(hvp_check_error({random_tensor({3, 5}, 24), random_tensor({3, 5}, 25)}, both), kTol);
}

TEST_F(OpHvp, ShapeOps) {
  auto r = [](Graph& g, const std::vector<Var>& v) { return softplus_sum(g, reshape(g, v[0], {3, 8})); };
  EXPECT_LT(hvp_check_error({random_tensor({2, 3, 4}, 26)}, r), kTol);
  auto s = [](Graph& g, const std::vector<Var>& v) { return softplus_sum(g, slice_columns(g, v[0], 2, 3)); };
  EXPECT_LT(hvp_check_error({random_tensor({4, 7}, 27)}, s), kTol);
  auto c = [](Graph& g, const std::vector<Var>& v) {
    Var k = g.constant(random_tensor({3, 2}, 28));
    return softplus_sum(g, concat_columns(g, {v[0], k, v[1]}));
  };
  EXPECT_LT(hvp_check_error({random_tensor({3, 4}, 29), random_tensor({3, 1}, 30)}, c), kTol);
  auto p = [](Graph& g, const std::vector<Var>& v) {
    return softplus_sum(g, permute_columns(g, v[0], {3, 0, 4, 1, 2}));
  };
  EXPECT_LT(hvp_check_error({random_tensor({2, 5}, 31)}, p), kTol);
}

TEST_F(OpHvp, Conv2dAndPool) {
  for (int pad : {0, 2}) {
    auto f = [pad](Graph& g, const std::vector<Var>& v) {
      return softplus_sum(g, conv2d(g, v[0], v[1], pad));
    };
    EXPECT_LT(hvp_check_error({random_tensor({2, 2, 6, 6}, 32), random_tensor({3, 2, 3, 3}, 33)}, f), kTol)
        << "padding " << pad;
    auto fb = [pad](Graph& g, const std::vector<Var>& v) {
      return softplus_sum(g, conv2d(g, v[0], v[1], v[2], pad));
    };
    EXPECT_LT(
        hvp_check_error(
            {random_tensor({2, 2, 5, 5}, 34), random_tensor({3, 2, 3, 3}, 35), random_tensor({3}, 36)}, fb),
        kTol)
        << "padding " << pad;
  }
  auto pool = [](Graph& g, const std::vector<Var>& v) { return softplus_sum(g, avgpool2(g, v[0])); };
  EXPECT_LT(hvp_check_error({random_tensor({2, 3, 4, 6}, 37)}, pool), kTol);
}

TEST_F(OpHvp, LstmLayerThroughItsComposition) {
  auto f = [](Graph& g, const std::vector<Var>& v) {
    return to_scalar(g, lstm_layer(g, v[0], v[1], v[2], v[3], v[4]));
  };
  const int I = 3, H = 2, T = 3;
  EXPECT_LT(
      hvp_check_error({random_tensor({2, T * I}, 38), random_tensor({4 * H, I}, 39),
                       random_tensor({4 * H, H}, 40), random_tensor({4 * H}, 41), random_tensor({4 * H}, 42)},
                      f),
      kTol);
}

// --- a tiny network's whole Hessian --------------------------------------------------------

// FCP-like 4-5-3 with biases: softplus(x W1^T + b1) W2^T + b2 -> cross-entropy of 6 images.
Var tiny_network(Graph& g, const std::vector<Var>& p) {
  Var x = g.constant(random_tensor({6, 4}, 50, 0, 1));
  Var h = softplus(g, linear(g, x, p[0], p[1]));
  return cross_entropy(g, linear(g, h, p[2], p[3]), {0, 2, 1, 1, 0, 2});
}

std::vector<Tensor> tiny_weights() {
  return {random_tensor({5, 4}, 51), random_tensor({5}, 52), random_tensor({3, 5}, 53),
          random_tensor({3}, 54)};
}

// Copies of the inputs (tensors share storage when copied) with flat entry j (over all of
// them, in order) moved by delta.
std::vector<Tensor> moved(const std::vector<Tensor>& original, size_t j, double delta) {
  std::vector<Tensor> inputs;
  for (const Tensor& t : original) inputs.push_back(t.clone());
  for (Tensor& t : inputs) {
    if (j < t.size()) {
      t[j] += Scalar(delta);
      break;
    }
    j -= t.size();
  }
  return inputs;
}

double loss_value(const std::vector<Tensor>& inputs, const LossBuilder& loss) {
  Graph g;
  std::vector<Var> leaves;
  for (const Tensor& t : inputs) leaves.push_back(g.constant(t.clone()));
  return g.value(loss(g, leaves))[0];
}

// H [n,n] row-major, column j = H e_j by the R-operator.
std::vector<double> hessian_by_columns(const std::vector<Tensor>& w, const LossBuilder& loss) {
  size_t n = 0;
  for (const Tensor& t : w) n += t.size();
  std::vector<double> H(n * n);
  for (size_t j = 0; j < n; ++j) {
    std::vector<Tensor> e;
    for (const Tensor& t : w) e.emplace_back(t.shape());
    e = moved(e, j, 1.0);
    const std::vector<double> col = r_op_hvp(w, e, loss);
    for (size_t i = 0; i < n; ++i) H[i * n + j] = col[i];
  }
  return H;
}

TEST(TinyNetworkHessian, ColumnsAreSymmetricAndEqualSecondDifferencesOfTheLoss) {
  if (!testing::kFloat64) GTEST_SKIP() << "second differences need float64";
  const std::vector<Tensor> w = tiny_weights();
  const std::vector<double> H = hessian_by_columns(w, tiny_network);
  const size_t n = size_t(std::sqrt(double(H.size())));
  ASSERT_EQ(n, 43u);  // 5*4 + 5 + 3*5 + 3
  // From loss values alone (no backward): H_ij ~ [f(++) - f(+-) - f(-+) + f(--)] / 4h^2.
  const double h = 1e-4;
  std::vector<double> fd(n * n), HT(n * n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) {
      auto f = [&](double si, double sj) {
        return loss_value(moved(moved(w, i, si * h), j, sj * h), tiny_network);
      };
      fd[i * n + j] = (f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)) / (4 * h * h);
      HT[i * n + j] = H[j * n + i];
    }
  EXPECT_LT(relative_difference(H, HT), 1e-12) << "the R-op Hessian is not symmetric";
  EXPECT_LT(relative_difference(H, fd), 1e-6);
}

TEST(TinyNetworkHessian, LanczosOnItsProductsGivesItsLapackEigenvalues) {
  const std::vector<Tensor> w = tiny_weights();
  std::vector<double> H = hessian_by_columns(w, tiny_network);
  const int n = 43;
  SymmetricOperator A;
  A.n = n;
  A.apply = [&](const double* v, double* Av) {  // the R-operator itself, not the matrix
    std::vector<Tensor> vt;
    size_t off = 0;
    for (const Tensor& t : w) {
      vt.emplace_back(t.shape());
      for (size_t i = 0; i < t.size(); ++i) vt.back()[i] = Scalar(v[off + i]);
      off += t.size();
    }
    const std::vector<double> hv = r_op_hvp(w, vt, tiny_network);
    std::copy(hv.begin(), hv.end(), Av);
  };
  std::vector<double> eig(n);
  for (int i = 0; i < n; ++i)  // symmetrise the float32 round-off before LAPACK
    for (int j = i + 1; j < n; ++j) H[i * n + j] = H[j * n + i] = 0.5 * (H[i * n + j] + H[j * n + i]);
  blas::symmetric_eigen(n, H.data(), eig.data());
  const ExtremeEigenvalues e = extreme_eigenvalues(A, n, 7);
  const double scale = std::max(std::abs(eig.front()), std::abs(eig.back()));
  const double tol = testing::kFloat64 ? 1e-9 : 1e-4;
  EXPECT_NEAR(e.lambda_max, eig.back(), tol * scale);
  EXPECT_NEAR(e.lambda_min, eig.front(), tol * scale);
  EXPECT_LT(eig.front(), 0) << "a random network's Hessian should be indefinite";
}

// --- tangent mode and the gradient ----------------------------------------------------------

TEST(TangentMode, LeavesTheGradientBitForBit) {
  const std::vector<Tensor> w = tiny_weights();
  std::vector<Tensor> v;
  for (const Tensor& t : w) v.push_back(random_tensor(t.shape(), 60));
  std::vector<double> g_tangent;
  r_op_hvp(w, v, tiny_network, &g_tangent);
  EXPECT_EQ(gradient(w, tiny_network), g_tangent);
}

TEST(TangentMode, AnOpWithoutTangentRulesThrowsNamingIt) {
  // A made-up op with a forward and a backward but no tangent rules: y = 2 x.
  auto doubled = [](Graph& g, Var x) {
    Tensor Y = g.value(x).clone();
    for (size_t i = 0; i < Y.size(); ++i) Y[i] *= 2;
    Var y = g.record("doubled_without_rules", std::move(Y), {x});
    g.set_backward(y, [=](Graph& g) {
      for (size_t i = 0; i < g.grad(y).size(); ++i) g.grad(x)[i] += 2 * g.grad(y)[i];
    });
    return y;
  };
  Tensor w = random_tensor({2, 3}, 61), v = random_tensor({2, 3}, 62);
  Tensor grad({2, 3}), hv({2, 3});
  auto expect_error_naming_op = [](const std::function<void()>& f) {
    try {
      f();
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("doubled_without_rules"), std::string::npos) << e.what();
    }
  };
  expect_error_naming_op([&] {  // a consumer reads its tangent: fails in the forward pass
    Graph g;
    g.enable_tangents();
    Var p = g.parameter(w.clone(), grad, v, hv);
    to_scalar(g, doubled(g, p));
  });
  expect_error_naming_op([&] {  // it is the last op: fails in the backward pass
    Graph g;
    g.enable_tangents();
    Var p = g.parameter(w.clone(), grad, v, hv);
    Var s = doubled(g, reshape(g, slice_columns(g, reshape(g, p, {1, 6}), 0, 1), {1}));
    g.backward(s);
  });
  // Without tangent mode the op works as before.
  Graph g;
  Var p = g.parameter(w.clone(), grad);
  EXPECT_NO_THROW(g.backward(to_scalar(g, doubled(g, p))));
}

// --- dataset level ------------------------------------------------------------------------

// N synthetic images (pixels in [0,1]) with labels 0..9: no MNIST needed.
Dataset synthetic_data(int N, unsigned seed) {
  Dataset d;
  d.images = random_tensor({N, kImagePixels}, seed, 0, 1);
  Rng rng(seed);
  for (int i = 0; i < N; ++i) d.labels.push_back(int(rng.below(10)));
  return d;
}

// H v over the dataset against (grad(w + h v) - grad(w - h v)) / 2h of dataset_loss.
double dataset_hvp_check_error(const Model& model, const Dataset& data, uint64_t seed) {
  const size_t P = model.num_params();
  std::vector<Scalar> w = init_weights(model, seed), v(P), hv(P), gu(P), gd(P), wu(P), wd(P);
  Rng rng(seed + 1);
  for (Scalar& x : v) x = Scalar(rng.normal());
  dataset_hvp(model, data, w.data(), v.data(), hv.data());
  const double h = 1e-5;
  for (size_t i = 0; i < P; ++i) wu[i] = w[i] + h * v[i], wd[i] = w[i] - h * v[i];
  dataset_loss(model, data, wu.data(), gu.data());
  dataset_loss(model, data, wd.data(), gd.data());
  std::vector<double> a(hv.begin(), hv.end()), fd(P);
  for (size_t i = 0; i < P; ++i) fd[i] = (double(gu[i]) - gd[i]) / (2 * h);
  return relative_difference(a, fd);
}

TEST(DatasetHvp, EqualsDifferencesOfDatasetGradientsForEveryModel) {
  if (!testing::kFloat64) GTEST_SKIP() << "finite-difference checks run in the float64 build";
  for (const char* arch : {"fcp", "ae", "lenet", "lstm"}) {
    auto model = make_model(arch);
    const Dataset data = synthetic_data(std::string(arch) == "lstm" ? 5 : 9, 70);
    EXPECT_LT(dataset_hvp_check_error(*model, data, 71), 1e-6) << arch;
  }
}

TEST(DatasetHvp, OneAndTwoThreadsAgreeAndRepeatBitForBit) {
  auto model = make_model("fcp");
  const Dataset data = synthetic_data(300, 72);  // 2 threads: two chunks of 150
  const size_t P = model->num_params();
  std::vector<Scalar> w = init_weights(*model, 73), v(P), h1(P), h2(P), h2b(P), g1(P), g2(P);
  Rng rng(74);
  for (Scalar& x : v) x = Scalar(rng.normal());
  const int keep = omp_get_max_threads();
  omp_set_num_threads(1);
  const DatasetLoss l1 = dataset_hvp(*model, data, w.data(), v.data(), h1.data(), g1.data());
  omp_set_num_threads(2);
  const DatasetLoss l2 = dataset_hvp(*model, data, w.data(), v.data(), h2.data(), g2.data());
  dataset_hvp(*model, data, w.data(), v.data(), h2b.data());
  omp_set_num_threads(keep);
  const double tol = testing::kFloat64 ? 1e-12 : 1e-5;
  EXPECT_LT(relative_difference({h1.begin(), h1.end()}, {h2.begin(), h2.end()}), tol);
  EXPECT_LT(relative_difference({g1.begin(), g1.end()}, {g2.begin(), g2.end()}), tol);
  EXPECT_NEAR(l1.loss, l2.loss, tol * l1.loss);
  EXPECT_EQ(h2, h2b);
  // The pass's gradient is dataset_loss's.
  std::vector<Scalar> g(P);
  dataset_loss(*model, data, w.data(), g.data());
  EXPECT_LT(relative_difference({g.begin(), g.end()}, {g1.begin(), g1.end()}), tol);
}

TEST(HessianOperator, ABlockIsTheDiagonalBlockOfTheWholeProduct) {
  auto model = make_model("fcp");
  const Dataset data = synthetic_data(16, 75);
  const std::vector<Scalar> w = init_weights(*model, 76);
  const ParamBlock& b = model->layout()[1];  // fc2.weight
  const SymmetricOperator whole = hessian_operator(*model, data, w.data());
  const SymmetricOperator block = hessian_operator(*model, data, w.data(), 1);
  ASSERT_EQ(block.n, b.size());
  std::vector<double> vb(b.size()), hb(b.size()), v(whole.n, 0.0), hv(whole.n);
  Rng rng(77);
  for (size_t i = 0; i < b.size(); ++i) v[b.offset + i] = vb[i] = rng.normal();
  block.apply(vb.data(), hb.data());
  whole.apply(v.data(), hv.data());
  const std::vector<double> expected(hv.begin() + b.offset, hv.begin() + b.offset + b.size());
  EXPECT_EQ(hb, expected);
}

// --- Lanczos, Hutchinson, SLQ on small matrices ----------------------------------------------

// A symmetric n x n matrix with eigenvalues `eig` (a random orthogonal basis) and its operator.
struct DenseCase {
  int n;
  std::vector<double> A;  // [n,n]
  SymmetricOperator op() const {
    SymmetricOperator o;
    o.n = size_t(n);
    o.apply = [this](const double* v, double* Av) {
      for (int i = 0; i < n; ++i) {
        double s = 0;
        for (int j = 0; j < n; ++j) s += A[size_t(i) * n + j] * v[j];
        Av[i] = s;
      }
    };
    return o;
  }
  std::vector<double> eigenvalues() const {
    std::vector<double> M = A, w(n);
    blas::symmetric_eigen(n, M.data(), w.data());
    return w;
  }
  double trace() const {
    double t = 0;
    for (int i = 0; i < n; ++i) t += A[size_t(i) * n + i];
    return t;
  }
};

DenseCase random_symmetric(int n, unsigned seed) {
  DenseCase c{n, std::vector<double>(size_t(n) * n)};
  Rng rng(seed);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j <= i; ++j) c.A[size_t(i) * n + j] = c.A[size_t(j) * n + i] = rng.normal();
  return c;
}

TEST(Lanczos, AllStepsGiveTheDenseEigenvalues) {
  const DenseCase c = random_symmetric(30, 80);
  const LanczosResult r = lanczos(c.op(), std::vector<double>(30, 1.0), 30);
  const std::vector<double> eig = c.eigenvalues();
  ASSERT_EQ(r.steps(), 30);
  EXPECT_TRUE(r.invariant);
  for (int i = 0; i < 30; ++i) EXPECT_NEAR(r.ritz_values[i], eig[i], 1e-10) << i;
  double wsum = 0;
  for (double x : r.ritz_weights) wsum += x;
  EXPECT_NEAR(wsum, 1.0, 1e-12);
}

TEST(Lanczos, FewStepsFindTheExtremesWithinTheirResiduals) {
  // Spread-out extremes (as a Hessian's outliers) converge in few steps.
  DenseCase c = random_symmetric(200, 81);
  for (int i = 0; i < 200; ++i) c.A[size_t(i) * 200 + i] += i == 0 ? 60 : i == 1 ? -45 : 0;
  const std::vector<double> eig = c.eigenvalues();
  const ExtremeEigenvalues e = extreme_eigenvalues(c.op(), 40, 82);
  EXPECT_EQ(e.steps, 40);
  // For a symmetric A, every Ritz value is within its residual of some eigenvalue.
  EXPECT_LE(std::abs(e.lambda_max - eig.back()), e.residual_max + 1e-9);
  EXPECT_LE(std::abs(e.lambda_min - eig.front()), e.residual_min + 1e-9);
  EXPECT_NEAR(e.lambda_max, eig.back(), 1e-6 * std::abs(eig.back()));
  EXPECT_NEAR(e.lambda_min, eig.front(), 1e-6 * std::abs(eig.front()));
}

TEST(Lanczos, StopsOnAnInvariantSubspace) {
  DenseCase c{6, std::vector<double>(36, 0.0)};
  const double diag[6] = {5, -1, 2, 7, 3, 0.5};
  for (int i = 0; i < 6; ++i) c.A[i * 6 + i] = diag[i];
  // The start lies in span{e0, e1, e3}: three steps exhaust its Krylov space.
  const LanczosResult r = lanczos(c.op(), {1, 2, 0, -1, 0, 0}, 6);
  ASSERT_EQ(r.steps(), 3);
  EXPECT_TRUE(r.invariant);
  EXPECT_NEAR(r.ritz_values[0], -1, 1e-12);
  EXPECT_NEAR(r.ritz_values[1], 5, 1e-12);
  EXPECT_NEAR(r.ritz_values[2], 7, 1e-12);
  EXPECT_THROW(lanczos(c.op(), std::vector<double>(6, 0.0), 3), Error);
}

TEST(Hutchinson, ExactOnADiagonalAndWithinItsErrorOtherwise) {
  DenseCase d{5, std::vector<double>(25, 0.0)};
  for (int i = 0; i < 5; ++i) d.A[i * 5 + i] = i - 1.5;
  const TraceEstimate exact = hutchinson_trace(d.op(), 3, 1);  // z_i^2 = 1: every sample is tr A
  EXPECT_NEAR(exact.trace, d.trace(), 1e-12);
  EXPECT_NEAR(exact.standard_error, 0, 1e-12);

  const DenseCase c = random_symmetric(20, 83);
  const TraceEstimate t = hutchinson_trace(c.op(), 400, 84);
  EXPECT_GT(t.standard_error, 0);
  EXPECT_LT(std::abs(t.trace - c.trace()), 4 * t.standard_error)
      << "estimate " << t.trace << " +- " << t.standard_error << ", trace " << c.trace();
  // Var(z^T A z) = 2 sum_{i != j} A_ij^2 for Rademacher z: the reported error matches it.
  double off = 0;
  for (int i = 0; i < 20; ++i)
    for (int j = 0; j < 20; ++j)
      if (i != j) off += c.A[size_t(i) * 20 + j] * c.A[size_t(i) * 20 + j];
  EXPECT_NEAR(t.standard_error, std::sqrt(2 * off / 400), 0.2 * std::sqrt(2 * off / 400));
}

// sum_k lambda_k u_k u_k^T over random orthonormal u_k (Gram-Schmidt of Gaussian vectors).
DenseCase with_spectrum(int n, const std::vector<double>& lambda, unsigned seed) {
  Rng rng(seed);
  std::vector<std::vector<double>> u;
  for (size_t k = 0; k < lambda.size(); ++k) {
    std::vector<double> v(static_cast<size_t>(n));
    for (double& x : v) x = rng.normal();
    for (int pass = 0; pass < 2; ++pass)
      for (const auto& q : u) {
        double c = 0;
        for (int i = 0; i < n; ++i) c += q[size_t(i)] * v[size_t(i)];
        for (int i = 0; i < n; ++i) v[size_t(i)] -= c * q[size_t(i)];
      }
    double norm = 0;
    for (double x : v) norm += x * x;
    for (double& x : v) x /= std::sqrt(norm);
    u.push_back(v);
  }
  DenseCase c{n, std::vector<double>(size_t(n) * n, 0.0)};
  for (size_t k = 0; k < lambda.size(); ++k)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) c.A[size_t(i) * n + j] += lambda[k] * u[k][size_t(i)] * u[k][size_t(j)];
  return c;
}

TEST(HutchPlusPlus, ExactWhenTheRankFitsItsSketch) {
  const DenseCase c = with_spectrum(60, {9, -4, 3, 1, 0.5}, 90);  // rank 5 <= k = 10
  const TraceEstimate t = hutchpp_trace(c.op(), 30, 91);
  EXPECT_NEAR(t.trace, 9.5, 1e-9);
  EXPECT_NEAR(t.standard_error, 0, 1e-9);
  EXPECT_THROW(hutchpp_trace(c.op(), 10, 1), Error);  // not a multiple of 3
}

// A decaying spectrum (lambda_k = 1/k^2, as a Hessian's few large eigenvalues over a bulk):
// Hutch++ with 30 products beats Hutchinson with 90, and its error bar holds.
TEST(HutchPlusPlus, NeedsFewerProductsThanHutchinsonOnADecayingSpectrum) {
  std::vector<double> lambda;
  for (int k = 1; k <= 200; ++k) lambda.push_back(1.0 / (double(k) * k));
  const DenseCase c = with_spectrum(200, lambda, 92);
  double trace = 0;
  for (double l : lambda) trace += l;
  double pp = 0, h90 = 0;
  int covered = 0;
  const int seeds = 20;
  for (int s = 0; s < seeds; ++s) {
    const TraceEstimate a = hutchpp_trace(c.op(), 30, 100 + s), b = hutchinson_trace(c.op(), 90, 200 + s);
    pp += std::abs(a.trace - trace) / seeds;
    h90 += std::abs(b.trace - trace) / seeds;
    covered += std::abs(a.trace - trace) <= 3 * a.standard_error;
  }
  EXPECT_LT(pp, h90) << "Hutch++ 30 products: mean error " << pp << ", Hutchinson 90 probes: " << h90;
  EXPECT_GE(covered, 17) << "the error bar should cover the trace in most draws";
}

TEST(SpectralDensity, IntegratesToOneWithMeanTraceOverN) {
  const DenseCase c = random_symmetric(40, 85);
  SlqParams p;
  p.probes = 60;
  p.iterations = 15;
  p.seed = 86;
  const SpectralDensity d = spectral_density(c.op(), p);
  double mass = 0, first = 0;  // trapezoid rule on the grid
  for (size_t i = 0; i + 1 < d.grid.size(); ++i) {
    const double dt = d.grid[i + 1] - d.grid[i];
    mass += 0.5 * dt * (d.density[i] + d.density[i + 1]);
    first += 0.5 * dt * (d.grid[i] * d.density[i] + d.grid[i + 1] * d.density[i + 1]);
  }
  EXPECT_NEAR(mass, 1.0, 1e-5);
  EXPECT_NEAR(first, d.mean(), 1e-5 * (1 + std::abs(d.mean())));
  // The same probes as Hutchinson's: the same estimate of tr A / n ...
  const TraceEstimate t = hutchinson_trace(c.op(), p.probes, p.seed);
  EXPECT_NEAR(d.mean() * c.n, t.trace, 1e-9 * (1 + std::abs(t.trace)));
  // ... within its standard error of the truth.
  EXPECT_LT(std::abs(d.mean() * c.n - c.trace()), 4 * t.standard_error);
  double wsum = 0;
  for (double w : d.weights) wsum += w;
  EXPECT_NEAR(wsum, 1.0, 1e-12);
}

TEST(SpectralDensity, NodesAreTheEigenvaluesWhenLanczosRunsToTheEnd) {
  const DenseCase c = random_symmetric(12, 87);
  SlqParams p;
  p.probes = 1;
  p.iterations = 12;
  const SpectralDensity d = spectral_density(c.op(), p);
  std::vector<double> nodes = d.nodes;
  std::sort(nodes.begin(), nodes.end());
  const std::vector<double> eig = c.eigenvalues();
  ASSERT_EQ(nodes.size(), eig.size());
  for (size_t i = 0; i < eig.size(); ++i) EXPECT_NEAR(nodes[i], eig[i], 1e-9);
  SlqParams bad;
  bad.probes = 0;
  EXPECT_THROW(bad.check(), UsageError);
}

// --- the command --------------------------------------------------------------------------

TEST(HessianCommand, WritesItsTablesResumesAndNamesBadFlags) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found";
  const std::string dir = testing::temp_dir();
  auto model = make_model("fcp");
  std::vector<Scalar> w = init_weights(*model, 90), w2 = init_weights(*model, 91);
  w.insert(w.end(), w2.begin(), w2.end());
  write_npy(dir + "/w.npy", w.data(), 2, int64_t(model->num_params()));
  const std::vector<std::string> cmd = {testing::binary(),    "hessian", "--arch",   "fcp",      "--weights",
                                        dir + "/w.npy",       "--rows",  "0,1",      "--images", "64",
                                        "--iterations",       "4",       "--probes", "2",        "--data",
                                        testing::mnist_dir(), "--out",   dir + "/h"};
  const testing::CommandResult first = testing::run_capture(cmd);
  ASSERT_EQ(first.status, 0) << first.err;
  // 4 Lanczos steps on 42,200 parameters: the extreme Ritz values are not eigenvalues yet.
  EXPECT_NE(first.err.find("lambda_max"), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("not converged in"), std::string::npos) << first.err;
  const std::string spectrum = testing::read_file(dir + "/h/spectrum.csv");
  EXPECT_EQ(std::count(spectrum.begin(), spectrum.end(), '\n'), 3) << spectrum;  // header + 2 rows
  EXPECT_NE(testing::read_file(dir + "/h/manifest.json").find("\"hvp_seconds\""), std::string::npos);
  EXPECT_FALSE(testing::read_file(dir + "/h/density.csv").empty());
  const testing::CommandResult again = testing::run_capture(cmd);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.err.find("row 1 finished before, kept"), std::string::npos) << again.err;
  EXPECT_EQ(testing::read_file(dir + "/h/spectrum.csv"), spectrum);

  // Other settings in the same DIR: the study starts afresh and names what it removed.
  std::vector<std::string> other = cmd;
  other[13] = "1";  // --probes 1
  const testing::CommandResult restarted = testing::run_capture(other);
  ASSERT_EQ(restarted.status, 0) << restarted.err;
  EXPECT_NE(restarted.err.find("holds results of other settings; starting afresh (removed rows, "
                               "manifest.json)"),
            std::string::npos)
      << restarted.err;
  EXPECT_EQ(restarted.err.find("finished before, kept"), std::string::npos) << restarted.err;
  EXPECT_NE(testing::read_file(dir + "/h/settings.txt").find("probes=1\n"), std::string::npos);

  // --trace-estimator hutchpp: the same columns, a settings line of its own.
  std::vector<std::string> pp = cmd;
  pp.back() = dir + "/hpp";
  pp.insert(pp.end() - 2, {"--trace-estimator", "hutchpp"});
  const testing::CommandResult hpp = testing::run_capture(pp);
  ASSERT_EQ(hpp.status, 0) << hpp.err;
  EXPECT_NE(testing::read_file(dir + "/hpp/settings.txt").find("trace=hutchpp\n"), std::string::npos);
  EXPECT_EQ(testing::read_file(dir + "/hpp/spectrum.csv").substr(0, 40),
            spectrum.substr(0, 40));  // the header
  EXPECT_NE(testing::read_file(dir + "/h/settings.txt").find("trace=hutchinson\n"), std::string::npos);

  // The map resumes from its finished grid lines: a rerun reads them back to the same table.
  std::vector<std::string> map = cmd;
  map[9] = "16";  // --images 16
  map[7] = "0";   // --rows 0
  map.back() = dir + "/m";
  for (const char* f : {"--map", "--grid", "3", "--map-iterations", "3"}) map.push_back(f);
  ASSERT_EQ(testing::run_capture(map).status, 0);
  const std::string table = testing::read_file(dir + "/m/map/map.csv");
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 10) << table;  // header + 3 x 3 points
  EXPECT_EQ(table.substr(0, table.find('\n')), "a,b,loss,lambda_max,lambda_min,ratio");
  ASSERT_EQ(testing::run_capture(map).status, 0);
  EXPECT_EQ(testing::read_file(dir + "/m/map/map.csv"), table);

  std::vector<std::string> bad = cmd;
  bad[13] = "0";  // --probes 0
  const testing::CommandResult r = testing::run_capture(bad);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--probes"), std::string::npos) << r.err;
  bad = cmd;
  bad.push_back("--grid");  // a map flag without --map
  bad.push_back("5");
  EXPECT_EQ(testing::run_capture(bad).status, 2);
}

}  // namespace
}  // namespace landscape
