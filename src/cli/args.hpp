// Command-line flags: each command declares its flags once, with a default and a help line, and
// reads them back checked. `--help` prints every flag with its default. A bad flag or value is a
// UsageError naming the flag (exit 2).
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/strings.hpp"

namespace landscape {

class Args {
 public:
  Args(std::string command, std::string summary);

  // --name VALUE (also --name=VALUE). An empty default with required=true must be given.
  Args& flag(const std::string& name, const std::string& default_value, const std::string& help,
             bool required = false);
  // --name, a switch that is off unless given.
  Args& toggle(const std::string& name, const std::string& help);

  // One flag per field of `table` (core/parameter_table.hpp), its default the field's value in
  // `defaults`, a bool field a switch. Every flag is declared once: a name declared before is
  // an Error at start-up (a test runs every command's --help), except the names in `shared`,
  // fields that several tables read from the one flag (--lr of the path methods), where the
  // first declaration's help line stands.
  template <class T>
  Args& declare(const ParameterTable<T>& table, const T& defaults = T{},
                std::initializer_list<const char*> shared = {});
  // These declared flags must be given (a table's --arch and --weights, whose field defaults
  // serve presets and tests): their help says "(required)" instead of a default.
  Args& require(std::initializer_list<const char*> names);
  // The given flags of `table` into `into` (the others keep their values), each checked
  // against its bounds: UsageError "<command>: --name: <problem>".
  template <class T>
  void read(const ParameterTable<T>& table, T& into) const;
  template <class T>
  T read(const ParameterTable<T>& table) const {
    T value{};
    read(table, value);
    return value;
  }

  // Parses argv[first..argc). Returns false when --help was asked for (help already printed).
  bool parse(int argc, char** argv, int first = 2);
  // Parses a list of "--flag", "value" tokens (fuzzing, tests, preset files).
  bool parse(const std::vector<std::string>& tokens);

  bool declared(const std::string& name) const;
  bool given(const std::string& name) const;
  bool on(const std::string& name) const;
  std::string str(const std::string& name) const;
  long long integer(const std::string& name, long long min, long long max) const;
  double real(const std::string& name, double min, double max) const;
  // "a,b,c" split on commas (empty string: empty list).
  std::vector<std::string> list(const std::string& name) const;

  std::string help() const;
  // The command as given, for manifests: "landscape train --arch fcp ...".
  std::string command_line() const;

 private:
  struct Flag {
    std::string name, value, default_value, help;
    bool is_toggle = false, required = false, given = false;
  };
  const Flag& find(const std::string& name) const;
  Flag* lookup(const std::string& name);
  void add(Flag flag);  // Error when its name is declared already
  std::string command_, summary_;
  std::vector<Flag> flags_;
  std::vector<std::string> tokens_;
};

template <class T>
Args& Args::declare(const ParameterTable<T>& table, const T& defaults,
                    std::initializer_list<const char*> shared) {
  for (const auto& p : table.parameters()) {
    bool is_shared = false;
    for (const char* s : shared) is_shared = is_shared || p.name == s;
    if (is_shared && declared(p.name)) continue;
    if (p.is_switch)
      toggle(p.name, p.help);
    else
      flag(p.name, p.text(defaults), p.help);
  }
  return *this;
}

template <class T>
void Args::read(const ParameterTable<T>& table, T& into) const {
  for (const auto& p : table.parameters()) {
    if (!given(p.name)) continue;
    const std::string problem = p.read(into, p.is_switch ? std::string("true") : str(p.name));
    if (!problem.empty()) throw UsageError(command_ + ": --" + p.name + ": " + problem);
  }
}

}  // namespace landscape
