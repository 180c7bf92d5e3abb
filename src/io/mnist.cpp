// MNIST from its original IDX files. The IDX format (yann.lecun.com/exdb/mnist) is big-endian:
//   images: uint32 magic 2051 (0x00000803), uint32 N, uint32 rows, uint32 cols, N*rows*cols bytes
//   labels: uint32 magic 2049 (0x00000801), uint32 N, N bytes, each 0..9
// Each image becomes one row of the [N,784] tensor, pixel = byte/255 (docs/algorithms.md §1.2).
#include "io/mnist.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

#include "core/error.hpp"
#include "io/whole_file.hpp"

namespace landscape {
namespace {

constexpr uint32_t kImagesMagic = 2051;
constexpr uint32_t kLabelsMagic = 2049;
constexpr size_t kImagesHeader = 16;
constexpr size_t kLabelsHeader = 8;

uint32_t big_endian_u32(const std::string& bytes, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

std::string hex32(uint32_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) s += digits[(v >> shift) & 0xf];
  return s;
}

void check_magic(const std::string& name, const std::string& bytes, size_t header, uint32_t magic,
                 const char* kind) {
  // The magic first (when there are 4 bytes to read): "not an IDX images file" says more than
  // "too short" about a labels file passed as images.
  if (bytes.size() >= 4) {
    const uint32_t found = big_endian_u32(bytes, 0);
    if (found != magic)
      throw Error(name + ": not an IDX " + kind + " file (magic number " + std::to_string(found) + " = " +
                  hex32(found) + ", expected " + std::to_string(magic) + " = " + hex32(magic) + ")");
  }
  if (bytes.size() < header)
    throw Error(name + ": " + std::to_string(bytes.size()) + " bytes, shorter than the " +
                std::to_string(header) + "-byte header of an IDX " + kind + " file");
}

// The header promises `need` bytes in all; the file must hold exactly that many.
void check_length(const std::string& name, const std::string& bytes, uint64_t need,
                  const std::string& promise) {
  if (bytes.size() == need) return;
  throw Error(name + ": header says " + promise + " (" + std::to_string(need) +
              " bytes in all) but the file has " + std::to_string(bytes.size()) + " bytes" +
              (bytes.size() < need ? " (truncated)" : " (too long)"));
}

// The file's bytes; a missing file's Error says how to get MNIST.
std::string read_file_bytes(const std::string& path) {
  try {
    return read_whole_file(path);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + " (`landscape data` fetches and verifies MNIST)");
  }
}

}  // namespace

std::vector<unsigned char> parse_idx_images(const std::string& name, const std::string& bytes, int* count,
                                            int* rows, int* cols) {
  check_magic(name, bytes, kImagesHeader, kImagesMagic, "images");
  const uint32_t n = big_endian_u32(bytes, 4), r = big_endian_u32(bytes, 8), c = big_endian_u32(bytes, 12);
  const std::string promise = std::to_string(n) + " images of " + std::to_string(r) + "x" + std::to_string(c);
  // N, rows, cols are each < 2^32, so the product needs up to 96 bits: check before trusting.
  uint64_t pixels = 0, need = 0;
  if (__builtin_mul_overflow(uint64_t(r), uint64_t(c), &pixels) ||
      __builtin_mul_overflow(pixels, uint64_t(n), &pixels) ||
      __builtin_add_overflow(pixels, uint64_t(kImagesHeader), &need))
    throw Error(name + ": header says " + promise + ", more than any file can hold");
  check_length(name, bytes, need, promise);
  if (n > static_cast<uint32_t>(std::numeric_limits<int>::max()) ||
      r > static_cast<uint32_t>(std::numeric_limits<int>::max()) ||
      c > static_cast<uint32_t>(std::numeric_limits<int>::max()))
    throw Error(name + ": header says " + promise + ", too large");
  if (count) *count = static_cast<int>(n);
  if (rows) *rows = static_cast<int>(r);
  if (cols) *cols = static_cast<int>(c);
  return std::vector<unsigned char>(bytes.begin() + kImagesHeader, bytes.end());
}

std::vector<unsigned char> parse_idx_labels(const std::string& name, const std::string& bytes) {
  check_magic(name, bytes, kLabelsHeader, kLabelsMagic, "labels");
  const uint32_t n = big_endian_u32(bytes, 4);
  check_length(name, bytes, uint64_t(n) + kLabelsHeader, std::to_string(n) + " labels");
  std::vector<unsigned char> labels(bytes.begin() + kLabelsHeader, bytes.end());
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] > 9)
      throw Error(name + ": label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                  " is outside 0..9");
  return labels;
}

std::string mnist_images_file(Split split) {
  return split == Split::Train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte";
}

std::string mnist_labels_file(Split split) {
  return split == Split::Train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte";
}

Dataset load_mnist(const std::string& dir, Split split, int limit) {
  const std::string images_path = dir + "/" + mnist_images_file(split);
  const std::string labels_path = dir + "/" + mnist_labels_file(split);
  int count = 0, rows = 0, cols = 0;
  const std::vector<unsigned char> pixels =
      parse_idx_images(images_path, read_file_bytes(images_path), &count, &rows, &cols);
  if (rows != kImageSide || cols != kImageSide)
    throw Error(images_path + ": images are " + std::to_string(rows) + "x" + std::to_string(cols) +
                ", expected " + std::to_string(kImageSide) + "x" + std::to_string(kImageSide));
  const std::vector<unsigned char> labels = parse_idx_labels(labels_path, read_file_bytes(labels_path));
  if (labels.size() != static_cast<size_t>(count))
    throw Error(images_path + " holds " + std::to_string(count) + " images but " + labels_path + " holds " +
                std::to_string(labels.size()) + " labels");
  if (limit > count)
    throw Error("asked for the first " + std::to_string(limit) + " examples but " + images_path +
                " holds only " + std::to_string(count));
  const int n = limit < 0 ? count : limit;

  Dataset d;
  d.images = Tensor({n, kImagePixels});
  // byte / 255 as torchvision's ToTensor computes it: one correctly rounded float32 division,
  // then widened to Scalar. The published float64 models (and the PyTorch conformance vectors)
  // see exactly these float32 values cast to double; dividing in double instead moves the
  // float64 conformance outputs by 1e-8 relative.
  Scalar* out = d.images.data();
  const size_t total = static_cast<size_t>(n) * kImagePixels;
  for (size_t i = 0; i < total; ++i) out[i] = static_cast<Scalar>(static_cast<float>(pixels[i]) / 255.0f);
  d.labels.assign(labels.begin(), labels.begin() + n);
  d.sample_shape = {1, kImageSide, kImageSide};
  d.has_labels = true;
  d.images_file = images_path;
  d.labels_file = labels_path;
  return d;
}

}  // namespace landscape
