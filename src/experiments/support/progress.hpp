// Progress of long work on stderr: on a terminal one line rewritten in place; in a log file
// (not a terminal) a line at most every `interval` seconds, plus the last one, so logs of
// week-long runs stay readable.
#pragma once

#include <chrono>
#include <string>

namespace landscape {

class Progress {
 public:
  explicit Progress(double interval_seconds = 10);
  ~Progress();  // ends the line if one is open
  void update(const std::string& line, bool force = false);
  void finish();  // newline after the last update

 private:
  bool tty_;
  bool open_ = false;
  double interval_;
  std::chrono::steady_clock::time_point last_;
  bool printed_ = false;
};

std::string format_duration(double seconds);  // "12.3s", "4.5min", "2.1h"

}  // namespace landscape
