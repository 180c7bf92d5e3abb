// The four models against PyTorch (../shared/conformance, copied into reference_outputs/):
// outputs for 4 images and the full gradient over 64 images, with the sine weights; plus the
// composition checked by float64 finite differences, and the chunked parallel loss against its
// plain serial twin.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/error.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"
#include "models/lstm_permutation.hpp"
#include "models/model.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::have_mnist;
using testing::mnist_dir;
using testing::reference_path;

constexpr double kRelTol = testing::kFloat64 ? 1e-9 : 1e-4;

// w[i] = 0.1 sin(0.37 i + 0.11), the conformance weights.
std::vector<Scalar> sine_weights(size_t n) {
  std::vector<Scalar> w(n);
  for (size_t i = 0; i < n; ++i) w[i] = Scalar(0.1 * std::sin(0.37 * double(i) + 0.11));
  return w;
}

using testing::relative_error;

// "loss" of one model from conformance.json (a flat file; one regex is enough).
double reference_loss(const std::string& model) {
  std::ifstream in(reference_path("conformance/models/conformance.json"));
  std::stringstream ss;
  ss << in.rdbuf();
  std::smatch m;
  const std::string text = ss.str();
  std::regex re("\"" + model + "\":\\s*\\{[^}]*?\"loss\":\\s*([-0-9.eE+]+)");
  if (!std::regex_search(text, m, re)) return NAN;
  return std::stod(m[1]);
}

struct Case {
  const char* arch;
  const char* ref;  // file prefix in the conformance set
  size_t params;
};

class Conformance : public ::testing::TestWithParam<Case> {};

TEST_P(Conformance, OutputsLossAndGradientMatchPyTorch) {
  const Case c = GetParam();
  auto model = make_model(c.arch);
  ASSERT_EQ(model->num_params(), c.params);
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  Dataset data = load_mnist(mnist_dir(), Split::Train, 64);
  std::vector<Scalar> w = sine_weights(c.params);

  // Outputs for the first 4 images.
  Graph g;
  auto params = parameter_leaves(g, *model, w.data(), nullptr);
  Var x = g.constant(Tensor::view(data.images.data(), {4, kImagePixels}));
  const Tensor& out = g.value(model->forward(g, params, x));
  NpyMatrix out_ref = read_npy(reference_path(std::string("conformance/models/conf_") + c.ref + "_out4.npy"));
  ASSERT_EQ(size_t(out_ref.rows * out_ref.cols), out.size());
  EXPECT_LT(relative_error(out.data(), out_ref.data), kRelTol) << c.arch << " outputs";

  // Loss and gradient over the 64 images.
  std::vector<Scalar> grad(c.params);
  DatasetLoss r = dataset_loss(*model, data, w.data(), grad.data());
  EXPECT_NEAR(r.loss / reference_loss(c.ref), 1.0, kRelTol) << c.arch << " loss";
  NpyMatrix grad_ref =
      read_npy(reference_path(std::string("conformance/models/conf_") + c.ref + "_grad.npy"));
  ASSERT_EQ(size_t(grad_ref.rows * grad_ref.cols), c.params);
  EXPECT_LT(relative_error(grad.data(), grad_ref.data), kRelTol) << c.arch << " gradient";
}

INSTANTIATE_TEST_SUITE_P(Models, Conformance,
                         ::testing::Values(Case{"fcp", "FCP", 42200}, Case{"lenet", "LN", 61706},
                                           Case{"lstm", "LSTM", 15456}, Case{"ae", "AE", 52224}),
                         [](const auto& info) { return std::string(info.param.arch); });

// A few images of deterministic pseudo-data: the composition tests need no MNIST.
Dataset synthetic_images(int n, unsigned seed) { return testing::pseudo_images(n, seed, 0, 7, 3); }

class ModelGradient : public ::testing::TestWithParam<const char*> {};

// The whole model's gradient against central differences: along random directions (all
// parameters at once) and on a few coordinates of every parameter block.
TEST_P(ModelGradient, EqualsFiniteDifferences) {
  if (!testing::kFloat64) GTEST_SKIP() << "finite-difference checks run in the float64 build";
  auto model = make_model(GetParam());
  Dataset data = synthetic_images(3, 5);
  std::vector<Scalar> w = init_weights(*model, 11);
  const size_t P = model->num_params();
  std::vector<Scalar> grad(P);
  dataset_loss(*model, data, w.data(), grad.data());
  auto loss_at = [&](const std::vector<Scalar>& v) {
    return dataset_loss(*model, data, v.data(), nullptr).loss;
  };
  const double h = 1e-6;
  for (unsigned dir = 0; dir < 2; ++dir) {
    Tensor v = testing::random_tensor({int(P)}, 100 + dir);
    std::vector<Scalar> up = w, down = w;
    double analytic = 0;
    for (size_t i = 0; i < P; ++i) {
      up[i] += h * v[i];
      down[i] -= h * v[i];
      analytic += double(grad[i]) * v[i];
    }
    const double numeric = (loss_at(up) - loss_at(down)) / (2 * h);
    EXPECT_NEAR(numeric / analytic, 1.0, 1e-6) << GetParam() << " direction " << dir;
  }
  for (const ParamBlock& b : model->layout())
    for (size_t k : {size_t(0), b.size() / 2, b.size() - 1}) {
      const size_t i = b.offset + k;
      std::vector<Scalar> up = w, down = w;
      up[i] += h;
      down[i] -= h;
      const double numeric = (loss_at(up) - loss_at(down)) / (2 * h);
      EXPECT_NEAR(grad[i], numeric, 1e-6 * std::max(1e-3, std::abs(numeric)))
          << GetParam() << " " << b.name << "[" << k << "]";
    }
}

// Chunks and threads change only the summation order.
TEST_P(ModelGradient, ChunkedParallelEqualsSerialPerImage) {
  auto model = make_model(GetParam());
  Dataset data = synthetic_images(37, 6);
  std::vector<Scalar> w = init_weights(*model, 12);
  const size_t P = model->num_params();
  std::vector<Scalar> g_ref(P), g_chunk(P);
  DatasetLoss ref = dataset_loss_reference(*model, data, w.data(), g_ref.data());
  for (int chunk : {1, 8, 64}) {
    DatasetLoss r = dataset_loss(*model, data, w.data(), g_chunk.data(), chunk);
    const double tol = testing::kFloat64 ? 1e-12 : 2e-5;
    EXPECT_NEAR(r.loss / ref.loss, 1.0, tol) << "chunk " << chunk;
    EXPECT_LT(relative_error(g_chunk.data(), g_ref), tol) << "chunk " << chunk;
    EXPECT_EQ(r.correct, ref.correct);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, ModelGradient, ::testing::Values("fcp", "lenet", "lstm", "ae"));

TEST(Models, LayoutsFollowPyTorchParameterOrder) {
  auto lenet = make_model("lenet");
  const auto& L = lenet->layout();
  ASSERT_EQ(L.size(), 10u);
  EXPECT_EQ(L[1].name, "conv1.bias");
  EXPECT_EQ(L[1].offset, 150u);
  EXPECT_EQ(L[4].shape, (Shape{120, 400}));
  auto lstm = make_model("lstm");
  EXPECT_EQ(lstm->layout()[2].offset, 192u * 28 + 192u * 48);
}

TEST(Models, EmbeddedLstmPermutationIsThePublishedOne) {
  std::vector<int64_t> perm = read_npy_int64_vector(reference_path("lstm_perm_seed1234.npy"));
  const std::vector<int>& embedded = lstm_permutation();
  ASSERT_EQ(perm.size(), embedded.size());
  for (size_t i = 0; i < perm.size(); ++i) EXPECT_EQ(perm[i], embedded[i]) << i;
}

TEST(Models, InitIsSeededAndWithinPyTorchBounds) {
  auto model = make_model("lenet");
  std::vector<Scalar> a = init_weights(*model, 3), b = init_weights(*model, 3), c = init_weights(*model, 4);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  for (const ParamBlock& blk : model->layout()) {
    double max_abs = 0;
    for (size_t i = 0; i < blk.size(); ++i) max_abs = std::max(max_abs, std::abs(double(a[blk.offset + i])));
    EXPECT_LE(max_abs, blk.init_bound) << blk.name;
    if (blk.size() > 100) {
      EXPECT_GT(max_abs, 0.9 * blk.init_bound) << blk.name;
    }
  }
}

TEST(Models, UnknownArchIsAUsageError) { EXPECT_THROW(make_model("resnet"), UsageError); }

}  // namespace
}  // namespace landscape
