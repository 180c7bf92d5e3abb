// NumPy .npy files: the exchange format for weight vectors (flat in PyTorch's parameters()
// order, one vector per row of a 2-D stack), so PyTorch users can bring theirs and take ours.
//
// Read: dtype float32 ('<f4') or float64 ('<f8'), little-endian, C order, 1-D or 2-D, format
// versions 1.0, 2.0 (and 3.0's header). Anything else is an Error naming the file and what was
// found (big-endian, Fortran order, another dtype, 3-D, a header that lies about the size).
// Write: the build's Scalar (or double), to a temporary file renamed into place.
// Data sets (io/npy_dataset.hpp) read any rank and numeric dtype through NpyArray.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/scalar.hpp"

namespace landscape {

struct NpyMatrix {
  int64_t rows = 0;  // 1 for a 1-D array
  int64_t cols = 0;
  bool one_dimensional = false;
  std::string dtype;         // as found in the file: "<f4" or "<f8"
  std::vector<Scalar> data;  // rows * cols values, row-major, converted to Scalar
  const Scalar* row(int64_t r) const { return data.data() + r * cols; }
};

NpyMatrix read_npy(const std::string& path);
std::vector<double> read_npy_double(const std::string& path, int64_t* rows, int64_t* cols);
std::vector<int64_t> read_npy_int64_vector(const std::string& path);  // '<i8' 1-D (permutations)
// The same readers on bytes already in memory (fuzzing, tests); `name` stands for the path in
// every message.
NpyMatrix parse_npy(const std::string& name, const std::string& bytes);
std::vector<int64_t> parse_npy_int64_vector(const std::string& name, const std::string& bytes);

// Any rank and any numeric dtype, for readers that convert the data themselves (the data sets
// of io/npy_dataset.hpp). The same header checks as above, and a C-order array whose data
// length agrees with its shape; the dtype is left for the caller to accept or reject.
struct NpyArray {
  std::string dtype;           // as found: '<f4', '<f8', '|u1', '<i8', '|b1', ...
  char kind = 0;               // 'f' float, 'i' signed, 'u' unsigned integer, 'b' bool
  size_t item_size = 0;        // bytes per item
  std::vector<int64_t> shape;  // () for 0-D
  std::string bytes;           // the whole file (empty from read_npy_header)
  size_t data_offset = 0;      // where the prod(shape) items start in bytes
  const char* data() const { return bytes.data() + data_offset; }
  int64_t items() const;  // prod(shape)
};
NpyArray parse_npy_array(const std::string& name, std::string bytes);
NpyArray read_npy_array(const std::string& path);
// Only the header (dtype, shape), from the first bytes of the file, to compare two files'
// shapes without reading their data; the data length is not checked (bytes stays empty).
NpyArray read_npy_header(const std::string& path);
std::string npy_shape_text(const std::vector<int64_t>& shape);  // as Python prints it: (3,) (2, 3)

// rows == 1 && one_dimensional writes shape (cols,); otherwise (rows, cols).
void write_npy(const std::string& path, const float* data, int64_t rows, int64_t cols,
               bool one_dimensional = false);
void write_npy(const std::string& path, const double* data, int64_t rows, int64_t cols,
               bool one_dimensional = false);
void write_npy(const std::string& path, const int64_t* data, int64_t rows, int64_t cols,
               bool one_dimensional = false);  // '<i8' (an SGD run's shuffles, permutations)

}  // namespace landscape
