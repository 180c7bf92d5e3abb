#include "experiments/support/preset.hpp"

#include "models/model_description.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/whole_file.hpp"
#include "models/model_description.hpp"

namespace landscape {

namespace {

const char* const kArchs[] = {"fcp", "lenet", "lstm", "ae"};

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

long long to_int(const std::string& where, const std::string& v, long long lo, long long hi) {
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno == ERANGE)
    throw Error(where + ": expected an integer, got '" + v + "'");
  if (x < lo || x > hi)
    throw Error(where + ": " + v + " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return x;
}

bool to_bool(const std::string& where, const std::string& v) {
  if (v == "true" || v == "yes" || v == "1") return true;
  if (v == "false" || v == "no" || v == "0") return false;
  throw Error(where + ": expected true or false, got '" + v + "'");
}

// Sets the field of `table` whose key (prefix + name, '_' for '-') is `key`; false if none is.
// A bad value is an Error naming where (file:line and the key).
template <class T>
bool set_from_table(T& value, const ParameterTable<T>& table, const std::string& prefix,
                    const std::string& key, const std::string& text, const std::string& where) {
  for (const auto& p : table.parameters()) {
    if (p.key(prefix) != key) continue;
    if (const std::string problem = p.read(value, text); !problem.empty())
      throw Error(where + ": " + problem);
    return true;
  }
  return false;
}

// Sets one key of a plan; false if the key is not a plan key.
bool set_plan_key(StudyPlan& p, const std::string& key, const std::string& v, const std::string& where) {
  return set_from_table(p, StudyPlan::table(), "", key, v, where);
}

bool known_arch(const std::string& a) {
  for (const char* k : kArchs)
    if (a == k) return true;
  return false;
}

template <class T, class Parse>
std::vector<T> to_list(const std::string& where, const std::string& v, Parse parse) {
  std::vector<T> out;
  for (const std::string& item : split_commas(v)) out.push_back(T(parse(trim(item))));
  if (out.empty()) throw Error(where + ": give at least one value");
  return out;
}

// Sets one key of the related studies' plan; false if the key is not one of them.
bool set_related_key(RelatedPlan& p, const std::string& key, const std::string& v, const std::string& where) {
  return set_from_table(p, RelatedPlan::table(), "", key, v, where);
}

}  // namespace

bool Preset::runs(const std::string& study) const {
  return std::find(studies.begin(), studies.end(), study) != studies.end();
}

std::string Preset::model_spec(const std::string& arch) const {
  auto it = model_files.find(arch);
  return it == model_files.end() ? arch : it->second;
}

const StudyPlan& Preset::plan(const std::string& arch) const {
  auto it = per_arch.find(arch);
  return it == per_arch.end() ? defaults : it->second;
}

namespace {

// A key "arch.key" of one model's plan, applied once the models are known.
struct Override {
  std::string arch, key, value, where;
};

// The keys of the study as a whole (models, data, seed, the studies run); false for others.
bool set_study_key(Preset& p, const std::string& key, const std::string& value, const std::string& where,
                   bool& archs_given) {
  if (key == "model") {
    if (value.empty()) throw Error(where + ": needs a model description file (.json)");
    const ModelDescription d = read_model_description(value);
    if (known_arch(d.name) || p.model_files.count(d.name))
      throw Error(where + ": " + value + " is named '" + d.name + "', which another model of the study has");
    p.model_files[d.name] = value;
  } else if (key == "data") {
    p.data_dir = value;
  } else if (key == "archs") {
    archs_given = true;
    p.archs = split_commas(value);
    if (p.archs.empty()) throw Error(where + ": no model named");
    for (std::string& a : p.archs) {
      a = trim(a);
      if (!known_arch(a)) throw Error(where + ": unknown model '" + a + "' (fcp, lenet, lstm, ae)");
    }
  } else if (key == "seed") {
    p.seed = uint64_t(to_int(where, value, 0, (1LL << 62)));
  } else if (key == "figure3") {
    p.figure3 = to_bool(where, value);
  } else if (key == "studies") {
    p.studies = to_list<std::string>(where, value, [&](const std::string& x) {
      if (x != "paper" && x != "walk" && x != "spread" && x != "surface" && x != "hessian")
        throw Error(where + ": unknown study '" + x + "' (paper, or walk, spread, surface, hessian)");
      return x;
    });
    const bool paper = std::find(p.studies.begin(), p.studies.end(), "paper") != p.studies.end();
    if (paper && p.studies.size() > 1)
      throw Error(where + ": the paper's study and the related studies go in separate presets");
  } else {
    return false;
  }
  return true;
}

// One "key = value" line: a model's override, a study key, a related study's, or a plan key.
void set_preset_line(Preset& p, const std::string& key, const std::string& value, const std::string& where,
                     bool& archs_given, std::vector<Override>& overrides) {
  if (const size_t dot = key.find('.'); dot != std::string::npos) {
    StudyPlan probe;
    if (!set_plan_key(probe, key.substr(dot + 1), value, where))
      throw Error(where + ": unknown key '" + key.substr(dot + 1) + "'");
    overrides.push_back({key.substr(0, dot), key.substr(dot + 1), value, where});
  } else if (!set_study_key(p, key, value, where, archs_given) &&
             !set_related_key(p.related, key, value, where) && !set_plan_key(p.defaults, key, value, where)) {
    throw Error(where + ": unknown key '" + key + "'");
  }
}

// Every model's plan: the defaults, then its own overrides; each keeps at most its runs.
void settle_plans(Preset& p, const std::vector<Override>& overrides, bool archs_given) {
  if (!p.model_files.empty() && !archs_given) p.archs.clear();
  for (const auto& [model, file] : p.model_files) p.archs.push_back(model);
  for (const char* a : kArchs) p.per_arch[a] = p.defaults;
  for (const auto& [model, file] : p.model_files) p.per_arch[model] = p.defaults;
  for (const Override& o : overrides) {
    if (!p.per_arch.count(o.arch))
      throw Error(o.where + ": unknown model '" + o.arch + "' (fcp, lenet, lstm, ae, or a model key's name)");
    set_plan_key(p.per_arch[o.arch], o.key, o.value, o.where);
  }
  for (const auto& [arch, plan] : p.per_arch)
    if (plan.keep > plan.runs)
      throw Error(p.name + ": " + arch + " keeps " + std::to_string(plan.keep) + " of only " +
                  std::to_string(plan.runs) + " runs");
}

}  // namespace

Preset parse_preset(const std::string& name, const std::string& text) {
  Preset p;
  p.name = name;
  std::vector<Override> overrides;
  bool archs_given = false;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    line = trim(line);
    if (line.empty()) continue;
    const std::string where_line = name + ":" + std::to_string(number);
    const size_t eq = line.find('=');
    if (eq == std::string::npos) throw Error(where_line + ": expected 'key = value', got '" + line + "'");
    const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    set_preset_line(p, key, value, where_line + " (" + key + ")", archs_given, overrides);
  }
  settle_plans(p, overrides, archs_given);
  return p;
}

Preset read_preset(const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error("cannot read preset " + path);
  return parse_preset(path, read_whole_file(path));
}

std::string preset_path(const std::string& name_or_path) {
  if (name_or_path.find('/') != std::string::npos || name_or_path.find('.') != std::string::npos)
    return name_or_path;
  const char* env = std::getenv("LANDSCAPE_SOURCE_ROOT");
#ifdef LANDSCAPE_SOURCE_ROOT
  const std::string root = env ? env : LANDSCAPE_SOURCE_ROOT;
#else
  const std::string root = env ? env : ".";
#endif
  return root + "/presets/" + name_or_path + ".conf";
}

}  // namespace landscape
