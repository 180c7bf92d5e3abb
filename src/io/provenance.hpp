// How an output was made: every manifest starts with these fields (version, precision,
// threads, BLAS, the command line, the time), so a result file can be traced to its run.
#pragma once

#include <string>

#include "core/settings_text.hpp"
#include "io/json_writer.hpp"

namespace landscape {

JsonObject provenance(const std::string& command_line);

// provenance(), then every field of a study's parameter table but --data, named as a rerun's
// settings name them (docs/algorithms.md §17); `extra` adds what no table holds (the examples'
// fingerprint for the data, counts resolved from it).
template <class T>
JsonObject settings_manifest(const std::string& command_line, const ParameterTable<T>& table, const T& value,
                             const Settings& extra = {}) {
  Settings settings;
  settings.fields_except(table, value, {"data"});
  for (const SettingsLine& line : extra.lines()) settings.add(line.key, line.value);
  JsonObject m = provenance(command_line);
  m.add_settings(settings);
  return m;
}
std::string utc_timestamp();  // "2026-11-25T12:34:56Z"

}  // namespace landscape
