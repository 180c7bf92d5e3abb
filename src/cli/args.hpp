// Command-line flags: each command declares its flags once, with a default and a help line, and
// reads them back checked. `--help` prints every flag with its default. A bad flag or value is a
// UsageError naming the flag (exit 2).
#pragma once

#include <string>
#include <vector>

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

  // Parses argv[first..argc). Returns false when --help was asked for (help already printed).
  bool parse(int argc, char** argv, int first = 2);
  // Parses a list of "--flag", "value" tokens (fuzzing, tests, preset files).
  bool parse(const std::vector<std::string>& tokens);

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
  std::string command_, summary_;
  std::vector<Flag> flags_;
  std::vector<std::string> tokens_;
};

}  // namespace landscape
