// A CSV table declared once by its columns: each column is a name and the function that writes
// its cell, so the header and the rows come from the same list and cannot disagree. Cells are
// written by the caller's own formatting (number_text with the file's precision, a name, an
// integer); the project never writes commas inside a cell (io/csv.hpp reads these back).
//
//   const Table<WalkStep> steps({
//       {"epoch", [](const WalkStep& s) { return std::to_string(s.epoch); }},
//       {"loss", [](const WalkStep& s) { return number_text(s.loss, "%.10g"); }},
//   });
//   steps.write(dir + "/steps.csv", rows);   // header line, then one line per row, atomically
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "io/atomic_file.hpp"

namespace landscape {

template <class Row>
struct Column {
  std::string name;
  std::function<std::string(const Row&)> cell;
};

template <class Row>
class Table {
 public:
  explicit Table(std::vector<Column<Row>> columns) : columns_(std::move(columns)) {}

  std::string header() const {  // "a,b,c" without the newline
    std::string line;
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (k) line += ',';
      line += columns_[k].name;
    }
    return line;
  }

  std::string line(const Row& row) const {  // one row, without the newline
    std::string line;
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (k) line += ',';
      line += columns_[k].cell(row);
    }
    return line;
  }

  // The header and every row, each line ending in '\n'.
  std::string text(const std::vector<Row>& rows) const {
    std::string out = header() + "\n";
    for (const Row& row : rows) out += line(row) + "\n";
    return out;
  }

  void write(const std::string& path, const std::vector<Row>& rows) const {
    write_text_atomic(path, text(rows));
  }

 private:
  std::vector<Column<Row>> columns_;
};

}  // namespace landscape
