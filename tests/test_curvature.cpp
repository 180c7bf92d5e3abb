// The Gauss-Newton and empirical-Fisher products (models/dataset_ggn.*, models/per_example_gradients.*,
// landscape/spectra/curvature_operator.*; docs/algorithms.md §10.8):
// - where the network is linear in w, G is the Hessian (cross-entropy and MSE);
// - on a small nonlinear network, G v equals J^T H_L J v with J from central differences of the
//   outputs, H_L written out;
// - the per-example gradients average to the dataset gradient, and each equals the gradient of
//   a one-example dataset; F v is their explicit sum;
// - `landscape hessian --curvature ggn|fisher|hessian` on the FCP and 64 MNIST images agrees with
//   PyTorch float64 (explicit Jacobians, reference_outputs/curvature/fcp_64.json) on lambda_max
//   and, within its standard error, on the trace; a block's lambda_max is at most the whole's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "io/csv.hpp"
#include "landscape/spectra/curvature_operator.hpp"
#include "models/dataset_ggn.hpp"
#include "models/dataset_hvp.hpp"
#include "models/dataset_loss.hpp"
#include "models/described_model.hpp"
#include "models/model_description.hpp"
#include "models/per_example_gradients.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::kFloat64;

constexpr const char* kLinearClassifier = R"({"name": "linear", "input": [6], "loss": "cross_entropy",
  "layers": [{"type": "linear", "name": "fc", "out_features": 4}]})";
constexpr const char* kLinearAutoencoder = R"({"name": "linear-ae", "input": [6], "loss": "mse_input",
  "layers": [{"type": "linear", "name": "fc", "out_features": 6}]})";
constexpr const char* kSmallMlp = R"({"name": "mlp", "input": [6], "loss": "cross_entropy",
  "layers": [{"type": "linear", "name": "fc1", "out_features": 5}, {"type": "softplus"},
             {"type": "linear", "name": "fc2", "out_features": 3}]})";

std::unique_ptr<Model> model_of(const char* json) {
  return make_described_model(parse_model_description(json, "test.json"));
}

Dataset examples(int n, int D, int classes, unsigned seed) {
  Dataset d;
  d.images = testing::random_tensor({n, D}, seed, 0, 1);
  d.sample_shape = {D};
  for (int i = 0; i < n; ++i) d.labels.push_back((i * 5 + 1) % classes);
  return d;
}

std::vector<Scalar> vector_of(size_t P, unsigned seed, double scale = 1) {
  const Tensor t = testing::random_tensor({int(P)}, seed, -scale, scale);
  return std::vector<Scalar>(t.data(), t.data() + P);
}

double max_abs(const std::vector<Scalar>& v) {
  double m = 0;
  for (Scalar x : v) m = std::max(m, std::abs(double(x)));
  return m;
}

const double kTight = kFloat64 ? 1e-10 : 2e-5;

TEST(GaussNewton, EqualsTheHessianWhereTheNetworkIsLinear) {
  for (const char* json : {kLinearClassifier, kLinearAutoencoder}) {
    auto m = model_of(json);
    const Dataset d = examples(13, 6, 4, 3);
    const size_t P = m->num_params();
    const std::vector<Scalar> w = vector_of(P, 1), v = vector_of(P, 2);
    std::vector<Scalar> Gv(P), Hv(P);
    const double loss_g = dataset_ggn_product(*m, d, w.data(), v.data(), Gv.data(), 4).loss;
    const double loss_h = dataset_hvp(*m, d, w.data(), v.data(), Hv.data()).loss;
    EXPECT_NEAR(loss_g, loss_h, kTight * loss_h);
    EXPECT_LT(testing::relative_error(Gv.data(), Hv), kTight) << m->arch();
    EXPECT_GT(max_abs(Gv), 1e-3) << m->arch();  // not vanishing
  }
}

// The outputs z(w) [n*K] of the small network, as double.
std::vector<double> outputs(const Model& m, const Dataset& d, const std::vector<Scalar>& w) {
  Graph g;
  std::vector<Var> params;
  for (const ParamBlock& b : m.layout())
    params.push_back(g.constant(Tensor::view(w.data() + b.offset, b.shape)));
  const Var out = m.forward(g, params, g.constant(d.images));
  const Tensor& z = g.value(out);
  return std::vector<double>(z.data(), z.data() + z.size());
}

TEST(GaussNewton, IsTheExplicitJacobianProductOnASmallNetwork) {
  auto m = model_of(kSmallMlp);
  const int n = 7, K = 3;
  const Dataset d = examples(n, 6, K, 5);
  const size_t P = m->num_params();
  const std::vector<Scalar> w = vector_of(P, 7, 1.5), v = vector_of(P, 8);
  // J [n*K, P] by central differences of the outputs.
  const double h = kFloat64 ? 1e-6 : 1e-2;
  std::vector<double> J(size_t(n * K) * P);
  for (size_t p = 0; p < P; ++p) {
    std::vector<Scalar> up = w, down = w;
    up[p] += Scalar(h);
    down[p] -= Scalar(h);
    const std::vector<double> zu = outputs(*m, d, up), zd = outputs(*m, d, down);
    for (size_t r = 0; r < zu.size(); ++r) J[r * P + p] = (zu[r] - zd[r]) / (double(up[p]) - double(down[p]));
  }
  // G v = J^T H_L J v, H_L = (diag(p) - p p^T) / n per example.
  const std::vector<double> z = outputs(*m, d, w);
  std::vector<double> Jv(size_t(n * K), 0.0), u(size_t(n * K)), expected(P, 0.0);
  for (size_t r = 0; r < Jv.size(); ++r)
    for (size_t p = 0; p < P; ++p) Jv[r] += J[r * P + p] * double(v[p]);
  for (int i = 0; i < n; ++i) {
    double top = -1e300, norm = 0, pr = 0;
    for (int k = 0; k < K; ++k) top = std::max(top, z[size_t(i * K + k)]);
    std::vector<double> prob(K);
    for (int k = 0; k < K; ++k) norm += prob[size_t(k)] = std::exp(z[size_t(i * K + k)] - top);
    for (int k = 0; k < K; ++k) prob[size_t(k)] /= norm;
    for (int k = 0; k < K; ++k) pr += prob[size_t(k)] * Jv[size_t(i * K + k)];
    for (int k = 0; k < K; ++k) u[size_t(i * K + k)] = prob[size_t(k)] * (Jv[size_t(i * K + k)] - pr) / n;
  }
  for (size_t r = 0; r < u.size(); ++r)
    for (size_t p = 0; p < P; ++p) expected[p] += J[r * P + p] * u[r];
  std::vector<Scalar> Gv(P), Hv(P);
  dataset_ggn_product(*m, d, w.data(), v.data(), Gv.data());
  std::vector<Scalar> expected_s(expected.begin(), expected.end());
  EXPECT_LT(testing::relative_error(Gv.data(), expected_s), kFloat64 ? 1e-7 : 2e-2);
  // A nonlinear network: the Hessian's second term is not zero, so G v differs from H v.
  dataset_hvp(*m, d, w.data(), v.data(), Hv.data());
  EXPECT_GT(testing::relative_error(Gv.data(), Hv), 1e-3);
  // Positive semi-definite: v.Gv >= 0 (G = J^T H_L J, H_L >= 0).
  double vGv = 0;
  for (size_t p = 0; p < P; ++p) vGv += double(v[p]) * double(Gv[p]);
  EXPECT_GT(vGv, 0);
}

TEST(EmpiricalFisher, PerExampleGradientsAreTheOneExampleGradients) {
  for (const char* json : {kSmallMlp, kLinearAutoencoder}) {
    auto m = model_of(json);
    const int n = 9;
    const Dataset d = examples(n, 6, 3, 11);
    const size_t P = m->num_params();
    const std::vector<Scalar> w = vector_of(P, 12), v = vector_of(P, 13);
    const std::vector<double> G = per_example_gradients(*m, d, w.data());
    ASSERT_EQ(G.size(), size_t(n) * P);
    std::vector<double> mean(P, 0.0), Fv(P, 0.0);
    for (int i = 0; i < n; ++i) {
      Dataset one;
      one.images = Tensor({1, 6});
      std::copy(d.images.data() + i * 6, d.images.data() + (i + 1) * 6, one.images.data());
      one.sample_shape = {6};
      one.labels = {d.labels[size_t(i)]};
      std::vector<Scalar> g(P);
      dataset_loss(*m, one, w.data(), g.data());
      std::vector<Scalar> row(G.begin() + std::ptrdiff_t(size_t(i) * P),
                              G.begin() + std::ptrdiff_t(size_t(i + 1) * P));
      EXPECT_LT(testing::relative_error(row.data(), g), kTight) << m->arch() << " example " << i;
      double gv = 0;
      for (size_t p = 0; p < P; ++p) gv += double(g[p]) * double(v[p]);
      for (size_t p = 0; p < P; ++p) {
        mean[p] += double(g[p]) / n;
        Fv[p] += double(g[p]) * gv / n;
      }
    }
    std::vector<Scalar> grad(P);
    dataset_loss(*m, d, w.data(), grad.data());
    const std::vector<Scalar> mean_s(mean.begin(), mean.end());
    EXPECT_LT(testing::relative_error(grad.data(), mean_s), kTight) << m->arch();
    const SymmetricOperator F = curvature_operator(Curvature::Fisher, *m, d, w.data());
    std::vector<double> vd(v.begin(), v.end()), out(P);
    F.apply(vd.data(), out.data());
    EXPECT_LT(testing::relative_difference(out, Fv), 1e-12) << m->arch();
  }
}

// One curvature's spectrum.csv from the command, on the FCP golden point.
CsvTable spectrum_of(const std::string& curvature, bool per_layer, const std::string& dir) {
  std::vector<std::string> argv = {testing::binary(), "hessian",
                                   "--arch",          "fcp",
                                   "--weights",       testing::reference_path("lbfgs_FCP_final_w.npy"),
                                   "--images",        "64",
                                   "--curvature",     curvature,
                                   "--iterations",    "60",
                                   "--probes",        "12",
                                   "--data",          testing::mnist_dir(),
                                   "--out",           dir,
                                   "--threads",       "2"};
  if (per_layer) argv.push_back("--per-layer");
  EXPECT_EQ(testing::run_command(argv), 0) << curvature;
  return read_csv(dir + "/spectrum.csv");
}

TEST(CurvatureCommand, AgreesWithPyTorchOnTheFcp) {
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found in " << testing::mnist_dir();
  std::ifstream in(testing::reference_path("curvature/fcp_64.json"));
  const nlohmann::json golden = nlohmann::json::parse(in);
  const double tol = kFloat64 ? 1e-6 : 1e-4;
  for (const std::string c : {"hessian", "ggn", "fisher"}) {
    const std::string dir = testing::temp_dir();
    const CsvTable s = spectrum_of(c, c == "ggn", dir);
    const double lambda_max = golden[c + "_lambda_max"].get<double>();
    EXPECT_NEAR(s.number(0, "lambda_max"), lambda_max, tol * lambda_max) << c;
    EXPECT_NEAR(s.number(0, "loss"), golden["loss"].get<double>(), kFloat64 ? 1e-12 : 1e-6);
    if (c == "hessian") continue;
    // Positive semi-definite; the trace within 3 of Hutchinson's standard errors.
    EXPECT_GT(s.number(0, "lambda_min"), -1e-6 * lambda_max) << c;
    const double trace = golden[c + "_trace"].get<double>();
    EXPECT_LT(std::abs(s.number(0, "trace") - trace), 3 * s.number(0, "trace_se")) << c;
    if (c != "ggn") continue;
    // A diagonal block of a positive semi-definite matrix: its largest eigenvalue is at most the
    // whole matrix's (Cauchy interlacing).
    const CsvTable layers = read_csv(dir + "/layers.csv");
    ASSERT_EQ(layers.rows.size(), 3u);
    for (size_t r = 0; r < 3; ++r) {
      EXPECT_LE(layers.number(r, "lambda_max"), lambda_max * (1 + tol)) << layers.rows[r][2];
      EXPECT_GT(layers.number(r, "lambda_max"), 0) << layers.rows[r][2];
    }
  }
  EXPECT_NE(testing::run_command({testing::binary(), "hessian", "--arch", "fcp", "--weights",
                                  testing::reference_path("lbfgs_FCP_final_w.npy"), "--curvature",
                                  "fisherman", "--out", testing::temp_dir()}),
            0);
}

}  // namespace
}  // namespace landscape
