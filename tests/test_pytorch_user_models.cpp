// A PyTorch user's model without surprises (docs/algorithms.md §2.9): an exported module whose
// layers are registered in another order than they run reads parameters_to_vector's vectors
// as PyTorch does (against PyTorch float64, reference_outputs/onnx_order/); an order the file
// cannot tell is refused or noted; every command that takes --model reads .onnx; and the
// mistakes a PyTorch user makes get a message that says the fix.
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "io/data_directory.hpp"
#include "io/npy.hpp"
#include "models/dataset_loss.hpp"
#include "models/described_model.hpp"
#include "models/model_description.hpp"
#include "models/onnx_import.hpp"
#include "models/onnx_pointwise.hpp"
#include "models/weights_file.hpp"
#include "onnx_graph_builders.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

std::string order_golden(const std::string& name) { return testing::reference_path("onnx_order/" + name); }

std::vector<double> golden_vector(const std::string& file) {
  int64_t rows = 0, cols = 0;
  return read_npy_double(order_golden(file), &rows, &cols);
}

// The golden's examples as a data set (x [n, D], labels).
Dataset golden_data(const std::string& name) {
  int64_t n = 0, D = 0, one = 0;
  const std::vector<double> x = read_npy_double(order_golden(name + "_x.npy"), &n, &D);
  const std::vector<double> y = read_npy_double(order_golden(name + "_y.npy"), &one, &n);
  Dataset data;
  data.images = Tensor({int(n), int(D)});
  std::copy(x.begin(), x.end(), data.images.data());
  data.sample_shape = {int(D)};
  for (double label : y) data.labels.push_back(int(label));
  return data;
}

class RegistrationOrder : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

// The weights the file holds are parameters_to_vector's, and the loss and gradient at them are
// PyTorch's, the gradient in parameters_to_vector's order.
TEST_P(RegistrationOrder, VectorsAreParametersToVectorsAndGivePyTorchsLossAndGradient) {
  const auto [file, name] = GetParam();
  const ModelDescription d = read_onnx_model(order_golden(file));
  EXPECT_FALSE(d.parameter_order.empty()) << "the module registers its layers out of run order";
  const std::vector<double> w = golden_vector(std::string(name) + "_w.npy");
  ASSERT_EQ(d.weights.size(), w.size());
  for (size_t k = 0; k < w.size(); ++k) ASSERT_EQ(d.weights[k], w[k]) << "weight " << k;

  const auto model = make_described_model(d);
  const std::vector<Scalar> ws(w.begin(), w.end());
  std::vector<Scalar> grad(model->num_params());
  const DatasetLoss r = dataset_loss(*model, golden_data(name), ws.data(), grad.data());
  const double tol = testing::kFloat64 ? 1e-12 : 1e-4;
  EXPECT_NEAR(r.loss / golden_vector(std::string(name) + "_loss.npy")[0], 1.0, tol);
  const std::vector<double> torch_grad = golden_vector(std::string(name) + "_grad.npy");
  EXPECT_LT(testing::relative_error(grad.data(), std::vector<Scalar>(torch_grad.begin(), torch_grad.end())),
            tol);
}

INSTANTIATE_TEST_SUITE_P(
    OnnxOrder, RegistrationOrder,
    ::testing::Values(std::pair{"head_first.onnx", "head_first"}, std::pair{"swapped.onnx", "swapped"},
                      std::pair{"unnamed_head_first_nofold.onnx", "unnamed_head_first"}));

// The order survives the translated description: "parameter_order" in the JSON, the same offsets.
TEST(OnnxOrder, TheDescriptionCarriesTheOrder) {
  const ModelDescription d = read_onnx_model(order_golden("head_first.onnx"));
  const std::string json = write_model_description(d);
  EXPECT_NE(json.find("\"parameter_order\""), std::string::npos) << json;
  const auto a = make_described_model(d),
             b = make_described_model(parse_model_description(json, "back.json"));
  ASSERT_EQ(a->layout().size(), b->layout().size());
  for (size_t k = 0; k < a->layout().size(); ++k) EXPECT_EQ(a->layout()[k].offset, b->layout()[k].offset);
  EXPECT_EQ(a->layout()[0].name, "body.weight");  // run order of the layers ...
  EXPECT_EQ(a->layout()[0].offset, 44u);          // ... after head's 4 x 10 + 4 in the vector

  testing::expect_error(
      [&] {
        make_described_model(parse_model_description(R"({"input": [3], "loss": "cross_entropy",
      "layers": [{"type": "linear", "name": "fc", "out_features": 2}], "parameter_order": ["fc.bias"]})",
                                                     "o.json"));
      },
      {"o.json", "parameter_order leaves out 'fc.weight'"});
  testing::expect_error(
      [&] {
        make_described_model(parse_model_description(R"({"input": [3], "loss": "cross_entropy",
      "layers": [{"type": "linear", "name": "fc", "out_features": 2}], "parameter_order": ["fc.bias", "fc.w"]})",
                                                     "o.json"));
      },
      {"o.json", "names 'fc.w', which is not a parameter", "fc.weight, fc.bias"});
}

// A bias-free Linear exports as a MatMul whose weight gets a generated name: its place is not in
// the file, so the import says so (and the advice to keep the names works: the _nofold golden).
TEST(OnnxOrder, GeneratedNamesAreNoted) {
  const ModelDescription d = read_onnx_model(order_golden("unnamed_head_first.onnx"));
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_NE(d.notes[0].find("body.weight under generated names"), std::string::npos) << d.notes[0];
  EXPECT_NE(d.notes[0].find("do_constant_folding=False"), std::string::npos) << d.notes[0];
}

// x [batch, 4] -> MatMul (a generated name) -> Gemm mid -> Gemm out, the initializers in the
// order `order` (registration order as the exporter writes it).
OnnxGraph three_layers(std::vector<std::string> order) {
  OnnxGraph g;
  g.file = "net.onnx";
  g.inputs = {{"x", {-1, 4}}};
  g.outputs = {{"y", {-1, 2}}};
  g.initializers["onnx::MatMul_7"] = testing::tensor({4, 3});
  g.initializers["mid.weight"] = testing::tensor({3, 3});
  g.initializers["mid.bias"] = testing::tensor({3});
  g.initializers["out.weight"] = testing::tensor({2, 3});
  g.initializers["out.bias"] = testing::tensor({2});
  g.initializer_order = std::move(order);
  OnnxNode mid = testing::node("Gemm", {"h", "mid.weight", "mid.bias"}, {"m"}, "/mid/Gemm");
  OnnxNode out = testing::node("Gemm", {"m", "out.weight", "out.bias"}, {"y"}, "/out/Gemm");
  mid.attributes["transB"] = out.attributes["transB"] = testing::integer(1);
  g.nodes = {testing::node("MatMul", {"x", "onnx::MatMul_7"}, {"h"}, "/body/MatMul"), mid, out};
  return g;
}

TEST(OnnxOrder, AnOrderTheFileCannotTellIsRefusedNamingBoth) {
  // The named layers registered out of run order, beside a generated name: no order is safe.
  testing::expect_error(
      [] {
        translate_onnx_graph(
            three_layers({"out.weight", "out.bias", "mid.weight", "mid.bias", "onnx::MatMul_7"}));
      },
      {"net.onnx", "registers its parameters in another order (out.weight, out.bias, mid.weight, mid.bias)",
       "than its layers run (mid.weight, mid.bias, out.weight, out.bias)", "body.weight", "generated names"});
  // In run order: read, with the note.
  const ModelDescription d = translate_onnx_graph(
      three_layers({"mid.weight", "mid.bias", "out.weight", "out.bias", "onnx::MatMul_7"}));
  EXPECT_TRUE(d.parameter_order.empty());
  ASSERT_EQ(d.notes.size(), 1u);
  // A graph built by hand without an initializer order: nothing to read, nothing noted.
  EXPECT_TRUE(translate_onnx_graph(three_layers({})).notes.empty());
}

// x [batch, 1, 6, 6] -> Conv (weights under generated names, a bias) -> Flatten -> Gemm: what
// torch.onnx.export writes for Conv -> BatchNorm in eval mode.
OnnxGraph folded_conv_bn() {
  OnnxGraph g;
  g.file = "bn.onnx";
  g.inputs = {{"x", {-1, 1, 6, 6}}};
  g.outputs = {{"y", {-1, 2}}};
  g.initializers["fc.weight"] = testing::tensor({2, 4 * 36});
  g.initializers["fc.bias"] = testing::tensor({2});
  g.initializers["onnx::Conv_18"] = testing::tensor({4, 1, 3, 3});
  g.initializers["onnx::Conv_19"] = testing::tensor({4});
  g.initializer_order = {"fc.weight", "fc.bias", "onnx::Conv_18", "onnx::Conv_19"};
  OnnxNode conv = testing::node("Conv", {"x", "onnx::Conv_18", "onnx::Conv_19"}, {"c"}, "/conv/Conv");
  conv.attributes["pads"] = testing::ints({1, 1, 1, 1});
  OnnxNode fc = testing::node("Gemm", {"f", "fc.weight", "fc.bias"}, {"y"}, "/fc/Gemm");
  fc.attributes["transB"] = testing::integer(1);
  g.nodes = {conv, testing::node("Flatten", {"c"}, {"f"}, "/Flatten"), fc};
  return g;
}

// A parameters_to_vector file of the BatchNorm model is 4 (a bias-free conv: the BN's weight
// and bias against the folded bias) or 8 longer: the message names the folding and the fix.
TEST(UserMistakes, AFoldedBatchNormIsNamedInTheLengthError) {
  const ModelDescription d = translate_onnx_graph(folded_conv_bn());
  ASSERT_EQ(d.folded_batchnorm.size(), 1u);
  EXPECT_TRUE(std::any_of(d.notes.begin(), d.notes.end(), [](const std::string& n) {
    return n.find("BatchNorm the exporter folded") != std::string::npos;
  }));
  const auto model = make_described_model(d);
  const std::string dir = testing::temp_dir();
  for (size_t extra : {4, 8}) {
    const std::vector<double> w(model->num_params() + extra, 0.1);
    write_npy(dir + "/w.npy", w.data(), 1, int64_t(w.size()), true);
    testing::expect_error([&] { read_weights(dir + "/w.npy", *model); },
                          {"w.npy: weight vectors of length", "BatchNorm weight and bias the exporter folded",
                           "into the preceding Conv (conv)", "TrainingMode.PRESERVE"});
  }
  const std::vector<double> w(model->num_params() + 5, 0.1);  // no folding explains 5
  write_npy(dir + "/w.npy", w.data(), 1, int64_t(w.size()), true);
  try {
    read_weights(dir + "/w.npy", *model);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("BatchNorm"), std::string::npos) << e.what();
  }
}

TEST(UserMistakes, ATransposedWeightsFileIsNamedWithTheFix) {
  const auto model = make_model("fcp");
  const size_t P = model->num_params();
  const std::vector<double> w(P * 2, 0.01);
  const std::string dir = testing::temp_dir();
  write_npy(dir + "/wt.npy", w.data(), int64_t(P), 2);  // [P, 2]: vectors as columns
  testing::expect_error(
      [&] { read_weights(dir + "/wt.npy", *model); },
      {"wt.npy: weight vectors of length 2", "[42200, 2]: one vector per column", "np.save(f, W.T)"});
}

TEST(UserMistakes, ActivationsADescriptionLacksAreNamedByWhatTheyCompute) {
  auto x = [] { return pointwise_input(); };
  EXPECT_EQ(name_unsupported_activation(*pointwise_op("Mul", {x(), pointwise_op("Sigmoid", {x()})})),
            "SiLU (x * sigmoid(x))");
  EXPECT_EQ(name_unsupported_activation(*pointwise_op("Elu", {x()}, 1.0)), "ELU (x > 0 ? x : 1 (e^x - 1))");
  EXPECT_EQ(name_unsupported_activation(*pointwise_op("Elu", {x()}, 0.5)), "ELU (x > 0 ? x : 0.5 (e^x - 1))");
  EXPECT_EQ(name_unsupported_activation(
                *pointwise_op("Mul", {x(), pointwise_op("Tanh", {pointwise_op("Softplus", {x()})})})),
            "Mish (x * tanh(softplus(x)))");
  EXPECT_EQ(name_unsupported_activation(*pointwise_op("Mul", {x(), pointwise_constant(2)})), "");
  // An ELU op between two layers: refused by that name.
  OnnxGraph g = three_layers({});
  g.nodes.insert(g.nodes.begin() + 2, testing::node("Elu", {"m"}, {"e"}, "/act/Elu"));
  g.nodes.back().inputs[0] = "e";
  testing::expect_error([&] { translate_onnx_graph(g); },
                        {"node 3 (Gemm", "compute ELU (x > 0 ? x : 1 (e^x - 1))"});
}

TEST(UserMistakes, ARectangularKernelSaysSquareKernelsOnly) {
  OnnxGraph g = folded_conv_bn();
  g.initializers["onnx::Conv_18"] = testing::tensor({4, 1, 3, 5});
  testing::expect_error([&] { translate_onnx_graph(g); },
                        {"node 0 (Conv", "square kernels only", "[4, 1, 3, 5]"});
}

TEST(UserMistakes, ADropoutInTrainModeIsNoted) {
  OnnxGraph g = three_layers({});
  g.initializers["ratio"] = OnnxTensor{{}, {0.3}, false};
  g.initializers["training_mode"] = OnnxTensor{{}, {1}, true};
  g.nodes.insert(g.nodes.begin() + 2,
                 testing::node("Dropout", {"m", "ratio", "training_mode"}, {"e"}, "/drop/Dropout"));
  g.nodes.back().inputs[0] = "e";
  ModelDescription d = translate_onnx_graph(g);
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_NE(d.notes[0].find("Dropout exported in train mode; it is read as the identity"), std::string::npos);
  g.initializers["training_mode"] = OnnxTensor{{}, {0}, true};  // eval mode: nothing to say
  EXPECT_TRUE(translate_onnx_graph(g).notes.empty());
}

TEST(UserMistakes, AMissingDataDirectorySaysHowToNameOne) {
  const std::string dir = testing::temp_dir() + "/nowhere";
  testing::expect_error([&] { load_dataset(dir, Split::Train); },
                        {"nowhere is not a directory", "--data DIR", "$LANDSCAPE_DATA"});
}

// --- every command that takes --model, on an .onnx model -----------------------------------

struct UserModelRun {
  std::string dir, data, model, pair, bin = testing::binary();
  UserModelRun()
      : dir(testing::temp_dir()),
        data(dir + "/data"),
        model(order_golden("head_first.onnx")),
        pair(dir + "/pair.npy") {
    std::filesystem::create_directories(data);
    int64_t n = 0, D = 0, one = 0;
    const std::vector<double> x = read_npy_double(order_golden("head_first_x.npy"), &n, &D);
    const std::vector<double> y = read_npy_double(order_golden("head_first_y.npy"), &one, &n);
    const std::vector<int64_t> labels(y.begin(), y.end());
    for (const char* split : {"train", "test"}) {
      testing::write_npy_array(data + "/" + split + "_x.npy", "<f8", {n, D}, x);
      testing::write_npy_array(data + "/" + split + "_y.npy", "<i8", {n}, labels);
    }
    std::vector<double> w = golden_vector("head_first_w.npy"), rows(w);
    for (size_t k = 0; k < w.size(); ++k) rows.push_back(w[k] * (1 + 0.2 * std::sin(double(k))));
    write_npy(pair, rows.data(), 2, int64_t(w.size()));
  }
  testing::CommandResult run(std::vector<std::string> argv) const {
    argv.insert(argv.begin(), bin);
    for (const std::string& a : std::vector<std::string>{"--model", model, "--data", data, "--threads", "1"})
      argv.push_back(a);
    return testing::run_capture(argv);
  }
};

TEST(OnnxEveryCommand, EachCommandsSmallestCaseRunsOnAnOnnxModel) {
  const UserModelRun u;
  const std::string& o = u.dir;
  const std::vector<std::vector<std::string>> commands = {
      {"describe"},
      {"eval"},
      {"eval", "--weights", u.pair},
      {"train", "--out", o + "/train", "--epochs", "1", "--batch", "5", "--init", u.model},
      {"path", "--weights", u.pair, "--pairs", "0-1", "--steps", "2", "--points", "5", "--out", o + "/path"},
      {"align", "--weights", u.pair, "--pairs", "0-1", "--points", "3", "--out", o + "/align"},
      {"compare-paths", "--weights", u.pair, "--pairs", "0-1", "--methods", "fourier,neb", "--budget", "20",
       "--points", "5", "--out", o + "/compare"},
      {"hessian", "--weights", u.pair, "--rows", "0", "--iterations", "5", "--probes", "2", "--out",
       o + "/hessian"},
      {"sharpness", "--weights", u.pair, "--rows", "0", "--steps", "2", "--out", o + "/sharpness"},
      {"surface", "--weights", u.pair, "--grid", "3", "--out", o + "/surface"},
      {"walk", "--epochs", "1", "--batch", "5", "--train-images", "5", "--test-images", "5", "--eval-images",
       "5", "--out", o + "/walk"},
  };
  for (const auto& c : commands) {
    const testing::CommandResult r =  // describe takes no --data
        c[0] == "describe" ? testing::run_capture({u.bin, "describe", "--model", u.model}) : u.run(c);
    EXPECT_EQ(r.status, 0) << c[0] << ": " << r.err;
  }
}

// The small defects: align's help lists only what align takes; describe counts a GELU's
// element-wise work; hessian's progress gives each phase its own product count.
TEST(OnnxEveryCommand, AlignHelpDescribeGeluAndHessianProgress) {
  const UserModelRun u;
  testing::CommandResult r = testing::run_capture({u.bin, "align", "--help"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* flag : {"--landscape", "--from", "--to "})
    EXPECT_EQ(r.out.find(flag), std::string::npos) << flag;
  EXPECT_NE(r.out.find("--weights"), std::string::npos);
  r = u.run({"align", "--weights", u.pair, "--pairs", "0-1", "--landscape", "fig3", "--out", u.dir + "/a"});
  EXPECT_EQ(r.status, 2) << r.err;  // an unknown flag now, not a late refusal

  r = testing::run_capture(
      {u.bin, "describe", "--model", testing::reference_path("described/mlp_gelu.onnx")});
  ASSERT_EQ(r.status, 0) << r.err;
  const size_t gelu = r.out.find("\ngelu ");
  ASSERT_NE(gelu, std::string::npos) << r.out;
  const std::string line = r.out.substr(gelu + 1, r.out.find('\n', gelu + 1) - gelu - 1);
  EXPECT_NE(line.substr(line.size() - 12).find_first_of("123456789"), std::string::npos)
      << line;  // elementwise > 0

  r = u.run({"hessian", "--weights", u.pair, "--rows", "0", "--iterations", "5", "--probes", "2", "--out",
             u.dir + "/h"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err.find("(0 products"), std::string::npos) << r.err;
  const size_t lanczos = r.err.find("Lanczos for the extreme eigenvalues: ");
  ASSERT_NE(lanczos, std::string::npos) << r.err;
  EXPECT_GT(std::stol(r.err.substr(lanczos + 37)), 0) << r.err;
}

// eval of parameters_to_vector's vector is PyTorch's loss; train from the file's weights only
// when asked, and says so otherwise.
TEST(OnnxEveryCommand, EvalIsPyTorchsLossAndTrainSaysWhichWeightsItStartsFrom) {
  const UserModelRun u;
  testing::CommandResult r = u.run({"eval", "--weights", order_golden("head_first_w.npy")});
  ASSERT_EQ(r.status, 0) << r.err;
  const double torch_loss = golden_vector("head_first_loss.npy")[0];
  EXPECT_NEAR(std::stod(r.out.substr(r.out.find("\n0,") + 3)) / torch_loss, 1.0,
              testing::kFloat64 ? 1e-9 : 1e-5)
      << r.out;

  r = u.run({"train", "--out", u.dir + "/seeded", "--epochs", "1", "--batch", "5"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("start from seeded inits (PyTorch's default init), not the weights the file holds"),
            std::string::npos)
      << r.err;
  r = u.run({"train", "--out", u.dir + "/from-file", "--epochs", "1", "--batch", "5", "--init", u.model});
  ASSERT_EQ(r.status, 0) << r.err;
  int64_t rows = 0, cols = 0;
  const std::vector<double> init = read_npy_double(u.dir + "/from-file/run-000/w_init.npy", &rows, &cols);
  const std::vector<double> w = golden_vector("head_first_w.npy");
  ASSERT_EQ(init.size(), w.size());
  for (size_t k = 0; k < w.size(); ++k) ASSERT_NEAR(init[k], w[k], testing::kFloat64 ? 0 : 1e-7) << k;
}

// Float pixels saved as 0..255 are read as they are, with a warning that says the fix.
TEST(UserMistakes, UnscaledFloatPixelsAreWarnedAbout) {
  const UserModelRun u;
  int64_t n = 0, D = 0;
  std::vector<double> x = read_npy_double(order_golden("head_first_x.npy"), &n, &D);
  for (double& v : x) v = std::round(255 * v);
  testing::write_npy_array(u.data + "/train_x.npy", "<f4", {n, D}, std::vector<float>(x.begin(), x.end()));
  const testing::CommandResult r = u.run({"eval"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("train_x.npy: values lie in ["), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("255], not [0, 1]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("save x / 255"), std::string::npos) << r.err;
  EXPECT_EQ(u.run({"eval", "--split", "test"}).err.find("values lie in"),
            std::string::npos);  // test_x is in [0, 1]
}

}  // namespace
}  // namespace landscape
