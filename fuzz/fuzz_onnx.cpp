// libFuzzer target: the ONNX reader and its translation into a description (parse_onnx_graph, translate_onnx_graph).
// The work is fuzz::onnx in fuzz_targets.hpp; `make fuzz` runs it.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  landscape::fuzz::onnx(data, size);
  return 0;
}
