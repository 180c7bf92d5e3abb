#include "cli/common_flags.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace landscape {

void add_threads_flag(Args& args) {
  args.flag("threads", "0", "worker threads; 0 = OMP_NUM_THREADS, else all cores");
}

void apply_threads_flag(const Args& args) {
  set_num_threads(static_cast<int>(args.integer("threads", 0, 4096)));
}

void add_data_flags(Args& args) {
  args.flag("data", "", "MNIST directory (else $LANDSCAPE_DATA, else data/mnist)")
      .flag("train-images", "60000", "use the first N training images")
      .flag("test-images", "10000", "use the first N test images");
}

Split parse_split(const std::string& name) {
  if (name == "train") return Split::Train;
  if (name == "test") return Split::Test;
  throw UsageError("--split must be train or test, got '" + name + "'");
}

}  // namespace landscape
