// libFuzzer target: the command-line parser (Args) and the flag value parsers.
// The work is fuzz::args in fuzz_targets.hpp; `make fuzz` runs it.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  landscape::fuzz::args(data, size);
  return 0;
}
