#include "experiments/paths/path_table.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace landscape {

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Lines of a CSV file after its header (which must be `header`); empty when there is no file.
std::vector<std::string> read_rows(const std::string& path, const std::string& header) {
  std::vector<std::string> rows;
  if (!std::filesystem::exists(path)) return rows;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line) || line != header)
    throw Error(path + ": expected the header '" + header + "', found '" + line + "'");
  while (std::getline(in, line))
    if (!line.empty()) rows.push_back(line);
  return rows;
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

PathTable::PathTable(const std::string& dir, const std::string& settings) : dir_(dir) {
  make_directories(dir_);
  remove_stale_temporaries(dir_);  // one process per table directory (shards have their own)
  const std::string settings_path = dir_ + "/settings.txt";
  if (std::filesystem::exists(settings_path)) {
    const std::string before = read_text(settings_path);
    if (before != settings) {
      // name the settings that differ, line by line
      std::istringstream a(before), b(settings);
      std::string la, lb, diff;
      while (bool(std::getline(a, la)) | bool(std::getline(b, lb))) {
        if (la != lb) diff += "\n  there: " + la + "\n  now:   " + lb;
        la.clear();
        lb.clear();
      }
      throw Error(dir_ +
                  " holds paths made with other settings (use the same flags or another "
                  "--out):" +
                  diff);
    }
  } else {
    write_text_atomic(settings_path, settings);
  }
  const std::string paths = dir_ + "/paths.csv", profiles = dir_ + "/profiles.csv";
  path_rows_ = read_rows(paths, kPathsHeader);
  for (const std::string& row : path_rows_) done_.insert(row_key(row, paths));
  for (std::string& row : read_rows(profiles, kProfilesHeader))
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
    if (row_key(row, shard.dir_) == key) path_rows_.push_back(row);
  for (const std::string& row : shard.profile_rows_)
    if (row_key(row, shard.dir_) == key) profile_rows_.push_back(row);
  done_.insert(key);
  return true;
}

void PathTable::save() const {
  auto table = [](const char* header, const std::vector<std::string>& rows) {
    return [header, &rows](std::ostream& os) {
      os << header << '\n';
      for (const std::string& row : rows) os << row << '\n';
    };
  };
  write_file_atomic(dir_ + "/profiles.csv", table(kProfilesHeader, profile_rows_));
  write_file_atomic(dir_ + "/paths.csv", table(kPathsHeader, path_rows_));
}

}  // namespace landscape
