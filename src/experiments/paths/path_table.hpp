// The results of `landscape path`, kept so that a run can stop anywhere and resume:
//   DIR/paths.csv     i,j,H_linear,H,length,loss_sum,steps      one row per finished pair
//   DIR/profiles.csv  i,j,kind,m,t,loss                          kind = linear | optimized
//   DIR/settings.txt  the landscape and path settings the rows were made with
// Every add() rewrites the two tables atomically, profiles first: a pair counts as done once
// it is in paths.csv, and profile rows of a pair missing there (a run stopped between the two
// writes) are dropped on loading. Resuming with other settings is an Error.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "experiments/paths/path_pairs.hpp"
#include "landscape/paths/fourier_path_finder.hpp"

namespace landscape {

class PathTable {
 public:
  // Creates DIR if needed and loads what is there. `settings` is a text describing how the
  // paths are made; when DIR already has one that differs, throws an Error showing both.
  PathTable(const std::string& dir, const std::string& settings);

  bool has(const PathPair& pair) const { return done_.count({pair.i, pair.j}) != 0; }
  std::size_t size() const { return done_.size(); }
  void add(const PathPair& pair, const PathResult& result);
  // Appends the rows of `pair` found in `shard` (the collect step of sharded path runs); false
  // if the shard does not have it. Call save() after the last one.
  bool copy_pair_from(const PathTable& shard, const PathPair& pair);
  void save() const;

 private:
  std::string dir_;
  std::vector<std::string> path_rows_;     // CSV lines of paths.csv without the header
  std::vector<std::string> profile_rows_;  // CSV lines of profiles.csv without the header
  std::set<std::pair<int64_t, int64_t>> done_;
};

inline constexpr const char* kPathsHeader = "i,j,H_linear,H,length,loss_sum,steps";
inline constexpr const char* kProfilesHeader = "i,j,kind,m,t,loss";

}  // namespace landscape
