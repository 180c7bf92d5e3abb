// Networks from description files (models/model_description.*, models/described_model.*):
// the study's four shipped descriptions (models/*.json) give the same layout and the same bits
// as the hand-written models they replace (tests/reference_models/), for the loss, the gradient,
// many points at once and Hessian-vector products; a user's network (residual blocks, biases)
// has its gradient checked by finite differences; and every malformed description is refused
// with a message naming the file, the layer and the problem.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "io/npy.hpp"
#include "models/dataset_hvp.hpp"
#include "models/dataset_loss.hpp"
#include "models/dataset_loss_many.hpp"
#include "models/described_model.hpp"
#include "models/init.hpp"
#include "models/model_description.hpp"
#include "reference_models/reference_models.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

// Pseudo-images with MNIST's mix of exact zeros and values in (0,1], so the first layer's
// sparse product (linear.cpp) is exercised as on the real data.
Dataset sparse_images(int n, unsigned seed) { return testing::pseudo_images(n, seed, -2, 7, 3); }

std::unique_ptr<Model> reference_model(const std::string& arch, Activation a) {
  if (arch == "fcp") return reference::make_fcp(a);
  if (arch == "lenet") return reference::make_lenet(a);
  if (arch == "lstm") return reference::make_lstm(a);
  return reference::make_autoencoder(a);
}

bool same_bits(const std::vector<Scalar>& a, const std::vector<Scalar>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(Scalar)) == 0;
}

// The dataset gradient at init_weights(m, seed) against central differences (step 1e-6) on
// the first, the 1/part-th and the last coordinate of every parameter block.
void expect_gradient_equals_finite_differences(const Model& m, const Dataset& data, uint64_t seed,
                                               size_t part) {
  std::vector<Scalar> w = init_weights(m, seed);
  std::vector<Scalar> grad(m.num_params());
  dataset_loss(m, data, w.data(), grad.data());
  const double h = 1e-6;
  for (const ParamBlock& b : m.layout())
    for (size_t k : {size_t(0), b.size() / part, b.size() - 1}) {
      std::vector<Scalar> up = w, down = w;
      up[b.offset + k] += h;
      down[b.offset + k] -= h;
      const double numeric = (dataset_loss(m, data, up.data(), nullptr).loss -
                              dataset_loss(m, data, down.data(), nullptr).loss) /
                             (2 * h);
      EXPECT_NEAR(grad[b.offset + k], numeric, 1e-6 * std::max(1e-3, std::abs(numeric)))
          << b.name << "[" << k << "]";
    }
}

struct ShippedCase {
  const char* arch;
  Activation activation;
};

class Shipped : public ::testing::TestWithParam<ShippedCase> {
 protected:
  std::unique_ptr<Model> described() const { return make_model(GetParam().arch, GetParam().activation); }
  std::unique_ptr<Model> reference() const { return reference_model(GetParam().arch, GetParam().activation); }
};

TEST_P(Shipped, LayoutFlopsChunksAndInputLayerAreTheHandWrittenModels) {
  auto d = described(), r = reference();
  EXPECT_EQ(d->arch(), r->arch());
  EXPECT_EQ(d->is_classifier(), r->is_classifier());
  ASSERT_EQ(d->layout().size(), r->layout().size());
  for (size_t k = 0; k < d->layout().size(); ++k) {
    const ParamBlock &a = d->layout()[k], &b = r->layout()[k];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.shape, b.shape) << a.name;
    EXPECT_EQ(a.offset, b.offset) << a.name;
    EXPECT_EQ(a.init_bound, b.init_bound) << a.name;
  }
  EXPECT_EQ(d->forward_flops(), r->forward_flops());
  EXPECT_EQ(d->chunk_images(), r->chunk_images());
  EXPECT_EQ(d->input_layer().kind, r->input_layer().kind);
  EXPECT_EQ(d->input_layer().weight, r->input_layer().weight);
  EXPECT_EQ(d->input_layer().bias, r->input_layer().bias);
  EXPECT_TRUE(same_bits(init_weights(*d, 3), init_weights(*r, 3)));
}

TEST_P(Shipped, LossGradientManyPointsAndHessianProductsAreBitIdentical) {
  auto d = described(), r = reference();
  const Dataset data = sparse_images(70, 4);
  const size_t P = d->num_params();
  const std::vector<Scalar> w = init_weights(*r, 5);
  std::vector<Scalar> gd(P), gr(P);
  const DatasetLoss ld = dataset_loss(*d, data, w.data(), gd.data());
  const DatasetLoss lr = dataset_loss(*r, data, w.data(), gr.data());
  EXPECT_EQ(ld.loss, lr.loss);
  EXPECT_EQ(ld.correct, lr.correct);
  EXPECT_TRUE(same_bits(gd, gr));

  // Three points at once: the many-point path (and its shared input layer where there is one).
  std::vector<Scalar> W;
  for (uint64_t s : {5, 6, 7}) {
    const std::vector<Scalar> p = init_weights(*r, s);
    W.insert(W.end(), p.begin(), p.end());
  }
  std::vector<DatasetLoss> md(3), mr(3);
  std::vector<Scalar> Gd(3 * P), Gr(3 * P);
  dataset_loss_many(*d, data, W.data(), 3, md.data(), Gd.data());
  dataset_loss_many(*r, data, W.data(), 3, mr.data(), Gr.data());
  for (int m = 0; m < 3; ++m) EXPECT_EQ(md[m].loss, mr[m].loss) << m;
  EXPECT_TRUE(same_bits(Gd, Gr));

  const Tensor v = testing::random_tensor({int(P)}, 9);
  std::vector<Scalar> hd(P), hr(P);
  dataset_hvp(*d, data, w.data(), v.data(), hd.data());
  dataset_hvp(*r, data, w.data(), v.data(), hr.data());
  EXPECT_TRUE(same_bits(hd, hr));
}

INSTANTIATE_TEST_SUITE_P(
    Models, Shipped,
    ::testing::Values(ShippedCase{"fcp", Activation::Softplus}, ShippedCase{"fcp", Activation::Relu},
                      ShippedCase{"lenet", Activation::Softplus}, ShippedCase{"lenet", Activation::Relu},
                      ShippedCase{"lstm", Activation::Softplus}, ShippedCase{"ae", Activation::Softplus},
                      ShippedCase{"ae", Activation::Relu}),
    [](const auto& info) {
      return std::string(info.param.arch) +
             (info.param.activation == Activation::Relu ? "_relu" : "_softplus");
    });

// A small residual network of the kinds users bring: convolution with a bias, a residual
// block with a 1x1 convolution on the skip, a residual MLP block with the identity skip.
const char* kResidualNet = R"({
  "name": "resnet-tiny", "input": [1, 28, 28], "loss": "cross_entropy",
  // comments are allowed
  "layers": [
    {"type": "conv2d", "name": "stem", "out_channels": 3, "kernel_size": 3, "padding": 1},
    {"type": "tanh"},
    {"type": "residual", "name": "block1",
     "body": [{"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1}, {"type": "softplus"},
              {"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1}],
     "projection": {"type": "conv2d", "out_channels": 4, "kernel_size": 1, "bias": false}},
    {"type": "avgpool2d", "kernel_size": 2},
    {"type": "avgpool2d", "kernel_size": 2},
    {"type": "flatten"},
    {"type": "linear", "name": "fc", "out_features": 12},
    {"type": "residual", "name": "mlp", "body": [{"type": "linear", "name": "inner", "out_features": 12}, {"type": "relu"}]},
    {"type": "sigmoid"},
    {"type": "linear", "name": "head", "out_features": 10}
  ]})";

TEST(DescribedModel, ResidualNetworkHasPyTorchNamesAndShapes) {
  auto m = make_described_model(parse_model_description(kResidualNet, "tiny.json"));
  std::vector<std::string> names;
  for (const ParamBlock& b : m->layout()) names.push_back(b.name + shape_string(b.shape));
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "stem.weight[3, 1, 3, 3]", "stem.bias[3]", "block1.body.0.weight[4, 3, 3, 3]",
                "block1.body.0.bias[4]", "block1.body.2.weight[4, 4, 3, 3]", "block1.body.2.bias[4]",
                "block1.projection.weight[4, 3, 1, 1]", "fc.weight[12, 196]", "fc.bias[12]",
                "mlp.inner.weight[12, 12]", "mlp.inner.bias[12]", "head.weight[10, 12]", "head.bias[10]"}));
  EXPECT_EQ(m->chunk_images(), 8);  // a convolution
  EXPECT_EQ(m->input_layer().kind, InputLayer::Kind::None);
  EXPECT_EQ(m->arch(), "resnet-tiny");
}

// Every other layer kind: strided convolution without a bias, max and average pooling with
// padding, leaky ReLU, GELU in both forms, softplus with its own beta and threshold, an LSTM
// without the permutation, a linear projection on a residual skip.
const char* kEveryLayerNet = R"({
  "name": "every-layer", "input": [2, 11, 9], "loss": "cross_entropy",
  "layers": [
    {"type": "conv2d", "name": "c1", "out_channels": 3, "kernel_size": 3, "stride": 2, "padding": 1, "bias": false},
    {"type": "leaky_relu", "negative_slope": 0.2},
    {"type": "maxpool2d", "kernel_size": 2, "stride": 1, "padding": 1},
    {"type": "gelu"},
    {"type": "avgpool2d", "kernel_size": 3, "stride": 2, "padding": 1},
    {"type": "flatten"},
    {"type": "softplus", "beta": 2, "threshold": 5},
    {"type": "residual", "name": "r", "body": [{"type": "linear", "out_features": 8}, {"type": "gelu", "approximate": "tanh"}],
     "projection": {"type": "linear", "out_features": 8}},
    {"type": "lstm", "name": "rnn", "input_size": 4, "hidden_size": 5},
    {"type": "linear", "name": "out", "out_features": 3}
  ]})";

Dataset small_images(int n, int size, int classes, unsigned seed) {
  Dataset d;
  d.images = testing::random_tensor({n, size}, seed, -1, 1);
  d.sample_shape = {size};
  for (int i = 0; i < n; ++i) d.labels.push_back(i % classes);
  return d;
}

TEST(DescribedModel, EveryLayerKindHasItsShapesAndAGradientEqualToFiniteDifferences) {
  auto m = make_described_model(parse_model_description(kEveryLayerNet, "every.json"));
  // conv 11x9 stride 2 pad 1 -> 6x5; maxpool k2 s1 p1 -> 7x6; avgpool k3 s2 p1 -> 4x3; 3*4*3 = 36
  EXPECT_EQ(m->layout()[1].name, "r.body.0.weight");
  EXPECT_EQ(m->layout()[1].shape, (Shape{8, 36}));
  EXPECT_EQ(m->layout()[3].name, "r.projection.weight");
  EXPECT_EQ(m->layout()[5].name, "rnn.weight_ih_l0");
  EXPECT_EQ(m->layout()[5].shape, (Shape{20, 4}));
  EXPECT_EQ(m->input_size(), 198u);
  EXPECT_EQ(m->classes(), 3);
  EXPECT_EQ(m->chunk_images(), 8);
  if (!testing::kFloat64) GTEST_SKIP() << "finite-difference checks run in the float64 build";
  const Dataset data = small_images(4, 198, 3, 5);
  expect_gradient_equals_finite_differences(*m, data, 4, 3);
}

TEST(DescribedModel, ResidualNetworkGradientEqualsFiniteDifferences) {
  if (!testing::kFloat64) GTEST_SKIP() << "finite-difference checks run in the float64 build";
  auto m = make_described_model(parse_model_description(kResidualNet, "tiny.json"));
  const Dataset data = sparse_images(3, 8);
  expect_gradient_equals_finite_differences(*m, data, 2, 2);
}

TEST(DescribedModel, DenseFirstLayerWithBiasIsTheSharedInputLayer) {
  auto m = make_described_model(parse_model_description(
      R"({"input": [784], "loss": "cross_entropy", "layers": [{"type": "linear", "out_features": 20},
          {"type": "sigmoid"}, {"type": "linear", "out_features": 10}]})",
      "mlp.json"));
  EXPECT_EQ(m->arch(), "mlp");  // the file's stem when the description names none
  EXPECT_EQ(m->layout()[0].name, "0.weight");
  EXPECT_EQ(m->layout()[2].name, "2.weight");
  ASSERT_EQ(m->input_layer().kind, InputLayer::Kind::Dense);
  EXPECT_EQ(m->input_layer().bias, 1);
  // The shared input layer (a group of points) gives each point's own loss and gradient.
  const Dataset data = sparse_images(50, 3);
  const size_t P = m->num_params();
  std::vector<Scalar> W;
  for (uint64_t s : {1, 2}) {
    const std::vector<Scalar> p = init_weights(*m, s);
    W.insert(W.end(), p.begin(), p.end());
  }
  std::vector<DatasetLoss> many(2);
  std::vector<Scalar> G(2 * P), g(P);
  dataset_loss_many(*m, data, W.data(), 2, many.data(), G.data());
  for (int k = 0; k < 2; ++k) {
    const DatasetLoss one = dataset_loss(*m, data, W.data() + k * P, g.data());
    EXPECT_NEAR(many[k].loss, one.loss, 1e-5 * one.loss);
    for (size_t i = 0; i < P; i += 97) EXPECT_NEAR(G[k * P + i], g[i], 1e-4 * (std::abs(g[i]) + 1e-3)) << i;
  }
}

// Networks of the kinds users bring, against PyTorch (reference_outputs/described/, made by
// scripts/make_described_golden.py): the flat order is parameters_to_vector's, and the logits,
// the loss and the gradient agree to 1e-9 relative in float64, 1e-4 in float32.
class PyTorchGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(PyTorchGolden, LogitsLossAndGradientMatchPyTorch) {
  const std::string base = testing::reference_path(std::string("described/") + GetParam());
  auto model = make_model(base + ".json");
  const NpyMatrix x = read_npy(base + "_x.npy"), y = read_npy(base + "_y.npy"), w = read_npy(base + "_w.npy");
  const NpyMatrix logits = read_npy(base + "_logits.npy"), loss = read_npy(base + "_loss.npy"),
                  grad = read_npy(base + "_grad.npy");
  ASSERT_EQ(size_t(w.data.size()), model->num_params());
  ASSERT_EQ(size_t(x.cols), model->input_size());
  const double tol = testing::kFloat64 ? 1e-9 : 1e-4;

  Dataset data;
  data.images = Tensor({int(x.rows), int(x.cols)});
  std::copy(x.data.begin(), x.data.end(), data.images.data());
  data.sample_shape = {int(x.cols)};
  for (Scalar label : y.data) data.labels.push_back(int(label));
  Graph g;
  auto params = parameter_leaves(g, *model, w.data.data(), nullptr);
  const Tensor& out =
      g.value(model->forward(g, params, g.constant(Tensor::view(data.images.data(), data.images.shape()))));
  ASSERT_EQ(out.size(), logits.data.size());
  EXPECT_LT(testing::relative_error(out.data(), logits.data), tol) << "logits";

  std::vector<Scalar> ours(model->num_params());
  const DatasetLoss r = dataset_loss(*model, data, w.data.data(), ours.data());
  EXPECT_NEAR(r.loss / loss.data[0], 1.0, tol) << "loss";
  EXPECT_LT(testing::relative_error(ours.data(), grad.data), tol) << "gradient";
}

INSTANTIATE_TEST_SUITE_P(Described, PyTorchGolden,
                         ::testing::Values("rescnn", "mlp_gelu", "lstm_classifier"));

struct Rejection {
  const char* what;
  const char* json;
  std::vector<std::string> message;
};

class Refused : public ::testing::TestWithParam<Rejection> {};

TEST_P(Refused, WithAMessageNamingTheFileTheLayerAndTheProblem) {
  testing::expect_error([] { make_described_model(parse_model_description(GetParam().json, "net.json")); },
                        GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Descriptions, Refused,
    ::testing::Values(
        Rejection{"not_json", R"({"input": [784], )", {"net.json", "not valid JSON"}},
        Rejection{"unknown_top_key", R"({"inputs": [784]})", {"net.json", "unknown key 'inputs'"}},
        Rejection{"no_input", R"({"loss": "cross_entropy", "layers": []})", {"net.json", "\"input\""}},
        Rejection{"bad_loss",
                  R"({"input": [784], "loss": "nll", "layers": [{"type": "relu"}]})",
                  {"net.json", "\"loss\""}},
        Rejection{
            "unknown_type",
            R"({"input": [784], "loss": "cross_entropy", "layers": [{"type": "dense", "out_features": 10}]})",
            {"net.json: layers[0]", "unknown type 'dense'", "linear, conv2d"}},
        Rejection{
            "unknown_key",
            R"({"input": [784], "loss": "cross_entropy", "layers": [{"type": "linear", "out_feature": 10}]})",
            {"layers[0] (linear)", "unknown key 'out_feature'", "out_features"}},
        Rejection{"missing_key",
                  R"({"input": [784], "loss": "cross_entropy", "layers": [{"type": "linear"}]})",
                  {"layers[0] (linear)", "needs \"out_features\""}},
        Rejection{
            "not_integer",
            R"({"input": [784], "loss": "cross_entropy", "layers": [{"type": "linear", "out_features": 2.5}]})",
            {"layers[0] (linear)", "must be an integer"}},
        Rejection{"linear_after_conv",
                  R"({"input": [1, 28, 28], "loss": "cross_entropy", "layers": [
                      {"type": "conv2d", "out_channels": 2, "kernel_size": 3}, {"type": "linear", "out_features": 10}]})",
                  {"net.json: layers[1] (linear)", "[2, 26, 26]", "add a flatten"}},
        Rejection{
            "conv_on_flat",
            R"({"input": [784], "loss": "cross_entropy", "layers": [{"type": "conv2d", "out_channels": 2, "kernel_size": 3}]})",
            {"layers[0] (conv2d)", "an image [C,H,W]", "[784]"}},
        Rejection{"residual_shapes",
                  R"({"input": [784], "loss": "cross_entropy", "layers": [
                      {"type": "residual", "name": "r", "body": [{"type": "linear", "out_features": 10}]}]})",
                  {"layers[0] (residual)", "[10]", "[784]", "add a projection"}},
        Rejection{
            "classifier_ends_in_image",
            R"({"input": [1, 28, 28], "loss": "cross_entropy", "layers": [{"type": "conv2d", "out_channels": 2, "kernel_size": 3}]})",
            {"net.json", "must end in logits", "[2, 26, 26]"}},
        Rejection{
            "mse_shape",
            R"({"input": [784], "loss": "mse_input", "layers": [{"type": "linear", "out_features": 10}]})",
            {"net.json", "mse_input", "[10]", "[784]"}},
        Rejection{
            "lstm_steps",
            R"({"input": [784], "loss": "cross_entropy", "layers": [{"type": "lstm", "input_size": 30, "hidden_size": 8}]})",
            {"layers[0] (lstm)", "784 inputs", "30"}},
        Rejection{
            "pool_larger_than_image",
            R"({"input": [1, 4, 4], "loss": "cross_entropy", "layers": [{"type": "maxpool2d", "kernel_size": 7, "padding": 1}]})",
            {"layers[0] (maxpool2d)", "kernel larger", "[1, 4, 4]"}},
        Rejection{
            "pool_padding",
            R"({"input": [1, 4, 4], "loss": "cross_entropy", "layers": [{"type": "avgpool2d", "kernel_size": 2, "padding": 2}]})",
            {"layers[0] (avgpool2d)", "padding must be at most half"}},
        Rejection{
            "gelu_approximate",
            R"({"input": [784], "loss": "cross_entropy", "layers": [{"type": "gelu", "approximate": "fast"}]})",
            {"layers[0] (gelu)", "approximate"}},
        Rejection{
            "key_on_activation",
            R"({"input": [784], "loss": "cross_entropy", "layers": [{"type": "relu", "inplace": true}]})",
            {"layers[0] (relu)", "unknown key 'inplace'", "takes none"}}),
    [](const auto& info) { return std::string(info.param.what); });

TEST(DescribedModel, MakeModelTakesADescriptionFileAndRefusesOtherNames) {
  const std::string dir = testing::temp_dir();
  {
    std::FILE* f = std::fopen((dir + "/tiny.json").c_str(), "w");
    std::fputs(kResidualNet, f);
    std::fclose(f);
  }
  EXPECT_EQ(make_model(dir + "/tiny.json")->arch(), "resnet-tiny");
  EXPECT_NE(testing::usage_error_of([] {
              make_model("resnet");
            }).find("--arch must be one of fcp, lenet, lstm, ae"),
            std::string::npos);
  testing::expect_error([&] { make_model(dir + "/missing.json"); }, {"missing.json"});
}

// The walk-through of README "Your own model": a described network on .npy data, through train,
// eval, path, surface and hessian, each exiting 0 with its result files.
TEST(DescribedModelCommands, TrainEvalPathSurfaceAndHessianRunOnNpyData) {
  const std::string dir = testing::temp_dir(), data = dir + "/data";
  std::filesystem::create_directories(data);
  for (auto [split, n] : {std::pair{"train", 48}, std::pair{"test", 16}}) {
    const Tensor x = testing::random_tensor({n, 20}, n, -1, 1);
    std::vector<double> xd(x.data(), x.data() + x.size());
    write_npy(data + "/" + split + "_x.npy", xd.data(), n, 20);
    std::vector<int64_t> y(n);
    for (int i = 0; i < n; ++i)
      y[i] = int64_t(std::max_element(xd.begin() + 20 * i, xd.begin() + 20 * i + 5) - (xd.begin() + 20 * i));
    testing::write_npy_array(data + "/" + split + "_y.npy", "<i8", {n}, y);  // int64 labels
  }
  const std::string model = testing::reference_path("described/mlp_gelu.json"), bin = testing::binary();
  const std::vector<std::string> common = {"--model", model, "--data", data, "--threads", "2"};
  auto run = [&](std::vector<std::string> argv) {
    argv.insert(argv.end(), common.begin(), common.end());
    return testing::run_command(argv);
  };
  // No --train-images: all of the directory's examples, and the settings say how many.
  ASSERT_EQ(run({bin, "train", "--runs", "2", "--epochs", "3", "--lr", "0.1", "--batch", "16", "--out",
                 dir + "/train"}),
            0);
  const std::string w = dir + "/train/w_train.npy";
  ASSERT_TRUE(std::filesystem::exists(w));
  EXPECT_NE(testing::read_file(dir + "/train/settings.txt").find("train_images=48\ntest_images=16\n"),
            std::string::npos);
  const testing::CommandResult eval =
      testing::run_capture({bin, "eval", "--model", model, "--data", data, "--weights", w});
  EXPECT_EQ(eval.status, 0);
  EXPECT_NE(eval.out.find("row,loss,accuracy\n0,"), std::string::npos) << eval.out << eval.err;
  EXPECT_EQ(run({bin, "path", "--weights", w, "--pairs", "0-1", "--steps", "3", "--points", "5", "--images",
                 "48", "--out", dir + "/path"}),
            0);
  EXPECT_TRUE(std::filesystem::exists(dir + "/path/paths.csv"));
  EXPECT_EQ(run({bin, "surface", "--weights", w, "--row", "0", "--grid", "5", "--images", "48", "--out",
                 dir + "/surf"}),
            0);
  EXPECT_EQ(
      run({bin, "hessian", "--weights", w, "--images", "48", "--iterations", "5", "--out", dir + "/hess"}),
      0);
  EXPECT_TRUE(std::filesystem::exists(dir + "/hess/spectrum.csv"));
  // The study of the paper on the described model, through a preset's model and data keys.
  const std::string preset = dir + "/mine.conf";
  {
    std::FILE* f = std::fopen(preset.c_str(), "w");
    const std::string text = "model = " + model + "\ndata = " + data +
                             "\nfigure3 = false\nruns = 2\nkeep = 2\n"  // no image counts: all of them
                             "sgd_epochs = 2\nbatch = 16\nlbfgs_epochs = 3\npairs = 1\n"
                             "path_points = 5\npath_steps = 2\nmlp_gelu.sgd_lr = 0.05\n";
    std::fputs(text.c_str(), f);
    std::fclose(f);
  }
  ASSERT_EQ(
      testing::run_command({bin, "reproduce", "--config", preset, "--out", dir + "/study", "--threads", "2"}),
      0);
  const std::string t1 = testing::read_file(dir + "/study/report/table1.csv");
  EXPECT_NE(t1.find("mlp_gelu,lbfgs,"), std::string::npos) << t1;
  EXPECT_NE(t1.find(",877\n"), std::string::npos) << t1;  // its parameter count
  EXPECT_EQ(t1.find("fcp,"), std::string::npos);          // a preset with model keys studies only those
  EXPECT_NE(
      testing::read_file(dir + "/study/mlp_gelu/sgd/settings.txt").find("train_images=48\ntest_images=16\n"),
      std::string::npos);
  EXPECT_NE(testing::read_file(dir + "/study/report/barriers.csv").find("mlp_gelu,sgd-train,train,0,1,"),
            std::string::npos);

  // The model does not fit MNIST-shaped data, and says so.
  const testing::CommandResult wrong = testing::run_capture(
      {bin, "eval", "--model", model, "--data", testing::mnist_dir(), "--weights", w, "--images", "10"});
  if (testing::have_mnist()) {
    EXPECT_EQ(wrong.status, 1);
    EXPECT_NE(wrong.err.find("takes examples of 20 values"), std::string::npos) << wrong.err;
  }
}

}  // namespace
}  // namespace landscape
