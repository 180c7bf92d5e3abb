#include "core/settings_text.hpp"

#include <cctype>
#include <cstdio>
#include <map>
#include <sstream>

namespace landscape {

Settings& Settings::push(SettingsLine line) {
  for (const SettingsLine& l : lines_)
    if (l.key == line.key) throw Error("internal: the setting '" + line.key + "' twice");
  lines_.push_back(std::move(line));
  return *this;
}

Settings& Settings::add(const std::string& key, const std::string& value) { return push({key, value, {}}); }

Settings& Settings::add_recorded_since_rule(const std::string& key, const std::string& value) {
  return push({key, value, {}, true});
}

std::string Settings::text() const {
  std::string s;
  for (const SettingsLine& l : lines_) s += l.key + "=" + l.value + "\n";
  return s;
}

namespace {

// A settings text's lines as key -> value: "key=value" (since the rule) or "key value" (the
// path runs' older form), whichever separator comes first.
std::map<std::string, std::string> read_lines(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::size_t cut = line.find_first_of("= ");
    if (cut == std::string::npos)
      out[parameter_text::key_form(line)] = "";
    else
      out[parameter_text::key_form(line.substr(0, cut))] = line.substr(cut + 1);
  }
  return out;
}

bool read_number(const std::string& text, double& x) { return parameter_text::parse_real(text, x).empty(); }

// The significant digits of a number's text: "0.0100" has 3, "1.5e-05" has 2.
int significant_digits(const std::string& text) {
  int digits = 0;
  bool leading = true;
  for (char c : text) {
    if (c == 'e' || c == 'E') break;
    if (!std::isdigit(static_cast<unsigned char>(c))) continue;
    if (leading && c == '0') continue;
    leading = false;
    ++digits;
  }
  return digits;
}

// The same value: the same text; or equal numbers, or `there` written at fewer digits than
// `here` needs and `here` rounded to as many is `there` (the 6- and 12-digit settings texts
// before the rule); or the same truth value (1/0 before the rule, true/false since).
bool same_value(const std::string& there, const std::string& here);

std::vector<std::string> split_at(const std::string& text, char separator) {
  std::vector<std::string> out(1);
  for (char c : text)
    if (c == separator)
      out.emplace_back();
    else
      out.back() += c;
  return out;
}

// A list ("x,y", "0,3,7") or a range ("-1:1") is the same when every item is.
bool same_items(const std::string& there, const std::string& here, char separator) {
  const std::vector<std::string> a = split_at(there, separator), b = split_at(here, separator);
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (!same_value(a[k], b[k])) return false;
  return true;
}

bool same_value(const std::string& there, const std::string& here) {
  if (there == here) return true;
  for (char separator : {',', ':'})
    if (there.find(separator) != std::string::npos || here.find(separator) != std::string::npos)
      return same_items(there, here, separator);
  double a = 0, b = 0;
  if (read_number(there, a) && read_number(here, b)) {
    if (a == b) return true;
    const int d = significant_digits(there);
    if (d < 1 || d >= 17) return false;
    char rounded[64];
    std::snprintf(rounded, sizeof rounded, "%.*g", d, b);
    double r = 0;
    return read_number(rounded, r) && r == a;
  }
  bool p = false, q = false;
  return parameter_text::parse_bool(there, p).empty() && parameter_text::parse_bool(here, q).empty() &&
         p == q;
}

}  // namespace

std::string settings_differences(const std::string& there, const Settings& now) {
  std::map<std::string, std::string> old = read_lines(there);
  std::string diff;
  for (const SettingsLine& l : now.lines()) {
    const auto found = old.find(parameter_text::key_form(l.key));
    if (found == old.end()) {
      if (l.absent_is_any || (l.absent && same_value(*l.absent, l.value))) continue;
      diff += "\n  " + l.key + ": here " + l.value + ", there no such line";
      continue;
    }
    if (!same_value(found->second, l.value))
      diff += "\n  " + l.key + ": here " + l.value + ", there " + found->second;
    old.erase(found);
  }
  for (const auto& [key, value] : old) diff += "\n  " + key + ": here no such setting, there " + value;
  return diff;
}

}  // namespace landscape
