// The results of a path run, kept so that a run can stop anywhere and resume
// (docs/algorithms.md §5, pairs and seeds of path runs):
//   DIR/paths.csv     i,j,H_linear,H,length,loss_sum,steps,H_excess      one row per finished pair
//   DIR/profiles.csv  i,j,kind,m,t,loss                          kind = linear | optimized
//   DIR/refined.csv   i,j,H,H_refined,gradient_norm,refine_steps with --refine (§13)
//   DIR/checkpoints.csv  i,j,step,seconds,cpu_seconds,H,loss_sum,H_reported  with
//                     --checkpoints: FourierPathFinder's judged iterates (§5.7), for H against cost
//   DIR/settings.txt  the landscape and path settings the rows were made with
// The directory is a RunDirectory (io/run_directory.hpp): a table holds its lock while it
// lives, and resuming with other settings is refused with the lines that differ. Every add()
// rewrites the tables atomically, paths.csv last: a pair counts as done once it is in
// paths.csv, and rows of other files for a pair missing there (a run stopped between the
// writes) are dropped on loading.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "experiments/alignment/alignment_run.hpp"
#include "experiments/paths/path_pairs.hpp"
#include "io/run_directory.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "landscape/paths/saddle_refinement.hpp"

namespace landscape {

class PathTable {
 public:
  // Creates DIR if needed, takes its lock and loads what is there. `settings` say how the
  // paths are made; when DIR already has others (under the compatibility rule, §17), throws an
  // Error showing the lines that differ.
  PathTable(const std::string& dir, const Settings& settings);

  const RunDirectory& directory() const { return run_; }
  bool has(const PathPair& pair) const { return done_.count({pair.i, pair.j}) != 0; }
  std::size_t size() const { return done_.size(); }
  void add(const PathPair& pair, const PathResult& result);
  // Appends the rows of `pair` found in `shard` (the collect step of sharded path runs); false
  // if the shard does not have it. Call save() after the last one.
  bool copy_pair_from(const PathTable& shard, const PathPair& pair);
  void save() const;

 private:
  RunDirectory run_;
  std::vector<std::string> path_rows_;     // CSV lines of paths.csv without the header
  std::vector<std::string> profile_rows_;  // CSV lines of profiles.csv without the header
  std::set<std::pair<int64_t, int64_t>> done_;
};

// DIR/refined.csv: the refined barrier of each pair beside its unrefined one (§13, saddle
// refinement). Rows of pairs that the table lacks are dropped on loading; add() before the
// table's add(), so that a pair in paths.csv has its refined row.
class RefinedTable {
 public:
  explicit RefinedTable(const PathTable& table);
  void add(const PathPair& pair, const RefinedSaddle& saddle);

 private:
  const RunDirectory& run_;
  std::vector<std::string> rows_;
};

// DIR/aligned.csv with --align (§14.3): i,j,distance_before,distance_after,H_linear_before,
// H_linear_after of each pair, the path run between row i and row j permuted to match it. Rows
// of pairs that the table lacks are dropped on loading; add() before the table's add().
class AlignedTable {
 public:
  explicit AlignedTable(const PathTable& table);
  void add(const AlignedPair& a);
  // The collect step of sharded runs (as PathTable's): appends the shard's row of `pair` unless
  // this table has one. Call save() after the last.
  void copy_pair_from(const AlignedTable& shard, const PathPair& pair);
  void save() const;

 private:
  const RunDirectory& run_;
  std::vector<std::string> rows_;
};

// DIR/checkpoints.csv: each pair's judged iterates (PathResult::checkpoints; one row each, in
// step order). Rows of pairs that the table lacks are dropped on loading; add() before the
// table's add(). The times are measurements, not results: they differ between runs.
class CheckpointTable {
 public:
  explicit CheckpointTable(const PathTable& table);
  void add(const PathPair& pair, const PathResult& result);

 private:
  const RunDirectory& run_;
  std::vector<std::string> rows_;
};

// The header lines of the four files, from their Tables' column lists (path_table.cpp).
std::string paths_csv_header();        // i,j,H_linear,H,length,loss_sum,steps,H_excess
std::string profiles_csv_header();     // i,j,kind,m,t,loss
std::string refined_csv_header();      // i,j,H,H_refined,gradient_norm,refine_steps
std::string checkpoints_csv_header();  // i,j,step,seconds,cpu_seconds,H,loss_sum,H_reported

}  // namespace landscape
