#include "cli/weight_sets.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>

#include "core/error.hpp"
#include "io/npy.hpp"
#include "models/weights_file.hpp"

namespace landscape {

namespace {

std::string stem(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0)
    name.resize(name.size() - 4);
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

  std::vector<WeightSet> sets;
  for (size_t s = 0; s < paths.size(); ++s) {
    NpyMatrix m = read_npy(paths[s]);
    require(m.rows >= 1 && m.cols >= 1, paths[s] + ": no vectors");
    require_finite_weights(paths[s], m);
    if (!sets.empty() && m.cols != sets[0].vectors.dim(1))
      throw Error("sets of different widths: " + sets[0].path + " has vectors of " +
                  std::to_string(sets[0].vectors.dim(1)) + " components, " + paths[s] +
                  " of " + std::to_string(m.cols));
    WeightSet w{labels[s], paths[s], Tensor({static_cast<int>(m.rows), static_cast<int>(m.cols)})};
    std::copy(m.data.begin(), m.data.end(), w.vectors.data());
    sets.push_back(std::move(w));
  }
  return sets;
}

Tensor stack_weight_sets(const std::vector<WeightSet>& sets) {
  int rows = 0;
  for (const WeightSet& s : sets) rows += s.vectors.dim(0);
  Tensor all({rows, sets.at(0).vectors.dim(1)});
  Scalar* out = all.data();
  for (const WeightSet& s : sets) out = std::copy(s.vectors.data(), s.vectors.data() + s.vectors.size(), out);
  return all;
}

}  // namespace landscape
