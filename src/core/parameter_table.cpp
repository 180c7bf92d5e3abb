#include "core/parameter_table.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/strings.hpp"

namespace landscape {

namespace parameter_text {

std::string parse_integer(const std::string& text, long long& out) {
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE) return "expected an integer, got '" + text + "'";
  out = x;
  return "";
}

std::string parse_unsigned(const std::string& text, unsigned long long& out) {
  long long x = 0;
  if (std::string problem = parse_integer(text, x); !problem.empty()) return problem;
  if (x < 0) return text + " must be at least 0";
  out = static_cast<unsigned long long>(x);
  return "";
}

std::string parse_real(const std::string& text, double& out) {
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(x))
    return "expected a finite number, got '" + text + "'";
  out = x;
  return "";
}

std::string parse_bool(const std::string& text, bool& out) {
  const bool yes = text == "true" || text == "yes" || text == "1";
  const bool no = text == "false" || text == "no" || text == "0";
  if (yes || no) {
    out = yes;
    return "";
  }
  return "expected true or false, got '" + text + "'";
}

std::string number(double x) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::string key_form(std::string name) {
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

std::string trim(const std::string& text) {
  const std::size_t a = text.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const std::size_t b = text.find_last_not_of(" \t\r");
  return text.substr(a, b - a + 1);
}

std::vector<std::string> items(const std::string& text) {
  std::vector<std::string> out = split_commas(text);
  for (std::string& item : out) item = trim(item);
  return out;
}

std::string choice_list(const std::vector<std::string>& choices) {
  std::string s;
  for (const std::string& c : choices) {
    if (!s.empty()) s += " | ";
    s += c;
  }
  return s;
}

}  // namespace parameter_text

namespace {
std::string bound_text(double x, bool integral) {
  if (integral && std::abs(x) < 9.2e18) return std::to_string(static_cast<long long>(x));
  return parameter_text::number(x);
}
}  // namespace

std::string ParameterInfo::range_problem(double x) const {
  const std::string v = bound_text(x, integral);
  if (lower_open ? !(x > lower) : !(x >= lower))
    return v + (lower_open ? " must be greater than " : " must be at least ") + bound_text(lower, integral);
  if (upper_open ? !(x < upper) : !(x <= upper))
    return v + (upper_open ? " must be less than " : " must be at most ") + bound_text(upper, integral);
  return "";
}

std::string ParameterInfo::key(const std::string& prefix) const {
  return parameter_text::key_form(prefix + (preset_name.empty() ? name : preset_name));
}

std::string ParameterValue<double>::check(const double& v, const ParameterInfo& info) {
  if (!std::isfinite(v)) return "expected a finite number, got " + parameter_text::number(v);
  return info.range_problem(v);
}

std::string ParameterValue<std::string>::check(const std::string& v, const ParameterInfo& info) {
  if (info.choices.empty()) return "";
  for (const std::string& c : info.choices)
    if (v == c) return "";
  std::string endings;
  for (const std::string& suffix : info.choice_suffixes) {
    if (v.size() > suffix.size() && v.compare(v.size() - suffix.size(), suffix.size(), suffix) == 0)
      return "";
    endings += (endings.empty() ? "" : " or ") + suffix;
  }
  return "expected " + parameter_text::choice_list(info.choices) +
         (endings.empty() ? "" : " or a file ending in " + endings) + ", got '" + v + "'";
}

}  // namespace landscape
