#include "experiments/support/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include "core/interrupt.hpp"

namespace landscape {

Progress::Progress(double interval_seconds) : tty_(isatty(STDERR_FILENO)), interval_(interval_seconds) {}

Progress::~Progress() { finish(); }

void Progress::update(const std::string& line, bool force) {
  set_interrupt_context(line);  // what an interrupt's message says was in progress
  const auto now = std::chrono::steady_clock::now();
  if (tty_) {
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    open_ = true;
    return;
  }
  if (!force && printed_ && std::chrono::duration<double>(now - last_).count() < interval_) return;
  std::fprintf(stderr, "%s\n", line.c_str());
  last_ = now;
  printed_ = true;
}

void Progress::finish() {
  if (open_) std::fprintf(stderr, "\n");
  open_ = false;
}

std::string format_duration(double s) {
  char buf[32];
  if (s < 120)
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 7200)
    std::snprintf(buf, sizeof buf, "%.1fmin", s / 60);
  else
    std::snprintf(buf, sizeof buf, "%.1fh", s / 3600);
  return buf;
}

}  // namespace landscape
