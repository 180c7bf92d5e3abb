#include "cli/common_flags.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace landscape {

namespace {
std::string format_number(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}
}  // namespace

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

void add_model_flags(Args& args) {
  args.flag("activation", "softplus", "softplus (published code) | relu (paper's text)")
      .flag("data", "", "MNIST directory (else $LANDSCAPE_DATA, else data/mnist)");
}

Split parse_split(const std::string& name) {
  return parse_enum(kSplitNames, name, "split");
}

std::vector<double> real_list(const Args& args, const std::string& name, double min, double max) {
  std::vector<double> out;
  for (const std::string& item : args.list(name)) {
    char* end = nullptr;
    const double x = std::strtod(item.c_str(), &end);
    if (item.empty() || *end != '\0' || !std::isfinite(x) || x < min || x > max)
      throw UsageError("--" + name + ": '" + item + "' is not a number in [" + format_number(min) +
                       ", " + format_number(max) + "]");
    out.push_back(x);
  }
  if (out.empty()) throw UsageError("--" + name + ": give at least one value");
  return out;
}

std::vector<long long> integer_list(const Args& args, const std::string& name, long long min, long long max) {
  std::vector<long long> out;
  for (const std::string& item : args.list(name)) {
    errno = 0;
    char* end = nullptr;
    const long long x = std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || errno == ERANGE || x < min || x > max)
      throw UsageError("--" + name + ": '" + item + "' is not an integer in [" + std::to_string(min) +
                       ", " + std::to_string(max) + "]");
    out.push_back(x);
  }
  if (out.empty()) throw UsageError("--" + name + ": give at least one value");
  return out;
}

}  // namespace landscape
