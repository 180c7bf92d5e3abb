// Ctrl-C (SIGINT) and SIGTERM during a long command. Every result file is written by an atomic
// rename (io/atomic_file.hpp) and a unit of work counts as done only once its row is on disk,
// so a process may stop at any instant and the same command resumes from what is there (the
// SIGKILL tests, tests/test_crash_safety.cpp, hold that). The handler therefore stops at once,
// dropping the item in progress: it writes one message, with the last progress line (what was
// being done), and exits 128 + the signal (130, 143), as shells expect of an interrupted command.
#pragma once

#include <string>

namespace landscape {

// Installs the handlers for SIGINT and SIGTERM, and ignores SIGXFSZ (a write past `ulimit -f`
// then fails with EFBIG and is reported naming its file); `command` names the command in the
// message.
void install_interrupt_handlers(const std::string& command);

// The latest progress line ("train fcp/lbfgs: run 2/5 ... epoch 527/1000"), for the message.
void set_interrupt_context(const std::string& line);

}  // namespace landscape
