#include "experiments/support/trace_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>

#include "core/error.hpp"

namespace landscape {

namespace {

std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (*end != '\0') return std::nullopt;
  return x;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The columns compared and the ones only one file has.
std::vector<std::string> compared_columns(const CsvTable& a, const CsvTable& b,
                                          const std::vector<std::string>& asked, TraceComparison& c) {
  if (!asked.empty()) {
    for (const std::string& name : asked)
      for (const CsvTable* t : {&a, &b})
        if (!has(t->header, name))
          throw Error(t->path + ": has no column '" + name + "' (--columns); its columns: " + [&] {
            std::string s;
            for (const std::string& h : t->header) s += (s.empty() ? "" : ", ") + h;
            return s;
          }());
    return asked;
  }
  std::vector<std::string> common;
  for (const std::string& name : a.header)
    if (name != "step") (has(b.header, name) ? common : c.only_in_a).push_back(name);
  for (const std::string& name : b.header)
    if (name != "step" && !has(a.header, name)) c.only_in_b.push_back(name);
  return common;
}

// Row of each step value; an Error for a repeated step.
std::map<std::string, size_t> rows_by_step(const CsvTable& t) {
  const int s = t.column("step");
  std::map<std::string, size_t> rows;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const std::optional<double> v = number(t.rows[r][size_t(s)]);
    const std::string key = v ? std::to_string(*v) : t.rows[r][size_t(s)];
    if (!rows.emplace(key, r).second)
      throw Error(t.path + ": step " + t.rows[r][size_t(s)] + " appears twice (row " + std::to_string(r + 1) +
                  ")");
  }
  return rows;
}

std::string step_key(const CsvTable& t, size_t row) {
  const std::string& text = t.rows[row][size_t(t.column("step"))];
  const std::optional<double> v = number(text);
  return v ? std::to_string(*v) : text;
}

}  // namespace

bool cells_agree(const std::string& a, const std::string& b, const TraceTolerance& tol) {
  const std::optional<double> x = number(a), y = number(b);
  if (!x || !y) return a == b;
  if (std::isnan(*x) || std::isnan(*y)) return std::isnan(*x) && std::isnan(*y);
  if (*x == *y) return true;                           // equal infinities too
  if (std::isinf(*x) || std::isinf(*y)) return false;  // else rtol |inf| would admit anything
  return std::abs(*x - *y) <= tol.atol + tol.rtol * std::abs(*y);
}

TraceComparison compare_traces(const CsvTable& a, const CsvTable& b, const TraceTolerance& tol,
                               const std::vector<std::string>& columns) {
  TraceComparison c;
  const std::vector<std::string> names = compared_columns(a, b, columns, c);
  const std::map<std::string, size_t> b_rows = rows_by_step(b);
  rows_by_step(a);  // A's steps must be unique too
  c.steps_a = a.rows.size();
  c.steps_b = b.rows.size();
  for (const std::string& name : names) c.columns.push_back({name});
  for (size_t ra = 0; ra < a.rows.size(); ++ra) {  // A's step order
    const auto it = b_rows.find(step_key(a, ra));
    if (it == b_rows.end()) continue;
    ++c.common_steps;
    const std::string& step = a.rows[ra][size_t(a.column("step"))];
    for (size_t k = 0; k < names.size(); ++k) {
      ColumnDifference& d = c.columns[k];
      const std::string& x = a.rows[ra][size_t(a.column(names[k]))];
      const std::string& y = b.rows[it->second][size_t(b.column(names[k]))];
      const std::optional<double> u = number(x), v = number(y);
      if (u && v && std::isfinite(*u) && std::isfinite(*v) && std::abs(*u - *v) > d.largest_abs) {
        d.largest_abs = std::abs(*u - *v);
        d.step_of_largest = step;
      }
      if (u && v && std::isfinite(*u) && std::isfinite(*v) && *v != 0)
        d.largest_rel = std::max(d.largest_rel, std::abs(*u - *v) / std::abs(*v));
      if (cells_agree(x, y, tol)) continue;
      ++d.differing_rows;
      if (!d.first_step) d.first_step = step;
      if (!c.first) c.first = TraceComparison::First{step, names[k], x, y};
    }
  }
  return c;
}

std::string trace_comparison_text(const TraceComparison& c, const std::string& a_name,
                                  const std::string& b_name, const TraceTolerance& tol) {
  std::ostringstream os;
  os.precision(6);
  os << "compare-trace: " << a_name << " (" << c.steps_a << " steps) against " << b_name << " (" << c.steps_b
     << " steps): " << c.common_steps << " common steps, rtol " << tol.rtol << ", atol " << tol.atol << "\n";
  if (c.steps_a != c.steps_b || c.common_steps != c.steps_a)
    os << "note: the files have different steps; the " << c.common_steps << " common ones are compared\n";
  for (const auto& [list, name] : {std::pair{&c.only_in_a, &a_name}, std::pair{&c.only_in_b, &b_name}})
    if (!list->empty()) {
      os << "columns only in " << *name << ":";
      for (const std::string& col : *list) os << " " << col;
      os << "\n";
    }
  if (c.first)
    os << "first difference: step " << c.first->step << ", column " << c.first->column << ": " << c.first->a
       << " against " << c.first->b << "\n";
  os << "column,largest_abs,largest_rel,at_step,differing_steps,first_differing_step\n";
  for (const ColumnDifference& d : c.columns)
    os << d.column << "," << d.largest_abs << "," << d.largest_rel << "," << d.step_of_largest << ","
       << d.differing_rows << "," << d.first_step.value_or("") << "\n";
  os << (c.agree() ? "agree" : c.common_steps == 0 ? "differ: no common step" : "differ") << "\n";
  return os.str();
}

}  // namespace landscape
