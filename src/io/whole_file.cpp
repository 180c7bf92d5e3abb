#include "io/whole_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.hpp"

namespace landscape {

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path + ": " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error("cannot read " + path + ": read error");
  return bytes;
}

std::string read_file_prefix(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path + ": " + std::strerror(errno));
  // No more room than the file has: max_bytes may come from a header that lies.
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  std::string bytes(ec ? std::min<size_t>(max_bytes, 1 << 20) : std::min<uintmax_t>(max_bytes, size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) throw Error("cannot read " + path + ": read error");
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

std::string read_whole_file_if_present(const std::string& path) {
  if (!std::filesystem::exists(path)) return "";
  return read_whole_file(path);
}

}  // namespace landscape
