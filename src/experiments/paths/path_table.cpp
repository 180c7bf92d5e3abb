#include "experiments/paths/path_table.hpp"

#include <cstdio>
#include <sstream>

#include "core/error.hpp"

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

std::string table_text(const char* header, const std::vector<std::string>& rows) {
  std::string text = std::string(header) + '\n';
  for (const std::string& row : rows) text += row + '\n';
  return text;
}

// (i, j) of a row "i,j,...".
std::pair<int64_t, int64_t> row_key(const std::string& row, const std::string& file) {
  const size_t a = row.find(','), b = row.find(',', a + 1);
  try {
    if (a != std::string::npos && b != std::string::npos)
      return {std::stoll(row.substr(0, a)), std::stoll(row.substr(a + 1, b - a - 1))};
  } catch (...) {
  }
  throw Error(file + ": cannot read the pair of the row '" + row + "'");
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

}  // namespace

PathTable::PathTable(const std::string& dir, const std::string& settings) : run_(dir) {
  // Rows worth hours are never thrown away: other settings are refused, naming the lines.
  run_.require_settings(settings, OnOtherSettings::Refuse);
  path_rows_ = read_rows(run_, "paths.csv", kPathsHeader);
  for (const std::string& row : path_rows_) done_.insert(row_key(row, run_.file("paths.csv")));
  const std::string profiles = run_.file("profiles.csv");
  for (std::string& row : read_rows(run_, "profiles.csv", kProfilesHeader))
    if (done_.count(row_key(row, profiles))) profile_rows_.push_back(std::move(row));
}

void PathTable::add(const PathPair& pair, const PathResult& r) {
  const std::string ij = std::to_string(pair.i) + ',' + std::to_string(pair.j) + ',';
  for (int pass = 0; pass < 2; ++pass) {
    const std::vector<double>& loss = pass == 0 ? r.profile_linear : r.profile;
    for (std::size_t m = 0; m < loss.size(); ++m)
      profile_rows_.push_back(ij + (pass == 0 ? "linear," : "optimized,") + std::to_string(m) +
                              ',' + number(r.t[m]) + ',' + number(loss[m]));
  }
  path_rows_.push_back(ij + number(r.H_linear) + ',' + number(r.H) + ',' + number(r.length) + ',' +
                       number(r.loss_sum) + ',' + std::to_string(r.steps));
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
  run_.write("profiles.csv", table_text(kProfilesHeader, profile_rows_));
  run_.write("paths.csv", table_text(kPathsHeader, path_rows_));
}

RefinedTable::RefinedTable(const PathTable& table) : run_(table.directory()) {
  if (!run_.finished("refined.csv")) return;
  std::istringstream in(run_.read("refined.csv"));
  std::string line;
  if (!std::getline(in, line)) return;
  if (line != kRefinedHeader)
    throw Error(run_.file("refined.csv") + ": expected the header '" + kRefinedHeader + "'");
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
  char line[256];
  std::snprintf(line, sizeof line, "%lld,%lld,%.10g,%.10g,%.6g,%d", (long long)pair.i,
                (long long)pair.j, r.H, r.H_refined, r.gradient_norm, r.steps);
  rows_.push_back(line);
  run_.write("refined.csv", table_text(kRefinedHeader, rows_));
}

}  // namespace landscape
