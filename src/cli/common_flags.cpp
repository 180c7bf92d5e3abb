#include "cli/common_flags.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "io/data_directory.hpp"

namespace landscape {

namespace {
std::string format_number(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}
}  // namespace

const ParameterTable<ThreadsOption>& ThreadsOption::table() {
  // clang-format off
  static const auto t = ParameterTable<ThreadsOption>().field(
      "threads", &ThreadsOption::threads, "worker threads; 0 = OMP_NUM_THREADS, else all cores")
      .range(0, 4096);
  // clang-format on
  return t;
}

bool parse_with_threads(Args& args, int argc, char** argv) {
  args.declare(ThreadsOption::table());
  if (!args.parse(argc, argv)) return false;
  set_num_threads(args.read(ThreadsOption::table()).threads);
  return true;
}

Split parse_split(const std::string& name) { return parse_enum(kSplitNames, name, "split"); }

std::vector<double> real_list(const Args& args, const std::string& name, double min, double max) {
  std::vector<double> out;
  for (const std::string& item : args.list(name)) {
    char* end = nullptr;
    const double x = std::strtod(item.c_str(), &end);
    if (item.empty() || *end != '\0' || !std::isfinite(x) || x < min || x > max)
      throw UsageError("--" + name + ": '" + item + "' is not a number in [" + format_number(min) + ", " +
                       format_number(max) + "]");
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
      throw UsageError("--" + name + ": '" + item + "' is not an integer in [" + std::to_string(min) + ", " +
                       std::to_string(max) + "]");
    out.push_back(x);
  }
  if (out.empty()) throw UsageError("--" + name + ": give at least one value");
  return out;
}

}  // namespace landscape
