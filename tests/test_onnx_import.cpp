// ONNX models as descriptions (models/onnx_import.*, models/onnx_pointwise.*; docs/algorithms.md
// §2.9): the three networks of reference_outputs/described/ as torch.onnx.export wrote them
// translate to the hand-written descriptions' layers, carry parameters_to_vector's weights in its
// order, and compute PyTorch's logits, loss and gradient; exported activations are recognised
// by what they compute; every op or use a description cannot say is refused by name.
#include <cmath>
#include <filesystem>

#include "autodiff/graph.hpp"
#include "io/dataset.hpp"
#include "io/npy.hpp"
#include "models/dataset_loss.hpp"
#include "models/described_model.hpp"
#include "models/model_description.hpp"
#include "models/onnx_import.hpp"
#include "models/onnx_op_table.hpp"
#include "models/onnx_pointwise.hpp"
#include "onnx_graph_builders.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::integer;
using testing::ints;
using testing::node;
using testing::tensor;
using testing::text;

std::string golden(const std::string& name) { return testing::reference_path("described/" + name); }

class OnnxGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(OnnxGolden, TranslatesToTheDescriptionsLayersAndWeights) {
  const ModelDescription onnx = read_onnx_model(golden(GetParam()) + ".onnx");
  const auto ours = make_described_model(onnx), hand = make_model(golden(GetParam()) + ".json");
  // The same parameter table (names, shapes, offsets): the flat order is the hand-written one,
  // which the PyTorch golden test holds to parameters_to_vector's.
  ASSERT_EQ(ours->layout().size(), hand->layout().size());
  for (size_t b = 0; b < hand->layout().size(); ++b) {
    EXPECT_EQ(ours->layout()[b].name, hand->layout()[b].name);
    EXPECT_EQ(ours->layout()[b].shape, hand->layout()[b].shape) << hand->layout()[b].name;
    EXPECT_EQ(ours->layout()[b].offset, hand->layout()[b].offset) << hand->layout()[b].name;
  }
  EXPECT_EQ(ours->forward_flops(), hand->forward_flops());
  // The initializers are the golden vector itself (exported in float64), the LSTM's gates
  // mapped back from ONNX's i,o,f,c.
  const NpyMatrix w = read_npy(golden(GetParam()) + "_w.npy");
  int64_t rows = 0, cols = 0;
  const std::vector<double> w64 = read_npy_double(golden(GetParam()) + "_w.npy", &rows, &cols);
  ASSERT_EQ(onnx.weights.size(), w64.size());
  for (size_t k = 0; k < w64.size(); ++k) ASSERT_EQ(onnx.weights[k], w64[k]) << "weight " << k;
}

TEST_P(OnnxGolden, ComputesPyTorchsLogitsLossAndGradient) {
  const ModelDescription d = read_onnx_model(golden(GetParam()) + ".onnx");
  const auto model = make_described_model(d);
  const NpyMatrix x = read_npy(golden(GetParam()) + "_x.npy"), y = read_npy(golden(GetParam()) + "_y.npy");
  const NpyMatrix logits = read_npy(golden(GetParam()) + "_logits.npy"),
                  loss = read_npy(golden(GetParam()) + "_loss.npy"),
                  grad = read_npy(golden(GetParam()) + "_grad.npy");
  const std::vector<Scalar> w(d.weights.begin(), d.weights.end());
  Dataset data;
  data.images = Tensor({int(x.rows), int(x.cols)});
  std::copy(x.data.begin(), x.data.end(), data.images.data());
  data.sample_shape = {int(x.cols)};
  for (Scalar label : y.data) data.labels.push_back(int(label));
  const double tol = testing::kFloat64 ? 1e-9 : 1e-4;
  Graph g;
  auto params = parameter_leaves(g, *model, w.data(), nullptr);
  const Tensor& out =
      g.value(model->forward(g, params, g.constant(Tensor::view(data.images.data(), data.images.shape()))));
  ASSERT_EQ(out.size(), logits.data.size());
  EXPECT_LT(testing::relative_error(out.data(), logits.data), tol) << "logits";
  std::vector<Scalar> ours(model->num_params());
  const DatasetLoss r = dataset_loss(*model, data, w.data(), ours.data());
  EXPECT_NEAR(r.loss / loss.data[0], 1.0, tol) << "loss";
  EXPECT_LT(testing::relative_error(ours.data(), grad.data), tol) << "gradient";
}

// What `describe` prints and --save-description writes reads back as the same model.
TEST_P(OnnxGolden, TranslatedDescriptionReadsBackAsTheSameModel) {
  const ModelDescription d = read_onnx_model(golden(GetParam()) + ".onnx");
  const ModelDescription back = parse_model_description(write_model_description(d), "back.json");
  EXPECT_EQ(write_model_description(back), write_model_description(d));
  const auto a = make_described_model(d), b = make_described_model(back);
  ASSERT_EQ(a->layout().size(), b->layout().size());
  for (size_t k = 0; k < a->layout().size(); ++k) EXPECT_EQ(a->layout()[k].name, b->layout()[k].name);
}

INSTANTIATE_TEST_SUITE_P(Exported, OnnxGolden, ::testing::Values("rescnn", "mlp_gelu", "lstm_classifier"));

// Modules written the ways people write them, exported in float32 (reference_outputs/onnx/, made
// by scripts/make_onnx_golden.py): a MatMul and its bias-free layer, Dropout, a final LogSoftmax,
// x.view to an image, an LSTM read through h_n, an autoencoder. The weights are the float32
// values; loss and gradient are PyTorch's in float64 from them.
class OnnxExport : public ::testing::TestWithParam<const char*> {};

TEST_P(OnnxExport, WeightsLossAndGradientArePyTorchs) {
  const std::string base = testing::reference_path(std::string("onnx/") + GetParam());
  const ModelDescription d = read_onnx_model(base + ".onnx");
  const auto model = make_described_model(d);
  int64_t rows = 0, cols = 0;
  const std::vector<double> w64 = read_npy_double(base + "_w.npy", &rows, &cols);
  ASSERT_EQ(d.weights, w64);
  const NpyMatrix x = read_npy(base + "_x.npy"), loss = read_npy(base + "_loss.npy"),
                  grad = read_npy(base + "_grad.npy");
  Dataset data;
  data.images = Tensor({int(x.rows), int(x.cols)});
  std::copy(x.data.begin(), x.data.end(), data.images.data());
  data.sample_shape = {int(x.cols)};
  if (model->is_classifier()) {
    for (Scalar label : read_npy(base + "_y.npy").data) data.labels.push_back(int(label));
  } else {
    data.labels.assign(size_t(x.rows), 0);
    data.has_labels = false;
  }
  EXPECT_EQ(model->is_classifier(), std::string(GetParam()) != "autoencoder");
  const std::vector<Scalar> w(d.weights.begin(), d.weights.end());
  std::vector<Scalar> ours(model->num_params());
  const DatasetLoss r = dataset_loss(*model, data, w.data(), ours.data());
  const double tol = testing::kFloat64 ? 1e-9 : 1e-4;
  EXPECT_NEAR(r.loss / loss.data[0], 1.0, tol) << "loss";
  EXPECT_LT(testing::relative_error(ours.data(), grad.data), tol) << "gradient";
}

INSTANTIATE_TEST_SUITE_P(Float32, OnnxExport,
                         ::testing::Values("mlp_matmul", "cnn_view", "lstm_hn", "autoencoder"));

TEST(DescriptionJson, ShippedModelsReadBackAsThemselves) {
  for (const char* arch : {"fcp", "lenet", "lstm", "ae"}) {
    const ModelDescription d = read_model_description(model_description_path(arch));
    const ModelDescription back = parse_model_description(write_model_description(d), "back.json");
    EXPECT_EQ(write_model_description(back), write_model_description(d)) << arch;
    EXPECT_EQ(make_described_model(back)->num_params(), make_described_model(d)->num_params()) << arch;
  }
}

// --- Activations as exporters spell them --------------------------------------------------

Pointwise x() { return pointwise_input(); }
Pointwise c(double v) { return pointwise_constant(v); }
Pointwise op(const char* name, std::vector<Pointwise> args, double alpha = 0) {
  return pointwise_op(name, std::move(args), alpha);
}

TEST(OnnxPointwise, GeluAsTorchExportsItInBothForms) {
  // x * (erf(x / 1.41421354) + 1) * 0.5, the constants float32 as in the file
  const Pointwise erf_form =
      op("Mul",
         {op("Mul", {x(), op("Add", {op("Erf", {op("Div", {x(), c(1.4142135381698608)})}), c(1)})}), c(0.5)});
  auto l = identify_pointwise(*erf_form);
  ASSERT_TRUE(l && *l);
  EXPECT_EQ((*l)->type, LayerType::Gelu);
  EXPECT_FALSE((*l)->tanh_approximation);
  // 0.5 x (1 + tanh(0.79788458 (x + 0.044715 x^3)))
  const Pointwise cube = op("Mul", {x(), op("Mul", {x(), x()})});
  const Pointwise inner =
      op("Mul", {c(0.7978845834732056), op("Add", {x(), op("Mul", {c(0.044714998453855515), cube})})});
  const Pointwise tanh_form = op("Mul", {c(0.5), op("Mul", {x(), op("Add", {op("Tanh", {inner}), c(1)})})});
  l = identify_pointwise(*tanh_form);
  ASSERT_TRUE(l && *l);
  EXPECT_EQ((*l)->type, LayerType::Gelu);
  EXPECT_TRUE((*l)->tanh_approximation);
}

TEST(OnnxPointwise, SoftplusWithBetaLeakyReluAndTheSimpleOnes) {
  auto l = identify_pointwise(*op("Div", {op("Softplus", {op("Mul", {x(), c(2)})}), c(2)}));
  ASSERT_TRUE(l && *l);
  EXPECT_EQ((*l)->type, LayerType::Softplus);
  EXPECT_EQ((*l)->beta, 2.0);
  EXPECT_EQ((*l)->threshold, 20.0);
  l = identify_pointwise(*op("LeakyRelu", {x()}, 0.1f));
  ASSERT_TRUE(l && *l);
  EXPECT_EQ((*l)->type, LayerType::LeakyRelu);
  EXPECT_EQ((*l)->negative_slope, double(0.1f));
  for (auto [name, type] : {std::pair{"Relu", LayerType::Relu}, std::pair{"Sigmoid", LayerType::Sigmoid},
                            std::pair{"Tanh", LayerType::Tanh}}) {
    l = identify_pointwise(*op(name, {x()}));
    ASSERT_TRUE(l && *l) << name;
    EXPECT_EQ((*l)->type, type) << name;
  }
  l = identify_pointwise(*op("Dropout", {op("Mul", {x(), c(1)})}));  // inference: the identity
  ASSERT_TRUE(l);
  EXPECT_FALSE(*l);
}

TEST(OnnxPointwise, FunctionsNoDescriptionNamesAreNotGuessed) {
  EXPECT_FALSE(identify_pointwise(*op("Mul", {x(), op("Sigmoid", {x()})})));      // SiLU
  EXPECT_FALSE(identify_pointwise(*op("Mul", {x(), c(2)})));                      // a scaling
  EXPECT_FALSE(identify_pointwise(*op("Softplus", {op("Add", {x(), c(0.5)})})));  // shifted
  EXPECT_FALSE(
      identify_pointwise(*op("Mul", {c(0.5), op("Mul", {x(), op("Add", {op("Erf", {x()}), c(1)})})})));
}

// --- Refusals, on graphs built by hand ----------------------------------------------------

// x [batch, 4] -> Gemm(W [3, 4], b [3], transB) -> y, then whatever a case adds.
OnnxGraph mlp_graph() {
  OnnxGraph g;
  g.file = "net.onnx";
  g.inputs = {{"x", {-1, 4}}};
  g.outputs = {{"y", {-1, 3}}};
  g.initializers["fc.weight"] = tensor({3, 4});
  g.initializers["fc.bias"] = tensor({3});
  OnnxNode gemm = node("Gemm", {"x", "fc.weight", "fc.bias"}, {"y"});
  gemm.attributes["transB"] = integer(1);
  g.nodes = {gemm};
  return g;
}

// x [batch, 2, 6, 6] -> Conv(2 -> 2, 3x3, padding 1) -> h
OnnxGraph conv_graph() {
  OnnxGraph g;
  g.file = "net.onnx";
  g.inputs = {{"x", {-1, 2, 6, 6}}};
  g.initializers["c1.weight"] = tensor({2, 2, 3, 3});
  OnnxNode conv = node("Conv", {"x", "c1.weight"}, {"h"});
  conv.attributes["kernel_shape"] = ints({3, 3});
  conv.attributes["pads"] = ints({1, 1, 1, 1});
  g.nodes = {conv};
  g.outputs = {{"h", {-1, 2, 6, 6}}};
  return g;
}

void finish_with_flatten_and_gemm(OnnxGraph& g, const std::string& from, int64_t features) {
  g.initializers["fc.weight"] = tensor({3, features});
  OnnxNode gemm = node("Gemm", {"f", "fc.weight"}, {"y"});
  gemm.attributes["transB"] = integer(1);
  g.nodes.push_back(node("Flatten", {from}, {"f"}));
  g.nodes.push_back(gemm);
  g.outputs = {{"y", {-1, 3}}};
}

TEST(OnnxRefused, AnUnsupportedOpIsNamedWithItsNodeAndTheSupportedList) {
  OnnxGraph g = mlp_graph();
  g.nodes.push_back(node("Softmax", {"y"}, {"p"}));
  g.outputs = {{"p", {-1, 3}}};
  testing::expect_error([&] { translate_onnx_graph(g); },
                        {"net.onnx: node 1 (Softmax '/Softmax')", "op 'Softmax' is not supported",
                         "supported: Gemm, MatMul", "LSTM"});
}

// The op table (models/onnx_op_table.hpp) is the supported list: the text an unsupported op's
// error shows is today's, word for word, and names exactly the table's listed rows in order; a
// dropped row, a row added without its place in the list, or drifted wording fails here.
TEST(OnnxOpTable, TheSupportedListIsTheTablesOps) {
  EXPECT_EQ(
      onnx_supported_ops(),
      "Gemm, MatMul (+ Add of a bias), Conv, MaxPool, AveragePool, Pad (before Conv or AveragePool), "
      "Flatten, Reshape, LSTM, LogSoftmax (at the output), the element-wise ops Add, Sub, Mul, Div, Pow, "
      "Relu, Sigmoid, Tanh, Erf, Exp, Log, Sqrt, Neg, Abs, Softplus, LeakyRelu, Gelu, Identity, Dropout "
      "(as relu, leaky_relu, sigmoid, tanh, softplus, gelu or a residual Add), and the glue Constant, "
      "Shape, Gather, Slice, Concat, ConstantOfShape, Cast, Transpose, Squeeze, Unsqueeze");
  // The list read back: notes in parentheses and the parts' words taken out, the names remain.
  std::string text = onnx_supported_ops();
  for (size_t open; (open = text.find(" (")) != std::string::npos;)
    text.erase(open, text.find(')', open) + 1 - open);
  for (const std::string words : {"the element-wise ops ", "and the glue "})
    text.erase(text.find(words), words.size());
  std::vector<std::string> listed, rows;
  for (size_t at = 0, comma; at <= text.size(); at = comma + 2) {
    comma = std::min(text.find(", ", at), text.size());
    listed.push_back(text.substr(at, comma - at));
  }
  for (const onnx_import::OnnxOp& op : onnx_import::op_table())
    if (op.part != onnx_import::OnnxOpPart::Unlisted) rows.push_back(op.name);
  EXPECT_EQ(listed, rows);
  EXPECT_EQ(rows.size() + 1, onnx_import::op_table().size());  // Elu: read only to name ELU in a refusal
}

// Every row's op reaches its translation (whatever that makes of a node reading a Gemm's
// output, it is not the unsupported-op error); an op outside the table gets that error, which
// names the op, its node and the whole list.
TEST(OnnxOpTable, EveryRowIsReadAndAnOpOutsideItIsRefusedWithTheList) {
  const std::string refusal = "' is not supported; supported: ";
  for (const onnx_import::OnnxOp& op : onnx_import::op_table()) {
    OnnxGraph g = mlp_graph();
    g.nodes.push_back(node(op.name, {"y", "y"}, {"z"}));
    g.outputs = {{"z", {-1, 3}}};
    try {
      translate_onnx_graph(g);
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).find(refusal), std::string::npos) << op.name << ": " << e.what();
    }
  }
  for (const char* op : {"Softmax", "BatchNormalization", "gemm", ""}) {
    OnnxGraph g = mlp_graph();
    g.nodes.push_back(node(op, {"y"}, {"z"}, "/head"));
    g.outputs = {{"z", {-1, 3}}};
    testing::expect_error(
        [&] { translate_onnx_graph(g); },
        {"net.onnx: node 1 (" + std::string(op) + " '/head'): op '" + op + refusal + onnx_supported_ops()});
  }
}

// An Unsqueeze of a constant at an axis before the start (-5 of a result of rank 2) is refused
// naming the node; it used to insert before the vector's start.
TEST(OnnxRefused, AConstantsUnsqueezeAxisOutOfRange) {
  OnnxGraph g = mlp_graph();
  g.initializers["k"] = tensor({3});
  g.initializers["axes"] = OnnxTensor{{1}, {-5}, false};
  g.nodes.insert(g.nodes.begin(), node("Unsqueeze", {"k", "axes"}, {"u"}));
  testing::expect_error([&] { translate_onnx_graph(g); },
                        {"net.onnx: node 0 (Unsqueeze", "axis out of range"});
  g.initializers["axes"] = OnnxTensor{{1}, {-2}, false};  // in range: before the first axis
  EXPECT_NO_THROW(translate_onnx_graph(g));
}

TEST(OnnxRefused, UsesADescriptionCannotSay) {
  {  // a grouped convolution
    OnnxGraph g = conv_graph();
    g.initializers["c1.weight"] = tensor({2, 1, 3, 3});
    testing::expect_error([&] { translate_onnx_graph(g); }, {"node 0 (Conv", "[out, 2, k, k]"});
    g.nodes[0].attributes["group"] = integer(2);
    g.initializers["c1.weight"] = tensor({2, 2, 3, 3});
    testing::expect_error([&] { translate_onnx_graph(g); },
                          {"node 0 (Conv", "grouped convolution is not supported"});
  }
  {  // an Add of two branches of two layers each: no residual block
    OnnxGraph g = conv_graph();
    for (const char* w : {"c2.weight", "c3.weight", "c4.weight"}) g.initializers[w] = tensor({2, 2, 3, 3});
    auto conv = [&](const char* in, const char* w, const char* out) {
      OnnxNode n = node("Conv", {in, w}, {out});
      n.attributes["kernel_shape"] = ints({3, 3});
      n.attributes["pads"] = ints({1, 1, 1, 1});
      n.name = std::string("/") + out;
      return n;
    };
    g.nodes.push_back(conv("h", "c2.weight", "a"));
    g.nodes.push_back(conv("x", "c3.weight", "b1"));
    g.nodes.push_back(conv("b1", "c4.weight", "b"));
    g.nodes.push_back(node("Add", {"a", "b"}, {"s"}));
    finish_with_flatten_and_gemm(g, "s", 72);
    testing::expect_error([&] { translate_onnx_graph(g); },
                          {"net.onnx", "an Add joins two branches of several layers"});
  }
  {  // a Mul of two different activations
    OnnxGraph g = conv_graph();
    g.nodes.push_back(node("Mul", {"h", "x"}, {"s"}));
    finish_with_flatten_and_gemm(g, "s", 72);
    testing::expect_error([&] { translate_onnx_graph(g); }, {"node 1 (Mul", "only Add (a residual join)"});
  }
  {  // an element-wise function that is no activation: x * sigmoid(x)
    OnnxGraph g = conv_graph();
    g.nodes.push_back(node("Sigmoid", {"h"}, {"sg"}));
    g.nodes.push_back(node("Mul", {"h", "sg"}, {"s"}));
    finish_with_flatten_and_gemm(g, "s", 72);
    testing::expect_error([&] { translate_onnx_graph(g); }, {"node 3 (Flatten", "SiLU (x * sigmoid(x))",
                                                             "not an activation a description names"});
  }
  {  // dilation, unequal padding, a Pad before a MaxPool
    OnnxGraph g = conv_graph();
    g.nodes[0].attributes["dilations"] = ints({2, 2});
    testing::expect_error([&] { translate_onnx_graph(g); }, {"node 0 (Conv", "dilation is not supported"});
    g = conv_graph();
    g.nodes[0].attributes["pads"] = ints({1, 0, 1, 0});
    testing::expect_error([&] { translate_onnx_graph(g); }, {"node 0 (Conv", "same padding on every side"});
    g = conv_graph();
    OnnxTensor pads{{8}, {0, 0, 1, 1, 0, 0, 1, 1}, true};
    g.initializers["pads"] = pads;
    OnnxNode pool = node("MaxPool", {"p"}, {"m"});
    pool.attributes["kernel_shape"] = ints({2, 2});
    pool.attributes["strides"] = ints({2, 2});
    g.nodes.push_back(node("Pad", {"h", "pads"}, {"p"}));
    g.nodes.push_back(pool);
    finish_with_flatten_and_gemm(g, "m", 32);
    testing::expect_error([&] { translate_onnx_graph(g); },
                          {"node 2 (MaxPool", "reads a Pad; only a Conv or AveragePool may"});
  }
  {  // a bidirectional LSTM, and one that reads the whole sequence of outputs
    OnnxGraph g;
    g.file = "seq.onnx";
    g.inputs = {{"x", {-1, 5, 3}}};
    g.initializers["W"] = tensor({1, 8, 3});
    g.initializers["R"] = tensor({1, 8, 2});
    g.initializers["B"] = tensor({1, 16});
    g.initializers["fc.weight"] = tensor({3, 10});
    OnnxTensor perm;
    OnnxNode t = node("Transpose", {"x"}, {"xt"});
    t.attributes["perm"] = ints({1, 0, 2});
    OnnxNode lstm = node("LSTM", {"xt", "W", "R", "B"}, {"Y", "Yh"});
    lstm.attributes["hidden_size"] = integer(2);
    lstm.attributes["direction"] = text("bidirectional");
    g.nodes = {t, lstm};
    g.outputs = {{"Yh", {1, -1, 2}}};
    testing::expect_error([&] { translate_onnx_graph(g); }, {"seq.onnx: node 1 (LSTM", "only a forward"});
    g.nodes[1].attributes.erase("direction");
    OnnxNode flat = node("Flatten", {"Y"}, {"f"});
    OnnxNode gemm = node("Gemm", {"f", "fc.weight"}, {"y"});
    gemm.attributes["transB"] = integer(1);
    g.nodes.push_back(flat);
    g.nodes.push_back(gemm);
    g.outputs = {{"y", {-1, 3}}};
    testing::expect_error([&] { translate_onnx_graph(g); },
                          {"node 2 (Flatten", "[lstm steps 5,1,batch,2]", "take the last step"});
  }
}

TEST(OnnxRefused, AFileThatIsNoOnnxModelIsNamed) {
  const std::string path = testing::temp_dir() + "/bad.onnx";
  testing::write_bytes(path, "this is not a protobuf \xff\xff\xff");
  testing::expect_error([&] { read_onnx_model(path); }, {path});
  testing::expect_error([&] { read_onnx_model(testing::temp_dir() + "/missing.onnx"); },
                        {"missing.onnx", "cannot open"});
}

// --- The README walk-through: an exported model on .npy data ------------------------------

TEST(OnnxCommands, EvalGivesPyTorchsLossAndPathRunsOnTheExportedModel) {
  const std::string dir = testing::temp_dir(), data = dir + "/data", bin = testing::binary();
  std::filesystem::create_directories(data);
  const std::string model = golden("rescnn.onnx");
  int64_t n = 0, D = 0, one = 0;
  const std::vector<double> x = read_npy_double(golden("rescnn_x.npy"), &n, &D);
  const std::vector<double> y = read_npy_double(golden("rescnn_y.npy"), &one, &n);
  std::vector<int64_t> labels(y.begin(), y.end());
  for (const char* split : {"train", "test"}) {
    testing::write_npy_array(data + "/" + split + "_x.npy", "<f8", {n, 1, 12, 12}, x);
    testing::write_npy_array(data + "/" + split + "_y.npy", "<i8", {n}, labels);
  }
  // No --weights: the model's own. The loss is PyTorch's (10 significant digits printed).
  testing::CommandResult r = testing::run_capture({bin, "eval", "--model", model, "--data", data});
  ASSERT_EQ(r.status, 0) << r.err;
  const double torch_loss = read_npy(golden("rescnn_loss.npy")).data[0];
  const size_t at = r.out.find("\n0,");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_NEAR(std::stod(r.out.substr(at + 3)) / torch_loss, 1.0, testing::kFloat64 ? 1e-9 : 1e-5) << r.out;

  // describe prints the translation and saves the weights; path runs between two of them.
  r = testing::run_capture({bin, "describe", "--model", model, "--save-weights", dir + "/w.npy",
                            "--save-description", dir + "/rescnn.json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("translated description:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"type\": \"residual\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4.projection.weight"), std::string::npos) << r.out;
  const std::vector<double> w = read_npy_double(dir + "/w.npy", &one, &D);
  std::vector<double> pair(w);
  for (size_t k = 0; k < w.size(); ++k) pair.push_back(w[k] * (1 + 0.1 * std::sin(double(k))));
  write_npy(dir + "/pair.npy", pair.data(), 2, int64_t(w.size()));
  r = testing::run_capture({bin,        "path",       "--model",  model, "--weights", dir + "/pair.npy",
                            "--pairs",  "0-1",        "--data",   data,  "--steps",   "2",
                            "--points", "5",          "--images", "5",   "--threads", "1",
                            "--out",    dir + "/path"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(testing::read_file(dir + "/path/paths.csv").find("\n0,1,"), std::string::npos);
  // The saved description is the same model as the .onnx file.
  r = testing::run_capture(
      {bin, "eval", "--model", dir + "/rescnn.json", "--weights", dir + "/w.npy", "--data", data});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NEAR(std::stod(r.out.substr(r.out.find("\n0,") + 3)) / torch_loss, 1.0,
              testing::kFloat64 ? 1e-9 : 1e-5);

  // A description carries no weights: eval without --weights says what is missing.
  r = testing::run_capture({bin, "eval", "--model", golden("rescnn.json"), "--data", data});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--weights is needed"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace landscape
