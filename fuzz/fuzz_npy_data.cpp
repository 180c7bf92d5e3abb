// libFuzzer target: the .npy data directory (load_npy_dataset): the bytes as train_x.npy, then as train_y.npy.
// The work is fuzz::npy_data in fuzz_targets.hpp; `make fuzz` runs it.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  landscape::fuzz::npy_data(data, size);
  return 0;
}
