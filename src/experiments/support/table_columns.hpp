// Columns of a CSV table (io/table_writer.hpp) made from a field of its row: a number in the
// file's printf format, an integer, or a text; so a table reads as its list of fields.
//
//   const Table<WalkSummary> t({number_column("lr", &WalkSummary::lr, "%.10g"),
//                               integer_column("batch", &WalkSummary::batch)});
#pragma once

#include <string>
#include <utility>

#include "core/strings.hpp"
#include "io/table_writer.hpp"

namespace landscape {

template <class Row, class T>
Column<Row> number_column(std::string name, T Row::*field, const char* format = "%.17g") {
  return {std::move(name), [field, format](const Row& r) { return number_text(double(r.*field), format); }};
}

template <class Row, class T>
Column<Row> integer_column(std::string name, T Row::*field) {
  return {std::move(name), [field](const Row& r) { return std::to_string(r.*field); }};
}

template <class Row>
Column<Row> text_column(std::string name, std::string Row::*field) {
  return {std::move(name), [field](const Row& r) { return r.*field; }};
}

}  // namespace landscape
