#include "cli/shard.hpp"

#include <cstdio>

#include "core/error.hpp"

namespace landscape {

Shard parse_shard(const std::string& text) {
  Shard s;
  if (text.empty()) return s;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d/%d%c", &s.index, &s.count, &tail) != 2 || s.count < 1 || s.index < 0 ||
      s.index >= s.count)
    throw UsageError("--shard expects i/n with 0 <= i < n (e.g. 0/4), got '" + text + "'");
  return s;
}

}  // namespace landscape
