#include "io/whole_file.hpp"

#include <cerrno>
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
  std::string bytes(max_bytes, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(max_bytes));
  if (in.bad()) throw Error("cannot read " + path + ": read error");
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

std::string read_whole_file_if_present(const std::string& path) {
  if (!std::filesystem::exists(path)) return "";
  return read_whole_file(path);
}

}  // namespace landscape
