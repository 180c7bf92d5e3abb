#include "experiments/support/report_document.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"

namespace landscape {

std::string num(double v, const char* f) {
  if (!std::isfinite(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

namespace {

// A cell that reads as a number: a value (1.2e-3, 42), a range of two (0.1..0.3), or n/a.
bool numeric_cell(const std::string& c) {
  if (c.empty() || c == "n/a") return true;
  const size_t dots = c.find("..");
  if (dots != std::string::npos) return numeric_cell(c.substr(0, dots)) && numeric_cell(c.substr(dots + 2));
  char* end = nullptr;
  std::strtod(c.c_str(), &end);
  return end != c.c_str() && *end == '\0';
}

bool verdict_cell(const std::string& c) { return c == "yes" || c == "no"; }

}  // namespace

std::vector<bool> DocumentTable::numeric_columns() const {
  std::vector<bool> numeric(header.size(), true);
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size() && i < numeric.size(); ++i) numeric[i] = numeric[i] && numeric_cell(r[i]);
  return numeric;
}

std::string DocumentTable::markdown() const {
  const std::vector<bool> numeric = numeric_columns();
  std::ostringstream os;
  for (const auto& h : header) os << "| " << h << " ";
  os << "|\n";
  for (size_t i = 0; i < header.size(); ++i) os << (numeric[i] ? "|---:" : "|:---");
  os << "|\n";
  for (const auto& r : rows) {
    for (const auto& c : r) os << "| " << (c == "no" ? "**no**" : c) << " ";
    os << "|\n";
  }
  return os.str();
}

std::string DocumentTable::html() const {
  const std::vector<bool> numeric = numeric_columns();
  std::ostringstream os;
  os << "<table><tr>";
  for (size_t i = 0; i < header.size(); ++i)
    os << "<th" << (numeric[i] ? " class=\"num\"" : "") << ">" << header[i] << "</th>";
  os << "</tr>\n";
  for (const auto& r : rows) {
    os << "<tr>";
    for (size_t i = 0; i < r.size(); ++i) {
      const char* cls = verdict_cell(r[i]) ? (r[i] == "yes" ? " class=\"yes\"" : " class=\"no\"")
                        : i < numeric.size() && numeric[i] ? " class=\"num\""
                                                           : "";
      os << "<td" << cls << ">" << r[i] << "</td>";
    }
    os << "</tr>\n";
  }
  os << "</table>\n";
  return os.str();
}

void Document::heading(const std::string& text) {
  md << "\n## " << text << "\n\n";
  html << "<h2>" << text << "</h2>\n";
}

void Document::paragraph(const std::string& text) {
  md << text << "\n\n";
  html << "<p>" << text << "</p>\n";
}

void Document::table(const DocumentTable& t) {
  md << t.markdown() << "\n";
  html << t.html();
}

void Document::figure(const std::string& name, bool drawn, const std::string& caption) {
  if (drawn) {
    md << "![" << caption << "](" << name << ".png)\n\n*" << caption << "* (data: `" << name
       << ".dat`, script: `" << name << ".gp`, vector: `" << name << ".svg`)\n\n";
    html << "<figure><img src=\"" << name << ".png\" alt=\"" << caption << "\"><figcaption>" << caption
         << " (<a href=\"" << name << ".dat\">data</a>, <a href=\"" << name
         << ".svg\">SVG</a>)</figcaption></figure>\n";
  } else {
    paragraph("(" + caption + ": not drawn, gnuplot is missing or failed; data in " + name + ".dat)");
  }
}

void Document::write(const std::string& dir, const std::string& title) const {
  write_text_atomic(dir + "/report.md", "# " + title + "\n" + md.str());
  write_text_atomic(
      dir + "/index.html",
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>landscape report</title>\n"
      "<style>body{font-family:sans-serif;max-width:1050px;margin:auto;padding:1em}"
      "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;"
      "text-align:left;vertical-align:top}.num{text-align:right;font-variant-numeric:tabular-nums}"
      ".yes,.no{text-align:center;font-weight:bold}.yes{background:#d5f5e3;color:#1e8449}"
      ".no{background:#fadbd8;color:#a93226}img{max-width:100%}figure{margin:1em 0}</style></head><body>\n"
      "<h1>" +
          title + "</h1>\n" + html.str() + "</body></html>\n");
}

// The plot commands are written once and replayed for the PNG and the SVG terminals.
std::string both_terminals(const std::string& name, const std::string& body, const char* size) {
  return std::string("set terminal pngcairo size ") + size + " noenhanced\nset output '" + name + ".png'\n" +
         body + "\nset terminal svg size " + size + " noenhanced\nset output '" + name + ".svg'\nreplot\n";
}

bool run_gnuplot(const std::string& dir, const std::string& name, const std::string& script) {
  write_text_atomic(dir + "/" + name + ".gp", script);
  const std::string cmd = "cd '" + dir + "' && gnuplot '" + name + ".gp' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0 && std::filesystem::exists(dir + "/" + name + ".png");
}

}  // namespace landscape

namespace landscape {

bool draw_figure(const std::string& dir, const std::string& name, const std::string& data,
                 const std::string& body, const char* size) {
  write_text_atomic(dir + "/" + name + ".dat", data);
  return run_gnuplot(dir, name, both_terminals(name, body, size));
}

bool copy_figure(const std::string& from_dir, const std::string& name, const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::exists(from_dir + "/" + name + ".png")) return false;
  for (const char* ext : {".png", ".svg", ".dat", ".gp"})
    if (fs::exists(from_dir + "/" + name + ext))
      fs::copy_file(from_dir + "/" + name + ext, dir + "/" + name + ext,
                    fs::copy_options::overwrite_existing);
  return true;
}

}  // namespace landscape
