// read_onnx_graph in a build configured without ONNX (meson -Donnx=disabled, or auto without
// Debian's libonnx-dev): every .onnx file is a clear error saying how to get a build that reads it.
#include "core/error.hpp"
#include "models/onnx_graph.hpp"

namespace landscape {

OnnxGraph parse_onnx_graph(const std::string& name, const std::string&) {
  throw Error(name +
              ": this build reads no ONNX files; install libonnx-dev and libprotobuf-dev and configure with "
              "meson -Donnx=enabled (`make` does both)");
}

OnnxGraph read_onnx_graph(const std::string& path) { return parse_onnx_graph(path, ""); }

}  // namespace landscape
