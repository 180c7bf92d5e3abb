// The map of a set of minima from the barriers computed between some of their pairs
// (docs/algorithms.md §14.5), the way a chemist draws an energy landscape (Wales's
// disconnectivity graphs; AutoNEB, Draxler et al. 2018, builds one from its paths):
//   - the minimum spanning tree under the barrier height (Kruskal): the cheapest way to join
//     all minima through the barriers known;
//   - the minimax barrier between any two minima: the highest barrier on their tree path, the
//     lowest barrier any chain of known paths between them has to cross;
//   - the disconnectivity graph: the tree's edges in increasing order merge basins (single
//     linkage), each merge at its barrier, minima standing at their own loss;
//   - suggestions: pairs without a direct path whose minimax barrier stands highest above the
//     higher of their losses, where a direct path could lower the map most.
#pragma once

#include <string>
#include <vector>

namespace landscape {

struct MinimaGraph {
  std::vector<std::string> names;  // one per minimum
  std::vector<double> loss;        // f at each minimum
  struct Edge {
    int a = 0, b = 0;
    double barrier = 0;  // the highest loss on the path found between a and b
  };
  std::vector<Edge> edges;  // the pairs with a computed path (a pair given twice: the lower)
};

struct Connectivity {
  std::vector<MinimaGraph::Edge> tree;  // in the order Kruskal accepted them (increasing barrier)
  std::vector<double> minimax;          // [n x n]; infinity between minima no known path joins
  struct Merge {
    int left = 0, right = 0;  // the clusters merged: minima 0..n-1, then merge n + k for merge k
    double level = 0;         // the barrier where their basins meet
  };
  std::vector<Merge> merges;  // single linkage, increasing level
  std::vector<int> order;     // the minima left to right in the graph: every basin contiguous
  struct Suggestion {
    int a = 0, b = 0;
    double minimax = 0, room = 0;  // room = minimax - max(loss a, loss b)
  };
  std::vector<Suggestion> suggestions;  // most room first
};

// An Error names a bad edge (an end outside the minima, a non-finite barrier).
Connectivity connectivity(const MinimaGraph& g, int suggestions = 10);

}  // namespace landscape
