#include "core/strings.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace landscape {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) out.push_back(item);
  if (text.back() == ',') out.push_back("");
  return out;
}

std::optional<long long> whole_integer(const std::string& text) {
  size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (...) {
    return std::nullopt;
  }
  if (used != text.size()) return std::nullopt;
  return value;
}

std::string number_text(double value, const char* format) {
  if (std::isnan(value)) return "nan";
  char buf[40];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace landscape
