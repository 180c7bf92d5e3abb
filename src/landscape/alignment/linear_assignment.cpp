#include "landscape/alignment/linear_assignment.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "core/error.hpp"

namespace landscape {

std::vector<int> max_weight_assignment(const std::vector<double>& scores, int n) {
  require(n >= 0 && scores.size() == size_t(n) * size_t(n), "max_weight_assignment: scores must be n x n");
  // Minimise the cost -C. Rows and columns count from 1; column 0 is the free row being added.
  auto cost = [&](int i, int j) { return -scores[size_t(i - 1) * size_t(n) + size_t(j - 1)]; };
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(size_t(n) + 1, 0), v(size_t(n) + 1, 0);
  std::vector<int> match(size_t(n) + 1, 0);  // match[j]: the row column j is assigned to (0: free)
  std::vector<int> way(size_t(n) + 1, 0);    // way[j]: the column before j on the shortest path
  for (int row = 1; row <= n; ++row) {
    match[0] = row;
    int j0 = 0;
    std::vector<double> shortest(size_t(n) + 1, inf);
    std::vector<char> used(size_t(n) + 1, 0);
    do {  // Dijkstra over the columns, by reduced cost, until a free column is reached
      used[size_t(j0)] = 1;
      const int i0 = match[size_t(j0)];
      double delta = inf;
      int j1 = 0;
      for (int j = 1; j <= n; ++j) {
        if (used[size_t(j)]) continue;
        const double reduced = cost(i0, j) - u[size_t(i0)] - v[size_t(j)];
        if (reduced < shortest[size_t(j)]) {
          shortest[size_t(j)] = reduced;
          way[size_t(j)] = j0;
        }
        if (shortest[size_t(j)] < delta) {
          delta = shortest[size_t(j)];
          j1 = j;
        }
      }
      for (int j = 0; j <= n; ++j) {  // potentials: the path's edges stay tight
        if (used[size_t(j)]) {
          u[size_t(match[size_t(j)])] += delta;
          v[size_t(j)] -= delta;
        } else {
          shortest[size_t(j)] -= delta;
        }
      }
      j0 = j1;
    } while (match[size_t(j0)] != 0);
    do {  // flip the path's edges: every row on it moves one column along
      const int j1 = way[size_t(j0)];
      match[size_t(j0)] = match[size_t(j1)];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<int> p(static_cast<size_t>(n));
  for (int j = 1; j <= n; ++j) p[size_t(match[size_t(j)] - 1)] = j - 1;
  return p;
}

std::vector<int> max_weight_assignment_brute_force(const std::vector<double>& scores, int n) {
  require(n >= 0 && n <= 8 && scores.size() == size_t(n) * size_t(n), "brute force: n x n scores, n <= 8");
  std::vector<int> p(static_cast<size_t>(n)), best;
  std::iota(p.begin(), p.end(), 0);
  double best_score = -std::numeric_limits<double>::infinity();
  do {
    double s = 0;
    for (int i = 0; i < n; ++i) s += scores[size_t(i) * size_t(n) + size_t(p[size_t(i)])];
    if (s > best_score) best_score = s, best = p;
  } while (std::next_permutation(p.begin(), p.end()));
  return best;
}

}  // namespace landscape
