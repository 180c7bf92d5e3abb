#include "experiments/paths/path_pairs.hpp"

#include <utility>

#include "core/error.hpp"
#include "core/random.hpp"
#include "core/strings.hpp"

namespace landscape {

namespace {

int64_t parse_row(const std::string& text, const std::string& spec, int64_t rows) {
  size_t used = 0;
  long long r = -1;
  try {
    r = std::stoll(text, &used);
  } catch (...) {
    used = 0;
  }
  if (text.empty() || used != text.size() || r < 0)
    throw UsageError("--pairs expects pairs of rows like 0-1,2-3; got '" + spec + "'");
  if (r >= rows)
    throw UsageError("--pairs: row " + text + " does not exist (the file has " + std::to_string(rows) +
                     " rows)");
  return r;
}

}  // namespace

std::vector<PathPair> parse_pairs(const std::string& spec, int64_t rows) {
  std::vector<PathPair> pairs;
  for (const std::string& item : split_commas(spec)) {
    const size_t dash = item.find('-');
    if (dash == std::string::npos)
      throw UsageError("--pairs expects pairs of rows like 0-1,2-3; got '" + spec + "'");
    PathPair p{parse_row(item.substr(0, dash), spec, rows), parse_row(item.substr(dash + 1), spec, rows)};
    if (p.i == p.j) throw UsageError("--pairs: " + item + " joins a row to itself");
    for (const PathPair& q : pairs)
      if (q == p) throw UsageError("--pairs: " + item + " is given twice");
    pairs.push_back(p);
  }
  if (pairs.empty()) throw UsageError("--pairs is empty");
  return pairs;
}

std::vector<PathPair> random_pairs(int64_t rows, int64_t n, uint64_t seed) {
  const int64_t total = rows * (rows - 1) / 2;
  if (n < 1 || n > total)
    throw UsageError("--random-pairs must be between 1 and " + std::to_string(total) +
                     " (the distinct pairs of " + std::to_string(rows) + " rows)");
  std::vector<PathPair> all;
  all.reserve(size_t(total));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = i + 1; j < rows; ++j) all.push_back({i, j});
  Rng rng(seed);
  for (int64_t k = 0; k < n; ++k) {  // position k takes a uniform pick of the rest
    const int64_t pick = k + int64_t(rng.below(uint64_t(total - k)));
    std::swap(all[size_t(k)], all[size_t(pick)]);
  }
  all.resize(size_t(n));
  return all;
}

uint64_t pair_seed(uint64_t seed, const PathPair& p) {
  uint64_t z = seed ^ (uint64_t(p.i) * 0x9E3779B97F4A7C15ull) ^ (uint64_t(p.j) << 32 | 0x5bd1e995);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string pair_name(const PathPair& p) { return std::to_string(p.i) + "-" + std::to_string(p.j); }

}  // namespace landscape
