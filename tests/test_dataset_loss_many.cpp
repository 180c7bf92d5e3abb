// dataset_loss_many (docs/algorithms.md §2.6): one pass over the data for many weight vectors
// gives every point what dataset_loss gives it alone, up to summation order, for the four
// models (FCP and the autoencoder through their shared input layer, LeNet and the LSTM point by
// point), with and without gradients, sparse and dense first layers, partial groups, any chunk
// size, and a non-finite point among finite ones.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "landscape/model_landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "models/dataset_loss_many.hpp"
#include "models/init.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

// n images with MNIST's sparsity (about 80% zero pixels, the rest in (0, 1]), so the dense
// input layers take the sparse product (at most 25% nonzeros, at least 48 images per chunk).
Dataset sparse_images(int n, unsigned seed) { return testing::pseudo_images(n, seed, -4, 7, 3); }

// Dense pseudo-images: every pixel nonzero, so the input layers take the dense product.
Dataset dense_images(int n, unsigned seed) { return testing::pseudo_images(n, seed, 0.01, 3, 1); }

// M weight vectors of the model, each from its own seed.
std::vector<Scalar> points_of(const Model& model, int M, unsigned seed) {
  const size_t P = model.num_params();
  std::vector<Scalar> W(M * P);
  for (int m = 0; m < M; ++m) {
    std::vector<Scalar> w = init_weights(model, seed + m);
    std::copy(w.begin(), w.end(), W.begin() + m * P);
  }
  return W;
}

double max_relative_difference(const Scalar* a, const Scalar* b, size_t n) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < n; ++i) {
    diff = std::max(diff, std::abs(double(a[i]) - double(b[i])));
    scale = std::max(scale, std::abs(double(b[i])));
  }
  return diff / std::max(scale, 1e-300);
}

// The largest max_relative_difference over the blocks of a model's layout (or, for a vector
// of several layouts one after another, over each copy's blocks): a wrong first layer must
// not hide behind a larger gradient of another block.
double blockwise_difference(const Model& model, const Scalar* a, const Scalar* b, size_t n) {
  double worst = 0;
  for (size_t base = 0; base < n; base += model.num_params())
    for (const ParamBlock& blk : model.layout())
      worst =
          std::max(worst, max_relative_difference(a + base + blk.offset, b + base + blk.offset, blk.size()));
  return worst;
}

const double kTol = testing::kFloat64 ? 1e-12 : 3e-5;

// Every point of W against its own dataset_loss call.
void expect_same_as_single_points(const Model& model, const Dataset& data, const std::vector<Scalar>& W,
                                  int M, int chunk, bool with_gradient) {
  const size_t P = model.num_params();
  std::vector<DatasetLoss> many(M);
  std::vector<Scalar> G(with_gradient ? M * P : 0);
  dataset_loss_many(model, data, W.data(), M, many.data(), with_gradient ? G.data() : nullptr, chunk);
  std::vector<Scalar> g(P);
  for (int m = 0; m < M; ++m) {
    const DatasetLoss one =
        dataset_loss(model, data, W.data() + m * P, with_gradient ? g.data() : nullptr, chunk);
    EXPECT_NEAR(many[m].loss / one.loss, 1.0, kTol) << model.arch() << " point " << m;
    EXPECT_EQ(many[m].correct, one.correct) << model.arch() << " point " << m;
    EXPECT_EQ(many[m].images, one.images);
    if (with_gradient) {
      EXPECT_LT(blockwise_difference(model, G.data() + m * P, g.data(), P), kTol)
          << model.arch() << " point " << m << " chunk " << chunk;
    }
  }
}

// Every test on each of the four models: the model and P, its number of parameters.
class ManyPoints : public ::testing::TestWithParam<const char*> {
 protected:
  const std::unique_ptr<Model> model = make_model(GetParam());
  const size_t P = model->num_params();
};

// 11 points: a full group of 8 and a partial one of 3.
TEST_P(ManyPoints, GradientsEqualSinglePointEvaluations) {
  const std::vector<Scalar> W = points_of(*model, 11, 40);
  expect_same_as_single_points(*model, sparse_images(150, 3), W, 11, 0, true);
  expect_same_as_single_points(*model, dense_images(70, 4), W, 11, 0, true);
}

TEST_P(ManyPoints, ForwardOnlyEqualsSinglePointEvaluations) {
  const std::vector<Scalar> W = points_of(*model, 9, 50);
  expect_same_as_single_points(*model, sparse_images(150, 5), W, 9, 0, false);
}

TEST_P(ManyPoints, AnyChunkSizeGivesTheSameNumbers) {
  const std::vector<Scalar> W = points_of(*model, 3, 60);
  for (int chunk : {1, 7, 64}) expect_same_as_single_points(*model, sparse_images(97, 6), W, 3, chunk, true);
}

// Static schedule, sums in thread order: the same thread count gives the same bits.
TEST_P(ManyPoints, RepeatedRunsGiveTheSameBits) {
  const int M = 5;
  const std::vector<Scalar> W = points_of(*model, M, 70);
  const Dataset data = sparse_images(200, 7);
  std::vector<DatasetLoss> a(M), b(M);
  std::vector<Scalar> Ga(M * P), Gb(M * P);
  dataset_loss_many(*model, data, W.data(), M, a.data(), Ga.data());
  dataset_loss_many(*model, data, W.data(), M, b.data(), Gb.data());
  for (int m = 0; m < M; ++m) EXPECT_EQ(a[m].loss, b[m].loss);
  EXPECT_EQ(Ga, Gb);
}

// A NaN in one point's first-layer weights makes that point's loss NaN (the stacked product
// falls back to the dense one, as linear() does) and leaves the other points of its group
// as they were.
TEST_P(ManyPoints, NonFinitePointStaysItsOwn) {
  const int M = 4;
  std::vector<Scalar> W = points_of(*model, M, 80);
  W[2 * P + 5] = std::numeric_limits<Scalar>::quiet_NaN();
  const Dataset data = sparse_images(120, 8);
  std::vector<DatasetLoss> r(M);
  std::vector<Scalar> G(M * P);
  dataset_loss_many(*model, data, W.data(), M, r.data(), G.data());
  EXPECT_TRUE(std::isnan(r[2].loss));
  std::vector<Scalar> g(P);
  for (int m : {0, 1, 3}) {
    const DatasetLoss one = dataset_loss(*model, data, W.data() + m * P, g.data());
    EXPECT_NEAR(r[m].loss / one.loss, 1.0, kTol) << "point " << m;
    EXPECT_LT(blockwise_difference(*model, G.data() + m * P, g.data(), P), kTol) << "point " << m;
  }
}

// The model landscape's evaluate_many is the loss (and gradient) of each point.
TEST_P(ManyPoints, ModelLandscapeEvaluatesEveryPoint) {
  const int M = 3;
  const std::vector<Scalar> W = points_of(*model, M, 90);
  const Dataset data = sparse_images(100, 9);
  ModelLandscape f(*model, data);
  std::vector<double> values(M);
  std::vector<Scalar> G(M * P), g(P);
  f.evaluate_many(W.data(), M, values.data(), G.data());
  for (int m = 0; m < M; ++m) {
    EXPECT_NEAR(values[m] / f.evaluate(W.data() + m * P, g.data()), 1.0, kTol);
    EXPECT_LT(blockwise_difference(*model, G.data() + m * P, g.data(), P), kTol);
  }
}

// K random basis vectors and M combinations of them: W = C B, rounded to Scalar.
struct BasisPoints {
  std::vector<Scalar> basis, W;
  std::vector<double> C;
  PointBasis view(size_t K) const { return {basis.data(), K, C.data()}; }
};
BasisPoints basis_points(const Model& model, int K, int M, unsigned seed) {
  const size_t P = model.num_params();
  BasisPoints b;
  b.basis = points_of(model, K, seed);
  const Tensor c = testing::random_tensor({M, K}, seed + 100, -0.7, 0.9);
  b.C.assign(c.data(), c.data() + c.size());
  b.W.assign(M * P, Scalar(0));
  for (int m = 0; m < M; ++m)
    for (size_t i = 0; i < P; ++i) {
      double v = 0;
      for (int k = 0; k < K; ++k) v += b.C[m * K + k] * b.basis[k * P + i];
      b.W[m * P + i] = Scalar(v);
    }
  return b;
}

// The first layer from the basis products (the layer is linear in its weight and bias) gives
// what each point's own product gives, up to rounding (the point's weights are rounded
// combinations, the products' combination is not: a few float32 ulps of the first layer).
TEST_P(ManyPoints, PointsOfABasisEqualTheirOwnEvaluations) {
  const int K = 4, M = 10;
  const BasisPoints b = basis_points(*model, K, M, 110);
  const PointBasis basis = b.view(K);
  for (const Dataset& data : {sparse_images(150, 11), dense_images(60, 12)}) {
    std::vector<DatasetLoss> with(M), without(M);
    std::vector<Scalar> Gw(M * P), Go(M * P);
    dataset_loss_many(*model, data, b.W.data(), M, with.data(), Gw.data(), 0, &basis);
    dataset_loss_many(*model, data, b.W.data(), M, without.data(), Go.data());
    const double tol = testing::kFloat64 ? 1e-11 : 2e-4;
    for (int m = 0; m < M; ++m) {
      EXPECT_NEAR(with[m].loss / without[m].loss, 1.0, tol) << model->arch() << " point " << m;
      EXPECT_LT(blockwise_difference(*model, Gw.data() + m * P, Go.data() + m * P, P), tol)
          << model->arch() << " point " << m;
    }
  }
}

// R combinations of the gradients, with and without a basis, against sum_m D[m,r] g_m of
// the single-point gradients.
TEST_P(ManyPoints, CombinedGradientsEqualCombinationsOfSinglePointGradients) {
  const int K = 3, M = 9, R = 2;
  const BasisPoints b = basis_points(*model, K, M, 120);
  const PointBasis basis = b.view(K);
  const Dataset data = sparse_images(130, 13);
  const Tensor d = testing::random_tensor({M, R}, 121);
  const std::vector<double> D(d.data(), d.data() + d.size());
  std::vector<double> expected(R * P, 0.0);
  std::vector<Scalar> g(P);
  for (int m = 0; m < M; ++m) {
    dataset_loss(*model, data, b.W.data() + m * P, g.data());
    for (int r = 0; r < R; ++r)
      for (size_t i = 0; i < P; ++i) expected[r * P + i] += D[m * R + r] * g[i];
  }
  const std::vector<Scalar> want(expected.begin(), expected.end());
  for (const PointBasis* with_basis : {(const PointBasis*)nullptr, &basis}) {
    std::vector<DatasetLoss> r(M);
    std::vector<Scalar> out(R * P);
    dataset_loss_many_combined(*model, data, b.W.data(), M, r.data(), {D.data(), size_t(R), out.data()}, 0,
                               with_basis);
    const double tol = testing::kFloat64 ? 1e-11 : (with_basis ? 5e-4 : 3e-5);
    for (int rr = 0; rr < R; ++rr)
      EXPECT_LT(blockwise_difference(*model, out.data() + rr * P, want.data() + rr * P, P), tol)
          << model->arch() << " combination " << rr << (with_basis ? " with basis" : "");
  }
}

// The path finder's objective and b-gradient on a model landscape (basis and combined
// gradients) against the same finder on a landscape that only answers one point at a time.
class OnePointAtATime : public Landscape {
 public:
  explicit OnePointAtATime(const Landscape& f) : f_(f) {}
  std::size_t dimension() const override { return f_.dimension(); }
  double evaluate(const Scalar* x, Scalar* grad) const override { return f_.evaluate(x, grad); }
  std::string describe() const override { return "one point at a time"; }

 private:
  const Landscape& f_;
};

TEST_P(ManyPoints, PathObjectiveEqualsPointByPointEvaluation) {
  const Dataset data = sparse_images(120, 14);
  ModelLandscape many(*model, data);
  OnePointAtATime single(many);
  const std::vector<Scalar> wi = init_weights(*model, 130), wj = init_weights(*model, 131);
  for (PointLoss loss : {PointLoss::Plain, PointLoss::Squared}) {
    PathParams params;
    params.terms = 3;
    params.points = 7;
    params.point_loss = loss;
    FourierPathFinder a(many, wi, wj, params), b(single, wi, wj, params);
    const Tensor coefficients = testing::random_tensor({3, int(P)}, 132, -0.05, 0.05);
    std::vector<Scalar> ga(3 * P), gb(3 * P);
    const double La = a.objective(coefficients.data(), ga.data());
    const double Lb = b.objective(coefficients.data(), gb.data());
    const double tol = testing::kFloat64 ? 1e-11 : 5e-4;
    EXPECT_NEAR(La / Lb, 1.0, tol) << model->arch();
    EXPECT_LT(blockwise_difference(*model, ga.data(), gb.data(), 3 * P), tol) << model->arch();
  }
}

INSTANTIATE_TEST_SUITE_P(Models, ManyPoints, ::testing::Values("fcp", "lenet", "lstm", "ae"));

}  // namespace
}  // namespace landscape
