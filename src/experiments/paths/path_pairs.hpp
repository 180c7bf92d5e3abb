// Which pairs of weight vectors get a FourierPathFinder path (NOTES.md sections 5 and 7: the
// paper draws 300 random pairs from each set of 48 vectors for Figure 4).
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

}  // namespace landscape
