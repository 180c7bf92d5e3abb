// Reading a whole file into memory: the one place that opens a file for reading its bytes, so
// every reader (weights, MNIST, settings, presets, tables) reports a missing or unreadable file
// the same way, naming it.
#pragma once

#include <cstddef>
#include <string>

namespace landscape {

// The bytes of path. Error "cannot read PATH: <reason>" when it cannot be opened or read.
std::string read_whole_file(const std::string& path);

// At most the first max_bytes of path (fewer when the file is shorter); Errors as above.
std::string read_file_prefix(const std::string& path, size_t max_bytes);

// As read_whole_file, but "" when path does not exist (a settings file not yet written).
std::string read_whole_file_if_present(const std::string& path);

}  // namespace landscape
