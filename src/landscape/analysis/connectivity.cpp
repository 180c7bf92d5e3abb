#include "landscape/analysis/connectivity.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numeric>

#include "core/error.hpp"

namespace landscape {

namespace {

// Union-find over the minima, with the cluster each root stands for in the dendrogram.
struct Basins {
  std::vector<int> parent, cluster;
  explicit Basins(int n) : parent(static_cast<size_t>(n)), cluster(static_cast<size_t>(n)) {
    std::iota(parent.begin(), parent.end(), 0);
    std::iota(cluster.begin(), cluster.end(), 0);
  }
  int root(int a) {
    while (parent[size_t(a)] != a) a = parent[size_t(a)] = parent[size_t(parent[size_t(a)])];
    return a;
  }
};

}  // namespace

Connectivity connectivity(const MinimaGraph& g, int suggestions) {
  const int n = int(g.names.size());
  require(g.loss.size() == size_t(n), "connectivity: a loss per minimum");
  const double inf = std::numeric_limits<double>::infinity();
  // The lowest barrier known for each pair.
  std::map<std::pair<int, int>, double> known;
  for (const MinimaGraph::Edge& e : g.edges) {
    require(e.a >= 0 && e.a < n && e.b >= 0 && e.b < n && e.a != e.b,
            "connectivity: an edge joins " + std::to_string(e.a) + " and " + std::to_string(e.b) + " of " +
                std::to_string(n) + " minima");
    require(std::isfinite(e.barrier), "connectivity: the barrier between " + g.names[size_t(e.a)] + " and " +
                                          g.names[size_t(e.b)] + " is not finite");
    const auto key = std::minmax(e.a, e.b);
    auto it = known.find(key);
    if (it == known.end() || e.barrier < it->second) known[key] = e.barrier;
  }
  std::vector<MinimaGraph::Edge> edges;
  for (const auto& [key, barrier] : known) edges.push_back({key.first, key.second, barrier});
  std::stable_sort(edges.begin(), edges.end(),
                   [](const auto& x, const auto& y) { return x.barrier < y.barrier; });

  Connectivity c;
  Basins basins(n);
  std::vector<std::vector<std::pair<int, double>>> adjacent(static_cast<size_t>(n));
  for (const MinimaGraph::Edge& e : edges) {  // Kruskal: the lowest edge joining two basins
    const int ra = basins.root(e.a), rb = basins.root(e.b);
    if (ra == rb) continue;
    c.tree.push_back(e);
    adjacent[size_t(e.a)].push_back({e.b, e.barrier});
    adjacent[size_t(e.b)].push_back({e.a, e.barrier});
    // The basins meet at the barrier, or at the higher minimum if a path's top lies below it
    // (a barrier is never below the minima it joins; rounding can put it there).
    const double level = std::max({e.barrier, g.loss[size_t(e.a)], g.loss[size_t(e.b)]});
    c.merges.push_back({basins.cluster[size_t(ra)], basins.cluster[size_t(rb)], level});
    basins.parent[size_t(rb)] = ra;
    basins.cluster[size_t(ra)] = n + int(c.merges.size()) - 1;
  }

  // Minimax barrier: from every minimum, the highest edge on the tree path to each other one.
  c.minimax.assign(size_t(n) * size_t(n), inf);
  for (int s = 0; s < n; ++s) {
    c.minimax[size_t(s) * size_t(n) + size_t(s)] = g.loss[size_t(s)];
    std::vector<int> stack{s};
    std::vector<char> seen(size_t(n), 0);
    seen[size_t(s)] = 1;
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      for (const auto& [w, barrier] : adjacent[size_t(v)]) {
        if (seen[size_t(w)]) continue;
        seen[size_t(w)] = 1;
        const double here =
            v == s ? barrier : std::max(c.minimax[size_t(s) * size_t(n) + size_t(v)], barrier);
        c.minimax[size_t(s) * size_t(n) + size_t(w)] = here;
        stack.push_back(w);
      }
    }
  }

  // Left to right: each merge's left cluster, then its right one; unmerged basins after.
  std::function<void(int)> place = [&](int cluster) {
    if (cluster < n) {
      c.order.push_back(cluster);
      return;
    }
    place(c.merges[size_t(cluster - n)].left);
    place(c.merges[size_t(cluster - n)].right);
  };
  for (int v = 0; v < n; ++v)
    if (basins.root(v) == v) place(basins.cluster[size_t(v)]);

  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b) {
      if (known.count({a, b})) continue;
      const double m = c.minimax[size_t(a) * size_t(n) + size_t(b)];
      c.suggestions.push_back({a, b, m, m - std::max(g.loss[size_t(a)], g.loss[size_t(b)])});
    }
  std::stable_sort(c.suggestions.begin(), c.suggestions.end(),
                   [](const auto& x, const auto& y) { return x.room > y.room; });
  if (int(c.suggestions.size()) > suggestions) c.suggestions.resize(size_t(std::max(suggestions, 0)));
  return c;
}

}  // namespace landscape
