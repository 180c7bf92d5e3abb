// The linear assignment problem (docs/algorithms.md §14.2): given an n x n matrix of scores C,
// the permutation p maximising sum_i C[i][p[i]], exactly. Solved by the Hungarian method in its
// shortest-augmenting-path form (Jonker and Volgenant 1987; Kuhn 1955): rows are added one at a
// time, each by the cheapest path of alternating edges from it to a free column under dual
// potentials u (rows) and v (columns) that keep every reduced cost C'[i][j] = u[i] + v[j] - C[i][j]
// >= 0 and zero on the matched edges, so the assignment stays optimal for the rows added so far.
// O(n^3). Weight matching (weight_matching.hpp) solves one per layer per sweep.
#pragma once

#include <vector>

namespace landscape {

// scores: row-major n x n. Returns p with p[i] = the column row i takes.
std::vector<int> max_weight_assignment(const std::vector<double>& scores, int n);

// The same by trying all n! permutations: the plain twin for tests (n <= 8).
std::vector<int> max_weight_assignment_brute_force(const std::vector<double>& scores, int n);

}  // namespace landscape
