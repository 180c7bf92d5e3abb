// Which pairs of weight vectors get a path, and the seed of each pair's draws
// (docs/algorithms.md §5: the paper draws 300 random pairs from each set of 48 vectors for
// Figure 4).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace landscape {

struct PathPair {
  int64_t i = 0, j = 0;  // rows of the weights file; the path runs from row i to row j
  bool operator==(const PathPair&) const = default;
};

// "0-1,2-3": the pairs as given (i -> j). Each i != j, both < rows; repeats are an error.
// UsageError naming --pairs otherwise.
std::vector<PathPair> parse_pairs(const std::string& spec, int64_t rows);

// n distinct unordered pairs {i, j}, i < j < rows, drawn uniformly without replacement (a
// partial Fisher-Yates shuffle of all rows (rows-1)/2 pairs by the project's Rng, so a seed
// gives the same pairs everywhere). UsageError naming --random-pairs when n exceeds the pairs.
std::vector<PathPair> random_pairs(int64_t rows, int64_t n, uint64_t seed);

// The noise and sampling stream of one pair: a function of (seed, i, j) only (splitmix64
// finaliser), so a pair gives the same path whatever ran before it, whether or not the run was
// resumed, and whichever command ran it (docs/algorithms.md §5, pairs and seeds).
uint64_t pair_seed(uint64_t seed, const PathPair& p);

// "3-7": the pair as messages and progress lines name it.
std::string pair_name(const PathPair& p);

}  // namespace landscape
