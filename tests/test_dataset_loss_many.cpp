// dataset_loss_many (docs/algorithms.md §2.6): one pass over the data for many weight vectors
// gives every point what dataset_loss gives it alone, up to summation order, for the four
// models, with and without gradients, sparse and dense first layers, partial groups, any chunk
// size, and a non-finite point among finite ones.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "landscape/model_landscape.hpp"
#include "models/dataset_loss_many.hpp"
#include "models/init.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

// n images with MNIST's sparsity (about 80% zero pixels, the rest in (0, 1]), so the dense
// input layers take the sparse product (at most 25% nonzeros, at least 48 images per chunk).
Dataset sparse_images(int n, unsigned seed) {
  Dataset d;
  d.images = testing::random_tensor({n, kImagePixels}, seed, -4, 1);
  for (size_t i = 0; i < d.images.size(); ++i) d.images[i] = std::max(Scalar(0), d.images[i]);
  for (int i = 0; i < n; ++i) d.labels.push_back((i * 7 + 3) % 10);
  return d;
}

// Dense pseudo-images: every pixel nonzero, so the input layers take the dense product.
Dataset dense_images(int n, unsigned seed) {
  Dataset d;
  d.images = testing::random_tensor({n, kImagePixels}, seed, 0.01, 1);
  for (int i = 0; i < n; ++i) d.labels.push_back((i * 3 + 1) % 10);
  return d;
}

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
  return diff / scale;
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
    if (with_gradient)
      EXPECT_LT(max_relative_difference(G.data() + m * P, g.data(), P), kTol)
          << model.arch() << " point " << m << " chunk " << chunk;
  }
}

class ManyPoints : public ::testing::TestWithParam<const char*> {};

// 11 points: a full group of 8 and a partial one of 3.
TEST_P(ManyPoints, GradientsEqualSinglePointEvaluations) {
  auto model = make_model(GetParam());
  const std::vector<Scalar> W = points_of(*model, 11, 40);
  expect_same_as_single_points(*model, sparse_images(150, 3), W, 11, 0, true);
  expect_same_as_single_points(*model, dense_images(70, 4), W, 11, 0, true);
}

TEST_P(ManyPoints, ForwardOnlyEqualsSinglePointEvaluations) {
  auto model = make_model(GetParam());
  const std::vector<Scalar> W = points_of(*model, 9, 50);
  expect_same_as_single_points(*model, sparse_images(150, 5), W, 9, 0, false);
}

TEST_P(ManyPoints, AnyChunkSizeGivesTheSameNumbers) {
  auto model = make_model(GetParam());
  const std::vector<Scalar> W = points_of(*model, 3, 60);
  for (int chunk : {1, 7, 64}) expect_same_as_single_points(*model, sparse_images(97, 6), W, 3, chunk, true);
}

// Static schedule, sums in thread order: the same thread count gives the same bits.
TEST_P(ManyPoints, RepeatedRunsGiveTheSameBits) {
  auto model = make_model(GetParam());
  const int M = 5;
  const size_t P = model->num_params();
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
  auto model = make_model(GetParam());
  const int M = 4;
  const size_t P = model->num_params();
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
    EXPECT_LT(max_relative_difference(G.data() + m * P, g.data(), P), kTol) << "point " << m;
  }
}

// The model landscape's evaluate_many is the loss (and gradient) of each point.
TEST_P(ManyPoints, ModelLandscapeEvaluatesEveryPoint) {
  auto model = make_model(GetParam());
  const int M = 3;
  const size_t P = model->num_params();
  const std::vector<Scalar> W = points_of(*model, M, 90);
  const Dataset data = sparse_images(100, 9);
  ModelLandscape f(*model, data);
  std::vector<double> values(M);
  std::vector<Scalar> G(M * P), g(P);
  f.evaluate_many(W.data(), M, values.data(), G.data());
  for (int m = 0; m < M; ++m) {
    EXPECT_NEAR(values[m] / f.evaluate(W.data() + m * P, g.data()), 1.0, kTol);
    EXPECT_LT(max_relative_difference(G.data() + m * P, g.data(), P), kTol);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, ManyPoints, ::testing::Values("fcp", "lenet", "lstm", "ae"));

}  // namespace
}  // namespace landscape
