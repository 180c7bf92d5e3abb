// A data set from train_x.npy, train_y.npy, test_x.npy, test_y.npy (docs/algorithms.md §1.4).
// The files are parsed by io/npy.cpp (header, C order, data length against the shape); here:
// which dtypes x and y may have, how x becomes [N,D] Scalars, and what the values must be.
#include "io/npy_dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <set>
#include <sstream>
#include <type_traits>

#include "core/error.hpp"
#include "io/npy.hpp"

namespace landscape {
namespace {

constexpr int64_t kIntMax = std::numeric_limits<int>::max();

Split other(Split split) { return split == Split::Train ? Split::Test : Split::Train; }

bool exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

std::vector<int64_t> trailing(const std::vector<int64_t>& shape) {
  return std::vector<int64_t>(shape.begin() + 1, shape.end());
}

// x: [N, ...] with N >= 0 and a non-empty trailing shape of at most kIntMax values in all.
void check_x_shape(const std::string& path, const std::vector<int64_t>& shape) {
  if (shape.size() < 2)
    throw Error(path + ": shape " + npy_shape_text(shape) +
                " (x holds one example per row: "
                "[N, D], [N, H, W] or [N, C, H, W])");
  if (shape[0] > kIntMax)
    throw Error(path + ": " + std::to_string(shape[0]) + " examples, more than this reader takes");
  int64_t D = 1;
  for (size_t k = 1; k < shape.size(); ++k) {
    D *= shape[k];
    if (D > kIntMax)
      throw Error(path + ": examples of shape " + npy_shape_text(trailing(shape)) +
                  ", more values per example than this reader takes");
  }
  if (D == 0)
    throw Error(path + ": examples of shape " + npy_shape_text(trailing(shape)) + " hold no values");
}

void check_x_dtype(const std::string& path, const NpyArray& x) {
  if (x.dtype == "<f4" || x.dtype == "<f8" || (x.kind == 'u' && x.item_size == 1)) return;
  throw Error(path + ": dtype '" + x.dtype +
              "' is not read for x (expected float32 '<f4', "
              "float64 '<f8', or uint8 '|u1', which is scaled by 1/255)");
}

template <class T>
T item(const char* data, int64_t i) {
  T v;
  std::memcpy(&v, data + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return v;
}

std::string shortest(double v) {  // 1e+300, not to_string's 301 digits
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// "NaN at index 1234 (example 1, value 450 of 784)"
std::string where(const std::string& what, int64_t i, int64_t D) {
  return what + " at index " + std::to_string(i) + " (example " + std::to_string(i / D) + ", value " +
         std::to_string(i % D) + " of " + std::to_string(D) + ")";
}

// The first n examples of x as [n,D] Scalars; every value finite (also after a float64 value
// is narrowed to a float32 Scalar).
template <class From>
void convert_x(const std::string& path, const NpyArray& x, int64_t n, int64_t D, Scalar* out) {
  const int64_t total = n * D;
  for (int64_t i = 0; i < total; ++i) {
    const From v = item<From>(x.data(), i);
    if (!std::isfinite(v))
      throw Error(path + ": " +
                  where(std::isnan(v) ? "NaN"
                        : v > 0       ? "+inf"
                                      : "-inf",
                        i, D) +
                  " (x must be finite)");
    out[i] = static_cast<Scalar>(v);
    if (!std::isfinite(out[i]))
      throw Error(path + ": " + where("value " + shortest(double(v)), i, D) + " does not fit the build's " +
                  kPrecisionName + " (x must be finite)");
  }
}

// The first n labels; each an integer in [0, kIntMax].
template <class From>
void convert_y(const std::string& path, const NpyArray& y, int64_t n, std::vector<int>& out) {
  for (int64_t i = 0; i < n; ++i) {
    const From v = item<From>(y.data(), i);
    if constexpr (std::is_signed_v<From>)
      if (v < 0)
        throw Error(path + ": label " + std::to_string(v) + " at index " + std::to_string(i) +
                    " is negative (labels are class numbers 0, 1, 2, ...)");
    if (static_cast<uint64_t>(v) > static_cast<uint64_t>(kIntMax))
      throw Error(path + ": label " + std::to_string(v) + " at index " + std::to_string(i) +
                  " is too large for a class number");
    out[static_cast<size_t>(i)] = static_cast<int>(v);
  }
}

std::vector<int> read_labels(const std::string& path, const NpyArray& y, int64_t n) {
  std::vector<int> labels(static_cast<size_t>(n));
  const bool s = y.kind == 'i';
  switch (y.item_size) {
    case 1: s ? convert_y<int8_t>(path, y, n, labels) : convert_y<uint8_t>(path, y, n, labels); break;
    case 2: s ? convert_y<int16_t>(path, y, n, labels) : convert_y<uint16_t>(path, y, n, labels); break;
    case 4: s ? convert_y<int32_t>(path, y, n, labels) : convert_y<uint32_t>(path, y, n, labels); break;
    default: s ? convert_y<int64_t>(path, y, n, labels) : convert_y<uint64_t>(path, y, n, labels); break;
  }
  return labels;
}

}  // namespace

std::string npy_x_file(Split split) { return split == Split::Train ? "train_x.npy" : "test_x.npy"; }
std::string npy_y_file(Split split) { return split == Split::Train ? "train_y.npy" : "test_y.npy"; }

namespace {

// Float pixels saved unscaled (0..255) are read as they are and give a loss far from the one
// PyTorch reports for x / 255: say so once per file. Standardised inputs lie outside [0, 1] too,
// so it is a warning, not an error.
void warn_outside_unit_interval(const std::string& path, const Scalar* x, int64_t count) {
  if (count == 0) return;
  const auto [lo, hi] = std::minmax_element(x, x + count);
  if (*lo >= 0 && *hi <= 1) return;
  static std::set<std::string> warned;
  if (!warned.insert(path).second) return;
  std::fprintf(
      stderr,
      "warning: %s: values lie in [%g, %g], not [0, 1] like MNIST's pixels as read here (byte / 255)%s\n",
      path.c_str(), double(*lo), double(*hi),
      *lo >= 0 && *hi > 1 && *hi <= 255 ? "; if these are 8-bit pixels, save x / 255 (or the uint8 bytes)"
                                        : "");
}

}  // namespace

Dataset load_npy_dataset(const std::string& dir, Split split, int limit) {
  const std::string x_path = dir + "/" + npy_x_file(split), y_path = dir + "/" + npy_y_file(split);
  const std::string other_x = dir + "/" + npy_x_file(other(split));
  const std::string other_y = dir + "/" + npy_y_file(other(split));
  if (!exists(x_path))
    throw Error(x_path +
                ": missing (a .npy data directory holds train_x.npy and test_x.npy, and "
                "train_y.npy and test_y.npy for labels)");

  // x: dtype, shape, and the same sample shape as the other split's (from its header alone).
  const NpyArray x = read_npy_array(x_path);
  check_x_dtype(x_path, x);
  check_x_shape(x_path, x.shape);
  if (exists(other_x)) {
    const NpyArray o = read_npy_header(other_x);
    if (o.shape.size() < 2 || trailing(o.shape) != trailing(x.shape))
      throw Error(other_x + ": examples of shape " +
                  (o.shape.size() < 2 ? npy_shape_text(o.shape) + " (not [N, ...])"
                                      : npy_shape_text(trailing(o.shape))) +
                  " but " + x_path + " holds examples of shape " + npy_shape_text(trailing(x.shape)) +
                  " (both splits need the same shape)");
  }
  const int64_t N = x.shape[0];
  int64_t D = 1;
  for (size_t k = 1; k < x.shape.size(); ++k) D *= x.shape[k];
  if (N == 0) throw Error(x_path + ": holds no examples (shape " + npy_shape_text(x.shape) + ")");
  if (limit > N)
    throw Error("asked for the first " + std::to_string(limit) + " examples but " + x_path + " holds only " +
                std::to_string(N));
  const int64_t n = limit < 0 ? N : limit;

  // y: labels for both splits or for neither.
  const bool has_y = exists(y_path);
  if (exists(other_x) && has_y != exists(other_y))
    throw Error((has_y ? y_path : other_y) + " exists but " + (has_y ? other_y : y_path) +
                " does not (give labels for both splits or for neither)");

  Dataset d;
  d.sample_shape.assign(x.shape.begin() + 1, x.shape.end());  // each dim <= D <= kIntMax
  d.images_file = x_path;
  d.images = Tensor({static_cast<int>(n), static_cast<int>(D)});
  Scalar* out = d.images.data();
  if (x.dtype == "<f4") {
    convert_x<float>(x_path, x, n, D, out);
  } else if (x.dtype == "<f8") {
    convert_x<double>(x_path, x, n, D, out);
  }
  if (x.dtype != "|u1") warn_outside_unit_interval(x_path, out, n * D);
  if (x.dtype == "|u1") {
    // uint8: byte / 255 as MNIST's pixels are (io/mnist.cpp): one float32 division, widened.
    const auto* bytes = reinterpret_cast<const unsigned char*>(x.data());
    for (int64_t i = 0; i < n * D; ++i) out[i] = static_cast<Scalar>(static_cast<float>(bytes[i]) / 255.0f);
  }

  d.has_labels = has_y;
  if (!has_y) {
    d.labels.assign(static_cast<size_t>(n), 0);  // placeholders (io/dataset.hpp)
    return d;
  }
  const NpyArray y = read_npy_array(y_path);
  if (y.kind != 'i' && y.kind != 'u')
    throw Error(y_path + ": dtype '" + y.dtype +
                "' is not an integer type (y holds class "
                "labels 0, 1, 2, ...; save y.astype('int64'))");
  if (y.shape.size() != 1)
    throw Error(y_path + ": shape " + npy_shape_text(y.shape) +
                " (y holds one label per "
                "example: [N]; save y.reshape(-1))");
  if (y.shape[0] != N)
    throw Error(x_path + " holds " + std::to_string(N) + " examples but " + y_path + " holds " +
                std::to_string(y.shape[0]) + " labels");
  d.labels = read_labels(y_path, y, n);
  d.labels_file = y_path;
  return d;
}

}  // namespace landscape
