// A small writer for the JSON the project emits (manifests, bench results): objects of
// strings, numbers, booleans and nested raw JSON, keys in insertion order.
#pragma once

#include <string>
#include <vector>

#include "core/settings_text.hpp"

namespace landscape {

std::string json_quote(const std::string& text);  // "text" with JSON escapes

class JsonObject {
 public:
  JsonObject& add(const std::string& key, const std::string& value);
  JsonObject& add(const std::string& key, const char* value) { return add(key, std::string(value)); }
  JsonObject& add(const std::string& key, double value);
  JsonObject& add(const std::string& key, long long value);
  JsonObject& add(const std::string& key, int value) { return add(key, (long long)value); }
  JsonObject& add(const std::string& key, bool value);
  JsonObject& add_raw(const std::string& key, const std::string& json);  // already JSON
  // Every line of a run's settings (core/settings_text.hpp): a number or true/false as JSON's,
  // any other value as a string; a key already present (the provenance's precision) is not
  // added twice. The manifest says how results were made with the same fields
  // that decide whether they resume.
  JsonObject& add_settings(const Settings& settings);
  std::string str(int indent = 1) const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;  // key, JSON text
};

}  // namespace landscape
