#include "io/run_directory.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/whole_file.hpp"

namespace landscape {

namespace fs = std::filesystem;

namespace {

// Locks this process holds, by lock path, with how many RunDirectory objects hold each.
std::map<std::string, int>& held_locks() {
  static std::map<std::string, int> held;
  return held;
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

struct LockHolder {
  long pid = 0;
  std::string host;
};

LockHolder read_holder(const std::string& path) {
  LockHolder h;
  std::istringstream in(read_whole_file_if_present(path));
  std::string key;
  while (in >> key) {
    if (key == "pid")
      in >> h.pid;
    else if (key == "host")
      in >> h.host;
  }
  return h;
}

// A process on this host that no longer exists (kill(pid, 0) fails with ESRCH).
bool is_gone(const LockHolder& h) {
  return h.host == host_name() && h.pid > 0 && kill(pid_t(h.pid), 0) != 0 && errno == ESRCH;
}

// Creates the lock file if no other file has that name (O_EXCL: of two processes racing, one
// wins). False if it exists.
bool create_lock(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw Error("cannot create the lock " + path + ": " + std::strerror(errno));
  }
  const std::string text = "pid " + std::to_string(long(getpid())) + "\nhost " + host_name() + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
  close(fd);
  if (!ok) throw Error("cannot write the lock " + path);
  return true;
}

void take_lock(const std::string& dir, const std::string& path) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (create_lock(path)) return;
    const LockHolder h = read_holder(path);
    if (h.pid == 0) continue;  // being written by its creator this instant: look again
    if (!is_gone(h))
      throw Error(dir + " is in use by process " + std::to_string(h.pid) + " on host " + h.host + " (lock " +
                  path +
                  "); wait for it to finish, or use another --out. If that "
                  "process is no longer running, remove the lock file.");
    std::fprintf(stderr,
                 "note: %s was locked by process %ld on %s, which is no longer running; "
                 "taking the lock over\n",
                 dir.c_str(), h.pid, h.host.c_str());
    std::error_code ec;
    fs::remove(path, ec);
  }
  throw Error("cannot take the lock " + path + ": another process keeps taking it");
}

std::string lock_name(int shard_index, int shard_count) {
  if (shard_count <= 1) return ".lock";
  return ".lock-" + std::to_string(shard_index) + "-of-" + std::to_string(shard_count);
}

}  // namespace

std::string settings_difference(const std::string& there, const std::string& now) {
  std::istringstream a(there), b(now);
  std::string la, lb, diff;
  while (bool(std::getline(a, la)) | bool(std::getline(b, lb))) {
    if (la != lb) diff += "\n  there: " + la + "\n  now:   " + lb;
    la.clear();
    lb.clear();
  }
  return diff;
}

RunDirectory::RunDirectory(std::string dir, int shard_index, int shard_count) : dir_(std::move(dir)) {
  make_directories(dir_);
  lock_path_ = (fs::absolute(dir_).lexically_normal() / lock_name(shard_index, shard_count)).string();
  int& holders = held_locks()[lock_path_];
  if (holders == 0) take_lock(dir_, lock_path_);
  ++holders;
  // Another shard may be writing beside us; alone, a temporary is a write that a kill cut off.
  if (shard_count <= 1) remove_stale_temporaries(dir_);
}

RunDirectory::~RunDirectory() {
  int& holders = held_locks()[lock_path_];
  if (--holders > 0) return;
  held_locks().erase(lock_path_);
  std::error_code ec;
  fs::remove(lock_path_, ec);
}

bool RunDirectory::require_settings(const Settings& settings, OnOtherSettings policy,
                                    const std::vector<std::string>& results, const std::string& name) const {
  if (!fs::exists(file(name))) {
    write(name, settings.text());
    return true;
  }
  return settle(settings_differences(read(name), settings), settings.text(), policy, results, name);
}

bool RunDirectory::require_settings(const std::string& settings, OnOtherSettings policy,
                                    const std::vector<std::string>& results, const std::string& name) const {
  if (!fs::exists(file(name))) {
    write(name, settings);
    return true;
  }
  const std::string there = read(name);
  return settle(there == settings ? "" : settings_difference(there, settings), settings, policy, results,
                name);
}

bool RunDirectory::settle(const std::string& differences, const std::string& settings, OnOtherSettings policy,
                          const std::vector<std::string>& results, const std::string& name) const {
  if (differences.empty()) return true;
  if (policy == OnOtherSettings::Refuse)
    throw Error(dir_ + " holds results made with other settings (" + file(name) +
                "); use the same settings, another --out, or delete it to start again:" + differences);
  std::string removed;
  for (const std::string& r : results) {
    std::error_code ec;
    if (fs::remove_all(file(r), ec) > 0) removed += (removed.empty() ? "" : ", ") + r;
  }
  std::fprintf(stderr, "%s holds results of other settings; starting afresh%s\n", dir_.c_str(),
               removed.empty() ? "" : (" (removed " + removed + ")").c_str());
  write(name, settings);
  return false;
}

bool RunDirectory::finished(const std::string& mark) const { return fs::exists(file(mark)); }

void RunDirectory::write(const std::string& name, const std::string& text) const {
  write_text_atomic(file(name), text);
}

std::string RunDirectory::read(const std::string& name) const { return read_whole_file(file(name)); }

void RunDirectory::remove(const std::string& name) const {
  std::error_code ec;
  if (!fs::remove(file(name), ec) && ec) throw Error("cannot remove " + file(name) + ": " + ec.message());
}

void RunDirectory::write_manifest(const JsonObject& manifest, const std::string& name) const {
  write(name, manifest.str() + "\n");
}

}  // namespace landscape
