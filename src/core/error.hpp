// Errors the user can act on. The command line prints what() and exits non-zero:
// UsageError (bad flags) exits 2, every other Error exits 1.
#pragma once

#include <stdexcept>
#include <string>

namespace landscape {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct UsageError : Error {
  using Error::Error;
};

// Throws Error(message) when cond is false; for checks on user input, not invariants.
inline void require(bool cond, const std::string& message) {
  if (!cond) throw Error(message);
}

}  // namespace landscape
