// SHA-256 (FIPS 180-4), to verify the MNIST files against their published sums.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace landscape {

std::string sha256_hex(const std::string& bytes);
std::string sha256_file_hex(const std::string& path);  // Error if unreadable

// The streaming form behind both: update() any number of times, then hex() once.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  std::string hex();  // finishes the hash; the object is spent afterwards

 private:
  void compress(const unsigned char* block);  // one 64-byte block (FIPS 180-4 section 6.2.2)
  std::array<uint32_t, 8> h_;
  std::array<unsigned char, 64> pending_{};
  size_t pending_size_ = 0;
  uint64_t total_bytes_ = 0;
};

}  // namespace landscape
