// libFuzzer target: the .npy reader (parse_npy, parse_npy_int64_vector).
// The work is fuzz::npy in fuzz_targets.hpp; `make fuzz` runs it.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  landscape::fuzz::npy(data, size);
  return 0;
}
