#include "experiments/support/preset.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/error.hpp"
#include "core/strings.hpp"

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

double to_real(const std::string& where, const std::string& v, double lo) {
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(x))
    throw Error(where + ": expected a finite number, got '" + v + "'");
  if (x < lo) throw Error(where + ": " + v + " must be at least " + std::to_string(lo));
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
  auto integer = [&](long long lo, long long hi) {
    return [&, lo, hi](const std::string& x) { return to_int(where, x, lo, hi); };
  };
  auto real = [&](const std::string& x) { return to_real(where, x, 1e-300); };
  const std::map<std::string, std::function<void()>> setters = {
      {"walk_arch", [&] {
         if (!known_arch(v)) throw Error(where + ": unknown model '" + v + "' (fcp, lenet, lstm, ae)");
         p.walk_arch = v;
       }},
      {"walk_lr", [&] { p.walk_lr = to_list<double>(where, v, real); }},
      {"walk_batch", [&] { p.walk_batch = to_list<int>(where, v, integer(1, 60000)); }},
      {"walk_epochs", [&] { p.walk_epochs = int(to_int(where, v, 1, 1000000)); }},
      {"walk_every", [&] { p.walk_every = int(to_int(where, v, 1, 100000000)); }},
      {"walk_points", [&] { p.walk_points = int(to_int(where, v, 2, 100000)); }},
      {"walk_eval_images", [&] { p.walk_eval_images = int(to_int(where, v, 1, 60000)); }},
      {"spread_widths", [&] { p.spread_widths = to_list<int>(where, v, integer(1, 1000000)); }},
      {"spread_restarts", [&] { p.spread_restarts = int(to_int(where, v, 1, 1000000)); }},
      {"spread_optimizers", [&] {
         p.spread_optimizers = to_list<std::string>(where, v, [&](const std::string& x) {
           if (x != "sgd" && x != "anneal") throw Error(where + ": expected sgd or anneal, got '" + x + "'");
           return x;
         });
       }},
      {"spread_pool", [&] { p.spread_pool = int(to_int(where, v, 0, 2)); }},
      {"spread_epochs", [&] { p.spread_epochs = int(to_int(where, v, 1, 1000000)); }},
      {"spread_batch", [&] { p.spread_batch = int(to_int(where, v, 1, 60000)); }},
      {"spread_lr", [&] { p.spread_lr = real(v); }},
      {"spread_anneal_steps", [&] { p.spread_anneal_steps = long(to_int(where, v, 1, 1LL << 40)); }},
      {"spread_t_start", [&] { p.spread_t_start = real(v); }},
      {"spread_t_end", [&] { p.spread_t_end = real(v); }},
      {"spread_sigma", [&] { p.spread_sigma = real(v); }},
      {"brief_epochs", [&] { p.brief_epochs = int(to_int(where, v, 1, 1000000)); }},
      {"brief_lr", [&] { p.brief_lr = real(v); }},
      {"surface_grid", [&] { p.surface_grid = int(to_int(where, v, 2, 10001)); }},
      {"surface_images", [&] { p.surface_images = int(to_int(where, v, 1, 60000)); }},
      {"hessian_images", [&] { p.hessian_images = int(to_int(where, v, 1, 60000)); }},
      {"hessian_iterations", [&] { p.hessian_iterations = int(to_int(where, v, 2, 100000)); }},
      {"hessian_probes", [&] { p.hessian_probes = int(to_int(where, v, 1, 100000)); }},
  };
  auto it = setters.find(key);
  if (it == setters.end()) return false;
  it->second();
  return true;
}

}  // namespace

bool Preset::runs(const std::string& study) const {
  return std::find(studies.begin(), studies.end(), study) != studies.end();
}

const StudyPlan& Preset::plan(const std::string& arch) const {
  auto it = per_arch.find(arch);
  return it == per_arch.end() ? defaults : it->second;
}

Preset parse_preset(const std::string& name, const std::string& text) {
  Preset p;
  p.name = name;
  struct Override {
    std::string arch, key, value, where;
  };
  std::vector<Override> overrides;
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
    const std::string where = where_line + " (" + key + ")";
    if (const size_t dot = key.find('.'); dot != std::string::npos) {
      const std::string arch = key.substr(0, dot);
      if (!known_arch(arch)) throw Error(where + ": unknown model '" + arch + "'");
      StudyPlan probe;
      if (!set_plan_key(probe, key.substr(dot + 1), value, where))
        throw Error(where + ": unknown key '" + key.substr(dot + 1) + "'");
      overrides.push_back({arch, key.substr(dot + 1), value, where});
    } else if (key == "archs") {
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
    } else if (set_related_key(p.related, key, value, where)) {
    } else if (!set_plan_key(p.defaults, key, value, where)) {
      throw Error(where + ": unknown key '" + key + "'");
    }
  }
  for (const char* a : kArchs) p.per_arch[a] = p.defaults;
  for (const Override& o : overrides) set_plan_key(p.per_arch[o.arch], o.key, o.value, o.where);
  for (const auto& [arch, plan] : p.per_arch)
    if (plan.keep > plan.runs)
      throw Error(name + ": " + arch + " keeps " + std::to_string(plan.keep) + " of only " +
                  std::to_string(plan.runs) + " runs");
  return p;
}

Preset read_preset(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read preset " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_preset(path, ss.str());
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
