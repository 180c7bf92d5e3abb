#include "io/json_writer.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace landscape {

std::string json_quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += char(c);
        }
    }
  }
  return out + "\"";
}

JsonObject& JsonObject::add(const std::string& key, const std::string& value) {
  items_.emplace_back(key, json_quote(value));
  return *this;
}

JsonObject& JsonObject::add(const std::string& key, double value) {
  if (!std::isfinite(value)) {
    items_.emplace_back(key, "null");  // JSON has no NaN or Inf
    return *this;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  items_.emplace_back(key, buf);
  return *this;
}

JsonObject& JsonObject::add(const std::string& key, long long value) {
  items_.emplace_back(key, std::to_string(value));
  return *this;
}

JsonObject& JsonObject::add(const std::string& key, bool value) {
  items_.emplace_back(key, value ? "true" : "false");
  return *this;
}

JsonObject& JsonObject::add_raw(const std::string& key, const std::string& json) {
  items_.emplace_back(key, json);
  return *this;
}

namespace {

// A number as the tables write it ("0.01", "-3", "1e-05"), which is also JSON's form.
bool json_number(const std::string& text) {
  double x = 0;
  return !text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-') &&
         text.find_first_of("xX") == std::string::npos && parameter_text::parse_real(text, x).empty();
}

}  // namespace

JsonObject& JsonObject::add_settings(const Settings& settings) {
  for (const SettingsLine& line : settings.lines()) {
    const bool present =
        std::any_of(items_.begin(), items_.end(), [&](const auto& i) { return i.first == line.key; });
    if (present) continue;  // the provenance's precision: the same value
    if (json_number(line.value) || line.value == "true" || line.value == "false")
      add_raw(line.key, line.value);
    else
      add(line.key, line.value);
  }
  return *this;
}

std::string JsonObject::str(int indent) const {
  std::ostringstream os;
  const std::string pad(indent, ' ');
  os << "{\n";
  for (size_t i = 0; i < items_.size(); ++i)
    os << pad << json_quote(items_[i].first) << ": " << items_[i].second
       << (i + 1 < items_.size() ? ",\n" : "\n");
  os << "}";
  return os.str();
}

}  // namespace landscape
