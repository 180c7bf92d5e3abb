#include "models/permutation_symmetry.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "models/model.hpp"

namespace landscape {

Permutations identity_permutations(const Model& model) {
  Permutations p;
  for (const PermutationGroup& g : model.permutation_groups()) {
    p.emplace_back(size_t(g.units));
    for (int u = 0; u < g.units; ++u) p.back()[size_t(u)] = u;
  }
  return p;
}

std::vector<Scalar> permute_weights(const Model& model, const Scalar* w, const Permutations& perms) {
  const std::vector<PermutationGroup> groups = model.permutation_groups();
  require(perms.size() == groups.size(), model.arch() + ": " + std::to_string(perms.size()) +
                                             " permutations for " + std::to_string(groups.size()) +
                                             " groups");
  std::vector<Scalar> out(w, w + model.num_params());
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::vector<int>& p = perms[g];
    std::vector<int> seen(p.size(), 0);
    bool valid = int(p.size()) == groups[g].units;
    for (int u : p) valid = valid && u >= 0 && u < int(p.size()) && !seen[size_t(u)]++;
    require(valid, model.arch() + ": the permutation of " + groups[g].name + " is not one of its " +
                       std::to_string(groups[g].units) + " units");
    // Each axis in turn, from the vector the groups before have permuted: groups act on
    // different axes of a block (rows and columns), so the order does not matter.
    for (const PermutationAxis& a : groups[g].axes) {
      const ParamBlock& b = model.layout()[a.block];
      const std::vector<Scalar> before(out.begin() + b.offset, out.begin() + b.offset + b.size());
      const size_t n = p.size();
      for (size_t o = 0; o < a.outer; ++o)
        for (size_t i = 0; i < n; ++i)
          std::copy_n(before.begin() + (o * n + size_t(p[i])) * a.inner, a.inner,
                      out.begin() + b.offset + (o * n + i) * a.inner);
    }
  }
  return out;
}

}  // namespace landscape
