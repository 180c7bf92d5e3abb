// Reading the project's own CSV files back (run tables, path tables) for reports and merges:
// comma-separated, a header line, no quoting (the project never writes commas inside fields).
#pragma once

#include <string>
#include <vector>

namespace landscape {

struct CsvTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int column(const std::string& name) const;                           // Error naming the file if absent
  double number(size_t row, const std::string& name) const;            // Error if not a number
  const std::string& text(size_t row, const std::string& name) const;  // the cell as written
};

CsvTable read_csv(const std::string& path);  // Error naming the file if unreadable or ragged

}  // namespace landscape
