// libFuzzer target: the model description reader and the model it builds (parse_model_description, make_described_model).
// The work is fuzz::description in fuzz_targets.hpp; `make fuzz` runs it.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  landscape::fuzz::description(data, size);
  return 0;
}
