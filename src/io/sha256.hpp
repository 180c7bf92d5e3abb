// SHA-256 (FIPS 180-4), to verify the MNIST files against their published sums.
#pragma once

#include <string>

namespace landscape {

std::string sha256_hex(const std::string& bytes);
std::string sha256_file_hex(const std::string& path);  // Error if unreadable

}  // namespace landscape
