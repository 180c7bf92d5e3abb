#include "cli/args.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "core/error.hpp"

namespace landscape {

Args::Args(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

void Args::add(Flag f) {
  // A second declaration used to be skipped, so a table's field could silently lose its flag to
  // another's (hessian's --trace): a programming error, found by any run of the command.
  if (declared(f.name))
    throw Error("landscape " + command_ + ": --" + f.name +
                " is declared twice (src/cli: give one of them another name, or list it as shared)");
  flags_.push_back(std::move(f));
}

Args& Args::flag(const std::string& name, const std::string& default_value, const std::string& help,
                 bool required) {
  add(Flag{name, default_value, default_value, help, false, required, false});
  return *this;
}

Args& Args::require(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    Flag* f = lookup(name);
    if (!f) throw Error("landscape " + command_ + ": --" + name + " is required but not declared");
    f->required = true;
  }
  return *this;
}

Args& Args::toggle(const std::string& name, const std::string& help) {
  add(Flag{name, "", "", help, true, false, false});
  return *this;
}

Args::Flag* Args::lookup(const std::string& name) {
  for (Flag& f : flags_)
    if (f.name == name) return &f;
  return nullptr;
}

const Args::Flag& Args::find(const std::string& name) const {
  for (const Flag& f : flags_)
    if (f.name == name) return f;
  throw Error("internal: flag --" + name + " was never declared by '" + command_ + "'");
}

bool Args::parse(int argc, char** argv, int first) {
  std::vector<std::string> tokens;
  for (int i = first; i < argc; ++i) tokens.emplace_back(argv[i]);
  return parse(tokens);
}

bool Args::parse(const std::vector<std::string>& tokens) {
  tokens_ = tokens;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& tok = tokens[i];
    if (tok == "--help" || tok == "-h") {
      std::cout << help();
      return false;
    }
    if (tok.size() < 3 || tok.compare(0, 2, "--") != 0)
      throw UsageError(command_ + ": unexpected argument '" + tok + "' (see --help)");
    std::string name = tok.substr(2), value;
    bool has_inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline_value = true;
    }
    // --model FILE is --arch FILE: a model description (models/model_description.hpp) goes
    // wherever one of the study's models does.
    const bool model_alias = name == "model" && !lookup("model") && lookup("arch");
    if (model_alias) name = "arch";
    Flag* f = lookup(name);
    if (!f) throw UsageError(command_ + ": unknown flag --" + name + " (see --help)");
    if (f->given)
      throw UsageError(command_ + (model_alias || name == "arch" ? ": give one of --arch and --model, once"
                                                                 : ": flag --" + name + " given twice"));
    f->given = true;
    if (f->is_toggle) {
      if (has_inline_value) throw UsageError(command_ + ": --" + name + " takes no value");
      f->value.assign(1, '1');  // not = "1": GCC 12 warns of a false -Wrestrict there
      continue;
    }
    if (!has_inline_value) {
      if (i + 1 >= tokens.size()) throw UsageError(command_ + ": --" + name + " needs a value");
      value = tokens[++i];
    }
    f->value = value;
  }
  for (const Flag& f : flags_)
    if (f.required && !f.given) throw UsageError(command_ + ": --" + f.name + " is required");
  return true;
}

bool Args::declared(const std::string& name) const {
  for (const Flag& f : flags_)
    if (f.name == name) return true;
  return false;
}

bool Args::given(const std::string& name) const { return find(name).given; }
bool Args::on(const std::string& name) const { return find(name).value == "1"; }
std::string Args::str(const std::string& name) const { return find(name).value; }

long long Args::integer(const std::string& name, long long min, long long max) const {
  const std::string& v = find(name).value;
  errno = 0;
  char* end = nullptr;
  long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno == ERANGE)
    throw UsageError(command_ + ": --" + name + " expects an integer, got '" + v + "'");
  if (x < min || x > max)
    throw UsageError(command_ + ": --" + name + " = " + v + " is outside [" + std::to_string(min) + ", " +
                     std::to_string(max) + "]");
  return x;
}

double Args::real(const std::string& name, double min, double max) const {
  const std::string& v = find(name).value;
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(x))
    throw UsageError(command_ + ": --" + name + " expects a finite number, got '" + v + "'");
  if (x < min || x > max) {
    std::ostringstream os;
    os << command_ << ": --" << name << " = " << v << " is outside [" << min << ", " << max << "]";
    throw UsageError(os.str());
  }
  return x;
}

std::vector<std::string> Args::list(const std::string& name) const { return split_commas(find(name).value); }

std::string Args::help() const {
  std::ostringstream os;
  os << "usage: landscape " << command_ << " [flags]\n\n" << summary_ << "\n\nflags:\n";
  for (const Flag& f : flags_) {
    std::string left = "  --" + f.name + (f.is_toggle ? "" : " VALUE");
    os << left << std::string(left.size() < 26 ? 26 - left.size() : 1, ' ') << f.help;
    if (f.required)
      os << " (required)";
    else if (!f.is_toggle)
      os << " (default: " << (f.default_value.empty() ? "none" : f.default_value) << ")";
    os << "\n";
  }
  os << "  --help                  this text\n";
  return os.str();
}

std::string Args::command_line() const {
  std::string s = "landscape " + command_;
  for (const std::string& t : tokens_) s += " " + t;
  return s;
}

}  // namespace landscape
