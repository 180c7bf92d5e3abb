// libFuzzer target: the preset / --config parser of `landscape reproduce` (parse_preset).
// The work is fuzz::config in fuzz_targets.hpp; `make fuzz` runs it.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  landscape::fuzz::config(data, size);
  return 0;
}
