// Wall-clock seconds of a piece of work (progress lines and ETAs, manifests' wall_seconds, the
// timings of a run): steady_clock, which no adjustment of the system's clock moves.
#pragma once

#include <chrono>

namespace landscape {

using WallClock = std::chrono::steady_clock;

inline double seconds_since(WallClock::time_point start) {
  return std::chrono::duration<double>(WallClock::now() - start).count();
}

}  // namespace landscape
