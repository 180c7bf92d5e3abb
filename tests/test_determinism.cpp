// Determinism of the timed work of `landscape bench` (issue "make bench"): the same inputs and
// thread count give the same bits; another thread count changes only the summation order of
// the chunks, so a full-batch gradient moves by rounding alone (< 1e-5 relative in float32).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/parallel.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

struct Gradient {
  double loss = 0;
  std::vector<Scalar> grad;
};

Gradient full_batch(const Model& model, const Dataset& data, const std::vector<Scalar>& w, int threads) {
  set_num_threads(threads);
  Gradient r;
  r.grad.resize(model.num_params());
  r.loss = dataset_loss(model, data, w.data(), r.grad.data()).loss;
  return r;
}

// The largest |a_i - b_i| over the largest |b_i|: the relative size of the worst component.
double max_relative_difference(const std::vector<Scalar>& a, const std::vector<Scalar>& b) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::abs(double(a[i]) - double(b[i])));
    scale = std::max(scale, std::abs(double(b[i])));
  }
  return diff / scale;
}

bool same_bits(const std::vector<Scalar>& a, const std::vector<Scalar>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(Scalar)) == 0;
}

// On 100 pseudo-images: more than one chunk per thread for every model (LeNet's chunks are 8
// images, the LSTM's 16, FCP's and the autoencoder's 50 with 2 threads, 100 with 1).
class Determinism : public ::testing::TestWithParam<const char*> {
 protected:
  void TearDown() override { set_num_threads(2); }  // as meson runs the tests
};

TEST_P(Determinism, SameThreadsSameBits) {
  auto model = make_model(GetParam());
  const Dataset data = testing::pseudo_images(100, 3);
  const std::vector<Scalar> w = init_weights(*model, 5);
  for (int threads : {1, 2}) {
    const Gradient a = full_batch(*model, data, w, threads);
    const Gradient b = full_batch(*model, data, w, threads);
    EXPECT_EQ(std::memcmp(&a.loss, &b.loss, sizeof(double)), 0) << threads << " threads";
    EXPECT_TRUE(same_bits(a.grad, b.grad)) << threads << " threads";
  }
}

TEST_P(Determinism, OneAndTwoThreadsDifferOnlyByRounding) {
  auto model = make_model(GetParam());
  const Dataset data = testing::pseudo_images(100, 4);
  const std::vector<Scalar> w = init_weights(*model, 6);
  const Gradient one = full_batch(*model, data, w, 1);
  const Gradient two = full_batch(*model, data, w, 2);
  const double tol = testing::kFloat64 ? 1e-13 : 1e-5;
  const double d = max_relative_difference(two.grad, one.grad);
  std::printf("[ %s ] 1 vs 2 threads: largest gradient difference %.3g of the largest component\n",
              GetParam(), d);
  EXPECT_LT(d, tol);
  EXPECT_NEAR(two.loss / one.loss, 1.0, tol);
}

INSTANTIATE_TEST_SUITE_P(Models, Determinism, ::testing::Values("fcp", "lenet", "lstm", "ae"));

// A FourierPathFinder step (points evaluated in parallel) twice: the same bits; and with one
// thread the same bits again, since each point is then one serial dataset_loss either way.
TEST(DeterminismPath, PathStepSameBitsForAnyThreadCount) {
  auto model = make_model("lstm");
  const Dataset data = testing::pseudo_images(40, 7);
  const ModelLandscape land(*model, data);
  const std::vector<Scalar> wi = init_weights(*model, 1), wj = init_weights(*model, 2);
  PathParams pp;
  pp.points = 5;
  pp.terms = 3;
  std::vector<Scalar> b(size_t(pp.terms) * model->num_params());
  for (size_t i = 0; i < b.size(); ++i) b[i] = Scalar(1e-3 * std::sin(0.1 * double(i)));
  auto step = [&](int threads) {
    set_num_threads(threads);
    FourierPathFinder finder(land, wi, wj, pp);
    std::vector<Scalar> grad(b.size());
    const double L = finder.objective(b.data(), grad.data());
    grad.push_back(Scalar(L));
    return grad;
  };
  const std::vector<Scalar> a = step(2), again = step(2), serial = step(1);
  EXPECT_TRUE(same_bits(a, again));
  set_num_threads(2);
  const double tol = testing::kFloat64 ? 1e-13 : 1e-5;
  EXPECT_LT(max_relative_difference(serial, a), tol);
}

}  // namespace
}  // namespace landscape
