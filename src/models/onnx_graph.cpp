// Reading an ONNX file with Debian's libonnx-dev (its protobuf classes, namespace onnx), into
// the plain structs of onnx_graph.hpp. Only what the translation needs is copied: tensors of
// float, double and integer types (other types are an Error when used), the attributes of the
// kinds nodes carry.
#include "models/onnx_graph.hpp"

#include <cstring>
#include <fstream>
#include <sstream>

#include <onnx/onnx_pb.h>

#include "core/error.hpp"

namespace landscape {

namespace {

constexpr int64_t kMaxValues = int64_t(1) << 31;  // values in one tensor, at most

// Little-endian raw_data, the form torch.onnx.export writes (x86 and ARM are little-endian).
template <class T>
std::vector<double> raw_values(const std::string& raw, size_t n, const std::string& where) {
  if (raw.size() != n * sizeof(T))
    throw Error(where + ": raw data holds " + std::to_string(raw.size()) + " bytes for " + std::to_string(n) +
                " values of " + std::to_string(sizeof(T)) + " bytes");
  std::vector<double> out(n);
  for (size_t k = 0; k < n; ++k) {
    T v;
    std::memcpy(&v, raw.data() + k * sizeof(T), sizeof(T));
    out[k] = double(v);
  }
  return out;
}

template <class Field>
std::vector<double> field_values(const Field& f) {
  return std::vector<double>(f.begin(), f.end());
}

OnnxTensor read_tensor(const onnx::TensorProto& t, const std::string& where) {
  OnnxTensor out;
  size_t n = 1;
  for (int64_t d : t.dims()) {  // a size taken on trust would allocate anything
    if (d < 0 || d > kMaxValues || n * size_t(d) > size_t(kMaxValues))
      throw Error(where + ": tensor '" + t.name() + "' has a negative or too large shape (over " +
                  std::to_string(kMaxValues) + " values)");
    out.dims.push_back(d);
    n *= size_t(d);
  }
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    throw Error(where + ": tensor '" + t.name() +
                "' is stored outside the file (external data); export with "
                "the weights inside the .onnx (models under 2 GB)");
  const bool raw = t.has_raw_data();
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      out.values = raw ? raw_values<float>(t.raw_data(), n, where) : field_values(t.float_data());
      break;
    case onnx::TensorProto::DOUBLE:
      out.values = raw ? raw_values<double>(t.raw_data(), n, where) : field_values(t.double_data());
      break;
    case onnx::TensorProto::INT64:
      out.values = raw ? raw_values<int64_t>(t.raw_data(), n, where) : field_values(t.int64_data());
      out.integer = true;
      break;
    case onnx::TensorProto::INT32:
      out.values = raw ? raw_values<int32_t>(t.raw_data(), n, where) : field_values(t.int32_data());
      out.integer = true;
      break;
    case onnx::TensorProto::BOOL:
      out.values = raw ? raw_values<uint8_t>(t.raw_data(), n, where) : field_values(t.int32_data());
      out.integer = true;
      break;
    default:
      throw Error(where + ": tensor '" + t.name() + "' has ONNX data type " + std::to_string(t.data_type()) +
                  "; supported: float, double, int64, int32, bool");
  }
  if (out.values.size() != n)
    throw Error(where + ": tensor '" + t.name() + "' holds " + std::to_string(out.values.size()) +
                " values for its shape of " + std::to_string(n));
  return out;
}

OnnxAttribute read_attribute(const onnx::AttributeProto& a, const std::string& where) {
  OnnxAttribute out;
  switch (a.type()) {
    case onnx::AttributeProto::INT:
      out.kind = OnnxAttribute::Kind::Int;
      out.i = a.i();
      break;
    case onnx::AttributeProto::FLOAT:
      out.kind = OnnxAttribute::Kind::Float;
      out.f = a.f();
      break;
    case onnx::AttributeProto::INTS:
      out.kind = OnnxAttribute::Kind::Ints;
      out.ints.assign(a.ints().begin(), a.ints().end());
      break;
    case onnx::AttributeProto::FLOATS:
      out.kind = OnnxAttribute::Kind::Floats;
      out.floats.assign(a.floats().begin(), a.floats().end());
      break;
    case onnx::AttributeProto::STRING:
      out.kind = OnnxAttribute::Kind::String;
      out.s = a.s();
      break;
    case onnx::AttributeProto::TENSOR:
      out.kind = OnnxAttribute::Kind::Tensor;
      out.t = read_tensor(a.t(), where);
      break;
    default: break;  // graphs, strings lists, ...: no supported op reads them
  }
  return out;
}

OnnxValueInfo read_value_info(const onnx::ValueInfoProto& v) {
  OnnxValueInfo out{v.name(), {}};
  if (v.type().has_tensor_type() && v.type().tensor_type().has_shape())
    for (const auto& d : v.type().tensor_type().shape().dim())
      out.dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
  return out;
}

}  // namespace

OnnxGraph read_onnx_graph(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open the ONNX file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return parse_onnx_graph(path, bytes.str());
}

OnnxGraph parse_onnx_graph(const std::string& path, const std::string& bytes) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) throw Error(path + ": not an ONNX model (the protobuf does not parse)");
  if (!model.has_graph()) throw Error(path + ": the ONNX model holds no graph");
  OnnxGraph g;
  g.file = path;
  for (const auto& o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") g.opset = o.version();
  const onnx::GraphProto& graph = model.graph();
  for (const onnx::TensorProto& t : graph.initializer()) {
    if (!g.initializers.count(t.name())) g.initializer_order.push_back(t.name());
    g.initializers[t.name()] = read_tensor(t, path + ": initializer '" + t.name() + "'");
  }
  for (const onnx::ValueInfoProto& v : graph.input())
    if (!g.initializers.count(v.name())) g.inputs.push_back(read_value_info(v));
  for (const onnx::ValueInfoProto& v : graph.output()) g.outputs.push_back(read_value_info(v));
  for (int k = 0; k < graph.node_size(); ++k) {
    const onnx::NodeProto& n = graph.node(k);
    OnnxNode node;
    node.op = n.op_type();
    node.name = n.name();
    node.index = k;
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      throw Error(path + ": " + node.label() + " is of the domain '" + n.domain() +
                  "'; only standard ONNX ops are read");
    node.inputs.assign(n.input().begin(), n.input().end());
    node.outputs.assign(n.output().begin(), n.output().end());
    for (const onnx::AttributeProto& a : n.attribute())
      node.attributes[a.name()] =
          read_attribute(a, path + ": " + node.label() + " attribute '" + a.name() + "'");
    g.nodes.push_back(std::move(node));
  }
  return g;
}

}  // namespace landscape
