// libFuzzer target: the MNIST IDX reader (parse_idx_images, parse_idx_labels).
// The work is fuzz::idx in fuzz_targets.hpp; `make fuzz` runs it.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  landscape::fuzz::idx(data, size);
  return 0;
}
