#include "core/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace landscape {

namespace {

// Two buffers for the context: set_interrupt_context fills the one not shown, then flips
// `shown`, so the handler (which may run between any two instructions) reads a whole line.
constexpr std::size_t kLine = 512;
char g_command[64] = "landscape";
char g_context[2][kLine] = {{0}, {0}};
std::atomic<int> g_shown{0};

void put(const char* s) {
  for (std::size_t n = std::strlen(s); n > 0;) {
    const ssize_t w = write(STDERR_FILENO, s, n);
    if (w <= 0) return;
    s += w;
    n -= std::size_t(w);
  }
}

// Only async-signal-safe calls: write(2) and _exit(2).
extern "C" void on_interrupt(int sig) {
  put("\n");
  put(g_command);
  put(sig == SIGINT ? ": interrupted (SIGINT)" : ": stopped (SIGTERM)");
  const char* context = g_context[g_shown.load()];
  if (*context) {
    put("; last progress: ");
    put(context);
  }
  put("\nthe item in progress is dropped; every finished result is on disk, and the same command resumes "
      "from it\n");
  _exit(128 + sig);
}

}  // namespace

void install_interrupt_handlers(const std::string& command) {
  const std::string name = "landscape " + command;
  std::strncpy(g_command, name.c_str(), sizeof g_command - 1);
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // Past a file-size limit (ulimit -f) a write then fails with EFBIG, which the writer reports
  // naming the file (io/atomic_file.hpp), instead of the signal killing the process silently.
  signal(SIGXFSZ, SIG_IGN);
}

void set_interrupt_context(const std::string& line) {
  const int hidden = 1 - g_shown.load();
  const std::size_t n = std::min(line.size(), kLine - 1);
  std::memcpy(g_context[hidden], line.data(), n);
  g_context[hidden][n] = 0;
  g_shown.store(hidden);
}

}  // namespace landscape
