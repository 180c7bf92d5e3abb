// Atomic file writes: temp file beside the target -> write -> fsync -> rename -> fsync(dir).
// rename(2) within one directory replaces the target in one step, so a reader (or a crash) sees
// either the old file or the whole new one, never a mix; the fsyncs make "the whole new one"
// survive a power cut. Every failure removes the temp file and names the target.
#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <streambuf>
#include <system_error>
#include <vector>

#include "core/error.hpp"

namespace landscape {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// An ostream buffer over a file descriptor that remembers the first write error (errno), so
// the caller can report ENOSPC/EFBIG/EIO by name instead of a bare "stream failed".
class FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd) : fd_(fd), buffer_(1 << 16) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* p = pbase();
    while (p < pptr()) {
      ssize_t n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (!error_) error_ = n < 0 ? errno : EIO;
        return false;
      }
      p += n;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
  }
  int fd_;
  int error_ = 0;
  std::vector<char> buffer_;
};

// Runs `write` into fd; returns 0 or the errno of the first failure.
int write_to_fd(int fd, const std::function<void(std::ostream&)>& write) {
  FdBuf buf(fd);
  std::ostream os(&buf);
  write(os);
  os.flush();
  if (buf.error()) return buf.error();
  return os ? 0 : EIO;
}

// The mode a plain open(O_CREAT, 0666) would give, since mkstemp's 0600 is too private for
// result files meant to be shared. The umask is read once (umask() can only be read by setting).
mode_t default_file_mode() {
  static const mode_t mode = [] {
    mode_t mask = ::umask(022);
    ::umask(mask);
    return static_cast<mode_t>(0666 & ~mask);
  }();
  return mode;
}

// Devices and pipes (/dev/null, /dev/stdout, a fifo) cannot be replaced by a rename; they get
// a plain write, still with every error reported.
void write_special(const std::string& path, const std::function<void(std::ostream&)>& write) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot write " + path + ": " + errno_text(errno));
  int err = write_to_fd(fd, write);
  if (::close(fd) != 0 && !err) err = errno;
  if (err) throw Error("cannot write " + path + ": " + errno_text(err));
}

}  // namespace

void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target(path);
  // A symlink is followed, so the file it points to is replaced and the link survives.
  if (fs::is_symlink(fs::symlink_status(target, ec))) {
    fs::path resolved = fs::canonical(target, ec);
    if (!ec) target = resolved;
  }
  const fs::file_status status = fs::status(target, ec);
  if (fs::is_directory(status)) throw Error("cannot write " + path + ": it is a directory");
  if (fs::exists(status) && !fs::is_regular_file(status)) return write_special(path, write);

  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  // mkostemp's template: a hidden name beside the target, so the rename stays in one directory.
  std::string temp = dir.string();
  temp += "/.";
  temp += target.filename().string();
  temp += ".XXXXXX";
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0)
    throw Error("cannot write " + path + ": " + errno_text(errno) + " (temp file in " + dir.string() + ")");
  auto fail = [&](int err, const std::string& what) {
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    throw Error("cannot write " + path + ": " + what + errno_text(err));
  };

  int err = 0;
  try {
    err = write_to_fd(fd, write);
  } catch (...) {  // the caller's writer threw: drop the temp file, keep their exception
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  if (err) fail(err, "");
  // An existing target keeps its permissions; a new one gets the usual 0666 & ~umask.
  struct stat old {};
  mode_t mode = ::stat(target.c_str(), &old) == 0 ? (old.st_mode & 07777) : default_file_mode();
  if (::fchmod(fd, mode) != 0) fail(errno, "chmod: ");
  if (::fsync(fd) != 0) fail(errno, "fsync: ");
  const int closing = fd;
  fd = -1;
  if (::close(closing) != 0) fail(errno, "close: ");
  if (::rename(temp.c_str(), target.c_str()) != 0) fail(errno, "rename: ");

  // Make the rename itself durable; a directory that cannot be opened or synced is not an
  // error for the data already in place.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

void write_text_atomic(const std::string& path, const std::string& text) {
  write_file_atomic(path, [&](std::ostream& os) { os.write(text.data(), text.size()); });
}

void make_directories(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path, ec) && !fs::is_directory(path, ec))
    throw Error("cannot create directory " + path + ": a file of that name is in the way");
  fs::create_directories(path, ec);
  if (ec) throw Error("cannot create directory " + path + ": " + ec.message());
}

void remove_stale_temporaries(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const size_t dot = name.rfind('.');
    // ".NAME.XXXXXX": hidden, and a 6-character suffix as mkostemp makes it
    if (name.size() < 9 || name[0] != '.' || dot == 0 || dot + 7 != name.size()) continue;
    if (entry.is_regular_file(ec)) fs::remove(entry.path(), ec);
  }
}

}  // namespace landscape
