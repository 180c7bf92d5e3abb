// Sharpness (landscape/sharpness/sharpness.*, experiments/related/sharpness_study.*;
// docs/algorithms.md §10.9):
// - on a quadratic 0.5 x^T A x the worst case in the plain ball is 0.5 lambda_max rho^2, the
//   average 0.5 rho^2 tr(A) / P, Keskar's 100 x 0.5 epsilon^2 sum(a_i) (the box's corner);
// - an FCP with ReLU rescaled layer by layer (fc1 x 4, fc2 / 4) computes the same loss; its
//   adaptive measures are unchanged and its plain ones change;
// - `landscape sharpness` writes one line per measure, scale and rho.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "io/csv.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/sharpness/sharpness.hpp"
#include "models/dataset_loss.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

// 0.5 sum a_i x_i^2.
class Quadratic : public Landscape {
 public:
  explicit Quadratic(std::vector<double> a) : a_(std::move(a)) {}
  std::size_t dimension() const override { return a_.size(); }
  double evaluate(const Scalar* x, Scalar* grad) const override {
    double f = 0;
    for (std::size_t i = 0; i < a_.size(); ++i) {
      f += 0.5 * a_[i] * double(x[i]) * double(x[i]);
      if (grad) grad[i] = Scalar(a_[i] * double(x[i]));
    }
    return f;
  }
  std::string describe() const override { return "quadratic"; }

 private:
  std::vector<double> a_;
};

TEST(Sharpness, KnownValuesOnAQuadratic) {
  std::vector<double> a;
  for (int i = 0; i < 39; ++i) a.push_back(0.1 + 0.05 * i);
  a.push_back(4.0);  // lambda_max well above the next (2.0): the ascent finds its direction
  double sum = 0;
  for (double x : a) sum += x;
  const Quadratic f(a);
  const std::vector<Scalar> w(a.size(), Scalar(0));
  const std::vector<double> ones(a.size(), 1.0);
  const double rho = 0.3;
  const SharpnessValue worst = worst_case_sharpness(f, w.data(), 0, ones, rho, {200, 3, 1});
  EXPECT_NEAR(worst.value, 0.5 * 4.0 * rho * rho, 0.01 * 0.5 * 4.0 * rho * rho);
  EXPECT_LE(worst.value, 0.5 * 4.0 * rho * rho * (1 + 1e-6));  // never outside the ball
  const SharpnessValue avg = average_sharpness(f, w.data(), 0, ones, rho, 4000, 2);
  const double expected = 0.5 * rho * rho * sum / 40;
  EXPECT_NEAR(avg.value, expected, 5 * avg.standard_error);
  EXPECT_LT(avg.standard_error, 0.05 * expected);
  const double eps = 0.01;
  const SharpnessValue keskar = keskar_sharpness(f, w.data(), 0, eps, {20, 2, 3});
  EXPECT_NEAR(keskar.value, 100 * 0.5 * eps * eps * sum, 1e-6 * keskar.value);
}

TEST(Sharpness, AdaptiveMeasuresIgnoreALayerwiseRescaling) {
  auto model = make_model("fcp", Activation::Relu);
  const size_t P = model->num_params();
  const Tensor t = testing::random_tensor({int(P)}, 5, -0.1, 0.1);
  const std::vector<Scalar> w(t.data(), t.data() + P);
  std::vector<Scalar> rescaled = w;  // fc1 x 4, fc2 / 4: relu(4 z) = 4 relu(z), no biases
  const ParamBlock& fc1 = model->layout()[0];
  const ParamBlock& fc2 = model->layout()[1];
  for (size_t i = 0; i < fc1.size(); ++i) rescaled[fc1.offset + i] *= 4;
  for (size_t i = 0; i < fc2.size(); ++i) rescaled[fc2.offset + i] /= 4;
  const Dataset d = testing::pseudo_images(48, 6);
  const ModelLandscape f(*model, d);
  const double loss = dataset_loss(*model, d, w.data(), nullptr).loss;
  ASSERT_NEAR(dataset_loss(*model, d, rescaled.data(), nullptr).loss, loss, 1e-6 * loss);
  const AscentParams ascent{10, 2, 7};
  for (SharpnessScale scale : {SharpnessScale::Adaptive, SharpnessScale::Plain}) {
    const std::vector<double> c = sharpness_scale(scale, w.data(), P),
                              c2 = sharpness_scale(scale, rescaled.data(), P);
    const double rho = scale == SharpnessScale::Adaptive ? 0.5 : 0.5;
    const double worst = worst_case_sharpness(f, w.data(), loss, c, rho, ascent).value;
    const double worst2 = worst_case_sharpness(f, rescaled.data(), loss, c2, rho, ascent).value;
    const double avg = average_sharpness(f, w.data(), loss, c, rho, 10, 8).value;
    const double avg2 = average_sharpness(f, rescaled.data(), loss, c2, rho, 10, 8).value;
    EXPECT_GT(worst, 0);
    if (scale == SharpnessScale::Adaptive) {
      EXPECT_NEAR(worst2, worst, 1e-4 * worst);
      EXPECT_NEAR(avg2, avg, 1e-4 * std::abs(avg) + 1e-7);
    } else {
      EXPECT_GT(std::abs(worst2 - worst), 0.05 * worst);
      EXPECT_GT(std::abs(avg2 - avg), 1e-3 * std::abs(avg));
    }
  }
  // Keskar's box (|w| + 1) is not rescaled with the weights.
  const double k1 = keskar_sharpness(f, w.data(), loss, 1e-2, ascent).value;
  const double k2 = keskar_sharpness(f, rescaled.data(), loss, 1e-2, ascent).value;
  EXPECT_GT(std::abs(k2 - k1), 1e-3 * k1);
}

TEST(SharpnessCommand, WritesEveryMeasure) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found in " << testing::mnist_dir();
  const std::string dir = testing::temp_dir();
  ASSERT_EQ(testing::run_command({testing::binary(), "sharpness",
                                  "--arch",          "fcp",
                                  "--weights",       testing::reference_path("lbfgs_FCP_final_w.npy"),
                                  "--images",        "200",
                                  "--rho",           "0.01,0.1",
                                  "--steps",         "5",
                                  "--restarts",      "2",
                                  "--samples",       "4",
                                  "--data",          testing::mnist_dir(),
                                  "--out",           dir,
                                  "--threads",       "2"}),
            0);
  const CsvTable t = read_csv(dir + "/sharpness.csv");
  ASSERT_EQ(t.rows.size(), 2u * 2u * 2u + 1u);  // (worst, average) x (plain, adaptive) x rho, keskar
  for (size_t r = 0; r < t.rows.size(); ++r)
    if (t.rows[r][2] == "worst") EXPECT_GE(t.number(r, "value"), 0) << r;
  // A larger ball rises higher: the worst case at rho 0.1 above that at 0.01 (plain, rows 0 and 2).
  EXPECT_GT(t.number(2, "value"), t.number(0, "value"));
  EXPECT_EQ(t.rows.back()[2], "keskar");
  EXPECT_NE(testing::run_command({testing::binary(), "sharpness", "--arch", "fcp", "--weights",
                                  testing::reference_path("lbfgs_FCP_final_w.npy"), "--rho", "-1", "--out",
                                  testing::temp_dir()}),
            0);
}

}  // namespace
}  // namespace landscape
