#include "cli/weight_sets.hpp"

#include <set>

#include "core/error.hpp"

namespace landscape {

namespace {

std::string stem(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0) name.resize(name.size() - 4);
  return name;
}

}  // namespace

void add_weight_set_flags(Args& args) {
  args.flag("sets", "", "weight stacks A.npy,B.npy,... (one vector per row, same width)", true)
      .flag("labels", "", "a name per set, a,b,... (none: file names without .npy)");
}

std::vector<WeightSet> read_weight_sets(const Args& args) {
  const std::vector<std::string> paths = args.list("sets");
  if (paths.empty()) throw UsageError("--sets needs at least one .npy file");
  std::vector<std::string> labels = args.list("labels");
  if (labels.empty())
    for (const std::string& p : paths) labels.push_back(stem(p));
  else if (labels.size() != paths.size())
    throw UsageError("--labels gives " + std::to_string(labels.size()) + " names for " +
                     std::to_string(paths.size()) + " sets");
  std::set<std::string> seen;
  for (const std::string& l : labels) {
    if (l.empty()) throw UsageError("--labels: empty name (and --sets: empty path?)");
    if (!seen.insert(l).second)
      throw UsageError("two sets are called '" + l + "'; name them apart with --labels");
  }

  return read_weight_sets(paths, labels);
}

}  // namespace landscape
