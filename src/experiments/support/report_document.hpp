// The pieces every report is built from (the study's report.cpp, the related studies'
// related_study.cpp): tables and documents written both as Markdown and as HTML, figures drawn
// by gnuplot into PNG and SVG with the data file and the script beside them.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace landscape {

// printf-formatted number, "n/a" when not finite.
std::string num(double v, const char* format = "%.3g");

// A table rendered both as Markdown and as HTML (a CSV file's table is io/table_writer.hpp).
// Columns whose every cell reads as a number (or n/a, or a range a..b) are right-aligned, the
// others left-aligned; cells "yes" and "no" (the findings' verdicts) are marked to stand out.
struct DocumentTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric_columns() const;
  std::string markdown() const;
  std::string html() const;
};

// Accumulates a report's sections in both formats.
struct Document {
  std::ostringstream md, html;
  void heading(const std::string& text);
  void paragraph(const std::string& text);
  void table(const DocumentTable& t);
  // NAME.png with its caption, or a note that gnuplot did not draw it (drawn = false).
  void figure(const std::string& name, bool drawn, const std::string& caption);
  // DIR/report.md and DIR/index.html (opens offline), both titled `title`.
  void write(const std::string& dir, const std::string& title) const;
};

// A gnuplot script that draws `body` once for pngcairo (NAME.png) and replays it for the svg
// terminal (NAME.svg); size "width,height" in pixels.
std::string both_terminals(const std::string& name, const std::string& body, const char* size = "800,500");

// Runs gnuplot on DIR/NAME.gp (which writes NAME.png and NAME.svg); false if gnuplot is missing
// or fails (the report then says so instead of showing the figure).
bool run_gnuplot(const std::string& dir, const std::string& name, const std::string& script);

// A figure in DIR: NAME.dat holding `data`, and `body` drawn from it for both terminals
// (NAME.gp, NAME.png, NAME.svg); whether gnuplot drew it.
bool draw_figure(const std::string& dir, const std::string& name, const std::string& data,
                 const std::string& body, const char* size = "800,500");

// A figure another study drew in its own directory, copied with its data and script into DIR
// (the names stay, so the script still reads its data file); whether the PNG was there.
bool copy_figure(const std::string& from_dir, const std::string& name, const std::string& dir);

}  // namespace landscape
