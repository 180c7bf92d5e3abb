// A run's settings: the identity of its results, what decides whether a rerun may resume its
// directory (docs/algorithms.md §17). It is built from the parameter tables, never spelled by
// hand: one "key=value" line per setting, the key the field's preset key (its name with '-' as
// '_'), the value as the table writes it (a number as the shortest text that reads back to it).
//
//   Settings s;
//   s.fields(TrainConfig::table(), config.train, {"optimizer", "epochs"})
//    .add("precision", kPrecisionName);
//   run_directory.require_settings(s, OnOtherSettings::Refuse);
//
// Directories written before this text was built from the tables hold "key value" lines, or
// numbers at 6 or 12 digits, or no line for a setting added since; settings_differences()
// (the compatibility rule, §17) reads those as the same settings when they are, and names the
// lines that differ when they are not. A rerun is never resumed under other settings.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"

namespace landscape {

struct SettingsLine {
  std::string key, value;
  // What an old directory without this line meant: the field's default (its results were made
  // before the setting existed, when the code behaved as the default does), or nothing (a
  // missing line is a difference).
  std::optional<std::string> absent;
  bool absent_is_any = false;  // recorded only since the compatibility rule: an old directory may lack it
};

class Settings {
 public:
  // The fields `names` of `table` with their values in `value`, each as its preset key (prefix +
  // name, '-' as '_'); an old directory without one meant the table's default.
  template <class T>
  Settings& fields(const ParameterTable<T>& table, const T& value, std::initializer_list<std::string> names,
                   const std::string& prefix = "");
  // Every field of `table` but those in `except`.
  template <class T>
  Settings& fields_except(const ParameterTable<T>& table, const T& value,
                          std::initializer_list<std::string> except);
  // One field under a key that is not its preset key (the name older directories use).
  template <class T>
  Settings& field_as(const ParameterTable<T>& table, const T& value, const std::string& name,
                     const std::string& key);
  // A setting no table holds (a count resolved from the data, the precision): a missing line in
  // an old directory is a difference.
  Settings& add(const std::string& key, const std::string& value);
  // A setting recorded only since the compatibility rule (the data's fingerprint): an old
  // directory without the line resumes as it did before.
  Settings& add_recorded_since_rule(const std::string& key, const std::string& value);
  // One line per setting, in the order added.
  std::string text() const;
  const std::vector<SettingsLine>& lines() const { return lines_; }

 private:
  Settings& push(SettingsLine line);
  std::vector<SettingsLine> lines_;
};

// "" when a directory's settings text `there` describes the same results as `now` (§17: the
// same keys, '-' and '_' alike, "key value" as "key=value"; equal numbers, a number written at
// fewer digits equal to `now` rounded to as many; 1/0 as true/false; a key `now` adds absent
// there when `now` says what absence meant and the value is that). Otherwise one line per
// difference, "\n  key: here X, there Y".
std::string settings_differences(const std::string& there, const Settings& now);

// ---- implementation ----

template <class T>
Settings& Settings::fields(const ParameterTable<T>& table, const T& value,
                           std::initializer_list<std::string> names, const std::string& prefix) {
  static const T defaults{};
  for (const std::string& name : names) {
    const auto* p = table.find(name);
    if (!p) throw Error("internal: no parameter '" + name + "' for the settings");
    push({p->key(prefix), p->text(value), p->text(defaults)});
  }
  return *this;
}

template <class T>
Settings& Settings::fields_except(const ParameterTable<T>& table, const T& value,
                                  std::initializer_list<std::string> except) {
  static const T defaults{};
  for (const auto& p : table.parameters())
    if (std::find(except.begin(), except.end(), p.name) == except.end())
      push({p.key(""), p.text(value), p.text(defaults)});
  return *this;
}

template <class T>
Settings& Settings::field_as(const ParameterTable<T>& table, const T& value, const std::string& name,
                             const std::string& key) {
  static const T defaults{};
  const auto* p = table.find(name);
  if (!p) throw Error("internal: no parameter '" + name + "' for the settings");
  return push({key, p->text(value), p->text(defaults)});
}

}  // namespace landscape
