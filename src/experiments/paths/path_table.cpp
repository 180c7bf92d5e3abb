#include "experiments/paths/path_table.hpp"

#include <cstdio>
#include <sstream>

#include "core/error.hpp"
#include "io/table_writer.hpp"

namespace landscape {

namespace {

// Lines of DIR/name after its header (which must be `header`); empty when there is no file.
std::vector<std::string> read_rows(const RunDirectory& dir, const std::string& name,
                                   const std::string& header) {
  std::vector<std::string> rows;
  if (!dir.finished(name)) return rows;
  std::istringstream in(dir.read(name));
  std::string line;
  if (!std::getline(in, line) || line != header)
    throw Error(dir.file(name) + ": expected the header '" + header + "', found '" + line + "'");
  while (std::getline(in, line))
    if (!line.empty()) rows.push_back(line);
  return rows;
}

std::string table_text(const std::string& header, const std::vector<std::string>& rows) {
  std::string text = header + '\n';
  for (const std::string& row : rows) text += row + '\n';
  return text;
}

// (i, j) of a row "i,j,...".
std::pair<int64_t, int64_t> row_key(const std::string& row, const std::string& file) {
  const size_t a = row.find(','), b = row.find(',', a + 1);
  try {
    if (a != std::string::npos && b != std::string::npos)
      return {std::stoll(row.substr(0, a)), std::stoll(row.substr(a + 1, b - a - 1))};
  } catch (...) {}
  throw Error(file + ": cannot read the pair of the row '" + row + "'");
}

std::string number(double v) {  // 10 significant digits, as printf's %.10g
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

std::string number(double v, const char* format) {
  char text[64];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

// One row of each file; each file's columns are listed once, in its Table. The tables keep
// their rows as text lines, so that shards' rows are copied as they were written.
struct PathRow {
  PathPair pair;
  const PathResult& r;
};
struct ProfileRow {
  PathPair pair;
  const char* kind;  // linear | optimized
  std::size_t m;
  double t, loss;
};
struct RefinedRow {
  PathPair pair;
  const RefinedSaddle& s;
};
struct CheckpointRow {
  PathPair pair;
  const PathCheckpoint& c;
};

template <class Row>
Column<Row> pair_column(const char* name, int64_t PathPair::*end) {
  return {name, [end](const Row& row) { return std::to_string(row.pair.*end); }};
}

const Table<PathRow>& paths_csv() {
  using R = PathRow;
  static const Table<R> table({
      pair_column<R>("i", &PathPair::i),
      pair_column<R>("j", &PathPair::j),
      {"H_linear", [](const R& row) { return number(row.r.H_linear); }},
      {"H", [](const R& row) { return number(row.r.H); }},
      {"length", [](const R& row) { return number(row.r.length); }},
      {"loss_sum", [](const R& row) { return number(row.r.loss_sum); }},
      {"steps", [](const R& row) { return std::to_string(row.r.steps); }},
      {"H_excess", [](const R& row) { return number(excess_barrier(row.r)); }},
  });
  return table;
}

const Table<ProfileRow>& profiles_csv() {
  using R = ProfileRow;
  static const Table<R> table({
      pair_column<R>("i", &PathPair::i),
      pair_column<R>("j", &PathPair::j),
      {"kind", [](const R& row) { return std::string(row.kind); }},
      {"m", [](const R& row) { return std::to_string(row.m); }},
      {"t", [](const R& row) { return number(row.t); }},
      {"loss", [](const R& row) { return number(row.loss); }},
  });
  return table;
}

const Table<RefinedRow>& refined_csv() {
  using R = RefinedRow;
  static const Table<R> table({
      pair_column<R>("i", &PathPair::i),
      pair_column<R>("j", &PathPair::j),
      {"H", [](const R& row) { return number(row.s.H, "%.10g"); }},
      {"H_refined", [](const R& row) { return number(row.s.H_refined, "%.10g"); }},
      {"gradient_norm", [](const R& row) { return number(row.s.gradient_norm, "%.6g"); }},
      {"refine_steps", [](const R& row) { return std::to_string(row.s.steps); }},
      {"gradient_tolerance", [](const R& row) { return number(row.s.tolerance, "%.6g"); }},
      {"converged", [](const R& row) { return std::string(row.s.converged ? "yes" : "no"); }},
  });
  return table;
}

const Table<AlignedPair>& aligned_csv() {
  using R = AlignedPair;
  static const Table<R> table({
      pair_column<R>("i", &PathPair::i),
      pair_column<R>("j", &PathPair::j),
      {"distance_before", [](const R& row) { return number(row.distance_before); }},
      {"distance_after", [](const R& row) { return number(row.distance_after); }},
      {"H_linear_before", [](const R& row) { return number(row.H_linear_before); }},
      {"H_linear_after", [](const R& row) { return number(row.H_linear_after); }},
  });
  return table;
}

const Table<CheckpointRow>& checkpoints_csv() {
  using R = CheckpointRow;
  static const Table<R> table({
      pair_column<R>("i", &PathPair::i),
      pair_column<R>("j", &PathPair::j),
      {"step", [](const R& row) { return std::to_string(row.c.step); }},
      {"seconds", [](const R& row) { return number(row.c.seconds, "%.3f"); }},
      {"cpu_seconds", [](const R& row) { return number(row.c.cpu_seconds, "%.3f"); }},
      {"H", [](const R& row) { return number(row.c.H); }},
      {"loss_sum", [](const R& row) { return number(row.c.loss_sum); }},
      {"H_reported", [](const R& row) { return number(row.c.H_reported); }},
  });
  return table;
}

}  // namespace

std::string paths_csv_header() { return paths_csv().header(); }
std::string profiles_csv_header() { return profiles_csv().header(); }
std::string refined_csv_header() { return refined_csv().header(); }
std::string checkpoints_csv_header() { return checkpoints_csv().header(); }

PathTable::PathTable(const std::string& dir, const Settings& settings) : run_(dir) {
  // Rows worth hours are never thrown away: other settings are refused, naming the lines.
  run_.require_settings(settings, OnOtherSettings::Refuse);
  path_rows_ = read_rows(run_, "paths.csv", paths_csv_header());
  for (const std::string& row : path_rows_) done_.insert(row_key(row, run_.file("paths.csv")));
  const std::string profiles = run_.file("profiles.csv");
  for (std::string& row : read_rows(run_, "profiles.csv", profiles_csv_header()))
    if (done_.count(row_key(row, profiles))) profile_rows_.push_back(std::move(row));
}

void PathTable::add(const PathPair& pair, const PathResult& r) {
  for (int pass = 0; pass < 2; ++pass) {
    const std::vector<double>& loss = pass == 0 ? r.profile_linear : r.profile;
    for (std::size_t m = 0; m < loss.size(); ++m)
      profile_rows_.push_back(
          profiles_csv().line({pair, pass == 0 ? "linear" : "optimized", m, r.t[m], loss[m]}));
  }
  path_rows_.push_back(paths_csv().line({pair, r}));
  done_.insert({pair.i, pair.j});
  save();
}

bool PathTable::copy_pair_from(const PathTable& shard, const PathPair& pair) {
  if (!shard.has(pair) || has(pair)) return shard.has(pair);
  const std::pair<int64_t, int64_t> key{pair.i, pair.j};
  for (const std::string& row : shard.path_rows_)
    if (row_key(row, shard.run_.path()) == key) path_rows_.push_back(row);
  for (const std::string& row : shard.profile_rows_)
    if (row_key(row, shard.run_.path()) == key) profile_rows_.push_back(row);
  done_.insert(key);
  return true;
}

void PathTable::save() const {
  run_.write("profiles.csv", table_text(profiles_csv_header(), profile_rows_));
  run_.write("paths.csv", table_text(paths_csv_header(), path_rows_));
}

RefinedTable::RefinedTable(const PathTable& table) : run_(table.directory()) {
  if (!run_.finished("refined.csv")) return;
  std::istringstream in(run_.read("refined.csv"));
  std::string line;
  if (!std::getline(in, line)) return;
  if (line != refined_csv_header())
    throw Error(run_.file("refined.csv") + ": expected the header '" + refined_csv_header() + "'");
  while (std::getline(in, line)) {
    const std::size_t a = line.find(','), b = line.find(',', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    PathPair p;
    try {
      p = {std::stoll(line.substr(0, a)), std::stoll(line.substr(a + 1, b - a - 1))};
    } catch (...) {
      continue;
    }
    if (table.has(p)) rows_.push_back(line);
  }
}

void RefinedTable::add(const PathPair& pair, const RefinedSaddle& r) {
  rows_.push_back(refined_csv().line({pair, r}));
  run_.write("refined.csv", table_text(refined_csv_header(), rows_));
}

AlignedTable::AlignedTable(const PathTable& table) : run_(table.directory()) {
  const std::string file = run_.file("aligned.csv");
  for (std::string& row : read_rows(run_, "aligned.csv", aligned_csv().header())) {
    const auto [i, j] = row_key(row, file);
    if (table.has({i, j})) rows_.push_back(std::move(row));
  }
}

void AlignedTable::add(const AlignedPair& a) {
  rows_.push_back(aligned_csv().line(a));
  save();
}

void AlignedTable::copy_pair_from(const AlignedTable& shard, const PathPair& pair) {
  const std::pair<int64_t, int64_t> key{pair.i, pair.j};
  const std::string file = run_.file("aligned.csv");
  for (const std::string& row : rows_)
    if (row_key(row, file) == key) return;
  for (const std::string& row : shard.rows_)
    if (row_key(row, shard.run_.file("aligned.csv")) == key) rows_.push_back(row);
}

void AlignedTable::save() const { run_.write("aligned.csv", table_text(aligned_csv().header(), rows_)); }

CheckpointTable::CheckpointTable(const PathTable& table) : run_(table.directory()) {
  const std::string file = run_.file("checkpoints.csv");
  for (std::string& row : read_rows(run_, "checkpoints.csv", checkpoints_csv_header())) {
    const auto [i, j] = row_key(row, file);
    if (table.has({i, j})) rows_.push_back(std::move(row));
  }
}

void CheckpointTable::add(const PathPair& pair, const PathResult& r) {
  for (const PathCheckpoint& c : r.checkpoints) rows_.push_back(checkpoints_csv().line({pair, c}));
  run_.write("checkpoints.csv", table_text(checkpoints_csv_header(), rows_));
}

}  // namespace landscape
