// --shard i/n: this process does the items k with k % n == i (runs, pairs); `landscape collect`
// merges the shards' outputs.
#pragma once

#include <string>

namespace landscape {

struct Shard {
  int index = 0, count = 1;
};
Shard parse_shard(const std::string& text);  // "" -> 0/1; "i/n" with 0 <= i < n; else UsageError

}  // namespace landscape
