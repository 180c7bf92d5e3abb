// Repeated timing for benchmarks: one warm-up call, then R timed calls; median, min and max in
// seconds, and what the process and the machine did meanwhile (CPU time, peak resident memory,
// load average).
#pragma once

#include <functional>

namespace landscape {

struct Timing {
  double median_s = 0, min_s = 0, max_s = 0;
  int repeat = 0;
};

Timing time_repeated(const std::function<void()>& work, int repeat, bool warm_up = true);
double peak_rss_mb();          // getrusage: the largest resident set so far, MiB
double process_cpu_seconds();  // CPU time of the process so far, all threads
double load_average_1min();    // /proc/loadavg's first field (-1 where there is none)

}  // namespace landscape
