#include "models/model_description.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/whole_file.hpp"
#include "models/onnx_import.hpp"

#ifndef LANDSCAPE_SOURCE_ROOT
#define LANDSCAPE_SOURCE_ROOT "."
#endif

namespace landscape {

namespace {

using Json = nlohmann::json;

struct TypeEntry {
  LayerType type;
  const char* name;
  std::vector<std::string> keys;  // besides "type" (and "name" where it has parameters)
  bool has_parameters;
};

const std::vector<TypeEntry>& type_table() {
  static const std::vector<TypeEntry> t = {
      {LayerType::Linear, "linear", {"in_features", "out_features", "bias"}, true},
      {LayerType::Conv2d,
       "conv2d",
       {"in_channels", "out_channels", "kernel_size", "stride", "padding", "bias"},
       true},
      {LayerType::AvgPool2d, "avgpool2d", {"kernel_size", "stride", "padding"}, false},
      {LayerType::MaxPool2d, "maxpool2d", {"kernel_size", "stride", "padding"}, false},
      {LayerType::Flatten, "flatten", {}, false},
      {LayerType::Relu, "relu", {}, false},
      {LayerType::Softplus, "softplus", {"beta", "threshold"}, false},
      {LayerType::Tanh, "tanh", {}, false},
      {LayerType::Sigmoid, "sigmoid", {}, false},
      {LayerType::LeakyRelu, "leaky_relu", {"negative_slope"}, false},
      {LayerType::Gelu, "gelu", {"approximate"}, false},
      {LayerType::Residual, "residual", {"body", "projection"}, true},
      {LayerType::Lstm, "lstm", {"input_size", "hidden_size", "permutation"}, true},
  };
  return t;
}

std::string known_types() {
  std::string s;
  for (const TypeEntry& e : type_table()) s += std::string(s.empty() ? "" : ", ") + e.name;
  return s;
}

// Reads one layer object; `where` is "FILE: layers[3]" (nested: "layers[3].body[0]").
class LayerReader {
 public:
  LayerReader(const Json& j, std::string where) : j_(j), where_(std::move(where)) {}

  LayerSpec read(const std::string& default_name) {
    if (!j_.is_object()) fail("a layer must be an object with a \"type\"");
    if (!j_.contains("type") || !j_["type"].is_string()) fail("needs \"type\": one of " + known_types());
    const std::string type = j_["type"];
    const auto e = std::find_if(type_table().begin(), type_table().end(),
                                [&](const TypeEntry& t) { return type == t.name; });
    if (e == type_table().end()) fail("unknown type '" + type + "'; supported: " + known_types());
    where_ += " (" + type + ")";
    check_keys(*e);
    LayerSpec s;
    s.type = e->type;
    if (e->has_parameters) s.name = j_.contains("name") ? string_key("name") : default_name;
    switch (s.type) {
      case LayerType::Linear:
        s.out = positive("out_features");
        s.bias = boolean("bias", true);
        break;
      case LayerType::Conv2d:
        s.out = positive("out_channels");
        s.kernel = positive("kernel_size");
        s.stride = positive("stride", 1);
        s.padding = non_negative("padding", 0);
        s.bias = boolean("bias", true);
        break;
      case LayerType::AvgPool2d:
      case LayerType::MaxPool2d:
        s.kernel = positive("kernel_size");
        s.stride = positive("stride", s.kernel);
        s.padding = non_negative("padding", 0);
        if (2 * s.padding > s.kernel) fail("padding must be at most half of kernel_size (PyTorch's rule)");
        break;
      case LayerType::Softplus:
        s.beta = number("beta", 1);
        s.threshold = number("threshold", 20);
        if (!(s.beta > 0)) fail("beta must be positive");
        break;
      case LayerType::LeakyRelu: s.negative_slope = number("negative_slope", 0.01); break;
      case LayerType::Gelu: {
        const std::string a = j_.contains("approximate") ? string_key("approximate") : "none";
        if (a != "none" && a != "tanh") fail("approximate must be \"none\" or \"tanh\", got \"" + a + "\"");
        s.tanh_approximation = a == "tanh";
        break;
      }
      case LayerType::Lstm: {
        s.input_size = positive("input_size");
        s.hidden_size = positive("hidden_size");
        const std::string p = j_.contains("permutation") ? string_key("permutation") : "none";
        if (p != "none" && p != "published")
          fail("permutation must be \"none\" or \"published\", got \"" + p + "\"");
        s.published_permutation = p == "published";
        break;
      }
      case LayerType::Residual: read_residual(s); break;
      default: break;
    }
    return s;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error(where_ + ": " + what); }

  void check_keys(const TypeEntry& e) const {
    for (const auto& [key, value] : j_.items()) {
      if (key == "type" || (key == "name" && e.has_parameters)) continue;
      if (std::find(e.keys.begin(), e.keys.end(), key) != e.keys.end()) continue;
      std::string known = e.has_parameters ? "name" : "";
      for (const std::string& k : e.keys) known += (known.empty() ? "" : ", ") + k;
      fail("unknown key '" + key + "'" + (known.empty() ? " (this layer takes none)" : "; known: " + known));
    }
  }

  std::string string_key(const char* key) const {
    if (!j_[key].is_string()) fail(std::string("\"") + key + "\" must be a string");
    return j_[key];
  }
  double number(const char* key, double fallback) const {
    if (!j_.contains(key)) return fallback;
    if (!j_[key].is_number()) fail(std::string("\"") + key + "\" must be a number");
    return j_[key].get<double>();
  }
  int integer(const char* key, int fallback, bool required, int minimum) const {
    if (!j_.contains(key)) {
      if (required) fail(std::string("needs \"") + key + "\"");
      return fallback;
    }
    if (!j_[key].is_number_integer()) fail(std::string("\"") + key + "\" must be an integer");
    const long long v = j_[key].get<long long>();
    if (v < minimum || v > 1 << 24) fail(std::string("\"") + key + "\" out of range: " + std::to_string(v));
    return int(v);
  }
  int positive(const char* key) const { return integer(key, 0, true, 1); }
  int positive(const char* key, int fallback) const { return integer(key, fallback, false, 1); }
  int non_negative(const char* key, int fallback) const { return integer(key, fallback, false, 0); }
  bool boolean(const char* key, bool fallback) const {
    if (!j_.contains(key)) return fallback;
    if (!j_[key].is_boolean()) fail(std::string("\"") + key + "\" must be true or false");
    return j_[key];
  }

  // A residual block's sub-layers are named NAME.body.K (or NAME.CHILD), its projection
  // NAME.projection, as a module with attributes `body` (an nn.Sequential) and `projection`.
  // A block named "" adds no prefix: its layers' names are whole paths.
  void read_residual(LayerSpec& s) const {
    if (!j_.contains("body") || !j_["body"].is_array() || j_["body"].empty())
      fail("needs \"body\": a non-empty list of layers");
    for (size_t k = 0; k < j_["body"].size(); ++k) {
      LayerReader sub(j_["body"][k], where_ + ".body[" + std::to_string(k) + "]");
      LayerSpec l = sub.read(s.name + ".body." + std::to_string(k));
      if (j_["body"][k].contains("name")) l.name = under(s.name, l.name);
      s.body.push_back(std::move(l));
    }
    if (!j_.contains("projection")) return;
    LayerReader sub(j_["projection"], where_ + ".projection");
    LayerSpec p = sub.read(s.name + ".projection");
    if (j_["projection"].contains("name")) p.name = under(s.name, p.name);
    if (p.type != LayerType::Linear && p.type != LayerType::Conv2d)
      fail("projection must be a linear or conv2d layer");
    s.projection.push_back(std::move(p));
  }

  static std::string under(const std::string& block, const std::string& name) {
    return block.empty() ? name : block + "." + name;
  }

  const Json& j_;
  std::string where_;
};

// The inverse of LayerReader: every key written, names relative to the enclosing block.
using OrderedJson = nlohmann::ordered_json;  // keys in the order written, "type" first

OrderedJson layer_json(const LayerSpec& l, const std::string& block) {
  OrderedJson j;
  j["type"] = layer_type_name(l.type);
  const std::string prefix = block.empty() ? "" : block + ".";
  const bool has_parameters = std::find_if(type_table().begin(), type_table().end(), [&](const TypeEntry& e) {
                                return e.type == l.type;
                              })->has_parameters;
  if (has_parameters)
    j["name"] = !prefix.empty() && l.name.compare(0, prefix.size(), prefix) == 0
                    ? l.name.substr(prefix.size())
                    : l.name;
  switch (l.type) {
    case LayerType::Linear:
      j["out_features"] = l.out;
      j["bias"] = l.bias;
      break;
    case LayerType::Conv2d:
      j["out_channels"] = l.out;
      j["kernel_size"] = l.kernel;
      j["stride"] = l.stride;
      j["padding"] = l.padding;
      j["bias"] = l.bias;
      break;
    case LayerType::AvgPool2d:
    case LayerType::MaxPool2d:
      j["kernel_size"] = l.kernel;
      j["stride"] = l.stride;
      j["padding"] = l.padding;
      break;
    case LayerType::Softplus:
      j["beta"] = l.beta;
      j["threshold"] = l.threshold;
      break;
    case LayerType::LeakyRelu: j["negative_slope"] = l.negative_slope; break;
    case LayerType::Gelu: j["approximate"] = l.tanh_approximation ? "tanh" : "none"; break;
    case LayerType::Lstm:
      j["input_size"] = l.input_size;
      j["hidden_size"] = l.hidden_size;
      j["permutation"] = l.published_permutation ? "published" : "none";
      break;
    case LayerType::Residual:
      j["body"] = OrderedJson::array();
      for (const LayerSpec& b : l.body) j["body"].push_back(layer_json(b, l.name));
      if (!l.projection.empty()) j["projection"] = layer_json(l.projection.front(), l.name);
      break;
    default: break;
  }
  return j;
}

std::vector<int> read_input_shape(const Json& doc, const std::string& file) {
  const std::string where = file + ": \"input\"";
  if (!doc.contains("input") || !doc["input"].is_array())
    throw Error(where + ": needs the per-example input shape, [D] or [C,H,W]");
  std::vector<int> shape;
  for (const Json& d : doc["input"]) {
    if (!d.is_number_integer() || d.get<long long>() < 1 || d.get<long long>() > 1 << 24)
      throw Error(where + ": every dimension must be a positive integer");
    shape.push_back(d.get<int>());
  }
  if (shape.size() != 1 && shape.size() != 3) throw Error(where + ": must be [D] or [C,H,W]");
  return shape;
}

}  // namespace

const char* layer_type_name(LayerType t) {
  for (const TypeEntry& e : type_table())
    if (e.type == t) return e.name;
  return "?";
}

ModelDescription parse_model_description(const std::string& text, const std::string& file) {
  Json doc;
  try {
    doc = Json::parse(text, nullptr, true, /*ignore_comments=*/true);
  } catch (const Json::exception& e) {  // a syntax error, or a number too large for a double
    throw Error(file + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object()) throw Error(file + ": must be a JSON object with \"input\", \"loss\" and \"layers\"");
  for (const auto& [key, value] : doc.items())
    if (key != "name" && key != "input" && key != "loss" && key != "layers" && key != "comment" &&
        key != "parameter_order")
      throw Error(file + ": unknown key '" + key +
                  "'; known: name, input, loss, layers, parameter_order, comment");
  ModelDescription d;
  d.file = file;
  d.name = doc.contains("name") && doc["name"].is_string() ? doc["name"].get<std::string>()
                                                           : std::filesystem::path(file).stem().string();
  d.input = read_input_shape(doc, file);
  const std::string loss =
      doc.contains("loss") && doc["loss"].is_string() ? doc["loss"].get<std::string>() : "";
  if (loss == "cross_entropy")
    d.loss = LossKind::CrossEntropy;
  else if (loss == "mse_input")
    d.loss = LossKind::MseInput;
  else
    throw Error(file + ": \"loss\" must be \"cross_entropy\" (logits) or \"mse_input\" (autoencoder)");
  if (!doc.contains("layers") || !doc["layers"].is_array() || doc["layers"].empty())
    throw Error(file + ": needs \"layers\": a non-empty list");
  for (size_t k = 0; k < doc["layers"].size(); ++k) {
    LayerReader r(doc["layers"][k], file + ": layers[" + std::to_string(k) + "]");
    d.layers.push_back(r.read(std::to_string(k)));
  }
  if (doc.contains("parameter_order")) {
    const auto& order = doc["parameter_order"];
    if (!order.is_array()) throw Error(file + ": \"parameter_order\" must be a list of parameter names");
    for (const auto& name : order) {
      if (!name.is_string()) throw Error(file + ": \"parameter_order\" must be a list of parameter names");
      d.parameter_order.push_back(name.get<std::string>());
    }
  }
  return d;
}

bool is_onnx_path(const std::string& path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".onnx") == 0;
}

ModelDescription read_model_description(const std::string& path) {
  if (is_onnx_path(path)) return read_onnx_model(path);
  return parse_model_description(read_whole_file(path), path);
}

std::string write_model_description(const ModelDescription& d) {
  OrderedJson doc;
  doc["name"] = d.name;
  doc["input"] = d.input;
  doc["loss"] = d.loss == LossKind::CrossEntropy ? "cross_entropy" : "mse_input";
  doc["layers"] = OrderedJson::array();
  for (const LayerSpec& l : d.layers) doc["layers"].push_back(layer_json(l, ""));
  if (!d.parameter_order.empty()) doc["parameter_order"] = d.parameter_order;
  return doc.dump(2) + "\n";
}

std::string model_description_path(const std::string& arch) {
  const std::string shipped = shipped_model_path(arch);
  if (!shipped.empty()) return shipped;
  if ((arch.size() > 5 && arch.compare(arch.size() - 5, 5, ".json") == 0) || is_onnx_path(arch)) return arch;
  throw UsageError(
      "--arch must be one of fcp, lenet, lstm, ae or a model file (.json description or .onnx); got '" +
      arch + "'");
}

std::string shipped_model_path(const std::string& name) {
  if (name != "fcp" && name != "lenet" && name != "lstm" && name != "ae") return "";
  const char* env = std::getenv("LANDSCAPE_SOURCE_ROOT");
  const std::string root = env && *env ? env : LANDSCAPE_SOURCE_ROOT;
  return root + "/models/" + name + ".json";
}

}  // namespace landscape
