#include "io/csv.hpp"

#include <cstdlib>
#include <fstream>

#include "core/error.hpp"
#include "core/strings.hpp"

namespace landscape {

int CsvTable::column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return int(i);
  throw Error(path + ": no column '" + name + "'");
}

const std::string& CsvTable::text(size_t row, const std::string& name) const {
  return rows.at(row)[size_t(column(name))];
}

double CsvTable::number(size_t row, const std::string& name) const {
  const std::string& v = rows.at(row)[column(name)];
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0')
    throw Error(path + ": row " + std::to_string(row + 1) + ", column " + name + ": '" + v +
                "' is not a number");
  return x;
}

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read " + path);
  CsvTable t;
  t.path = path;
  std::string line;
  if (!std::getline(in, line)) throw Error(path + ": empty file");
  t.header = split_commas(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields = split_commas(line);
    if (fields.size() != t.header.size())
      throw Error(path + ": a row has " + std::to_string(fields.size()) + " fields, the header " +
                  std::to_string(t.header.size()));
    t.rows.push_back(std::move(fields));
  }
  return t;
}

}  // namespace landscape
