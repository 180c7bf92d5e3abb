// MNIST in its original IDX files (yann.lecun.com format): 28x28 grey images, pixel = byte/255
// with no further normalisation (docs/algorithms.md §1.2).
#pragma once

#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/tensor.hpp"

namespace landscape {

enum class Split { Train, Test };
inline constexpr EnumName<Split> kSplitNames[] = {{Split::Train, "train"}, {Split::Test, "test"}};

struct Dataset {
  Tensor images;            // [N,784], values in [0,1]
  std::vector<int> labels;  // [N], 0..9
  int size() const { return static_cast<int>(labels.size()); }
  Dataset first(int n) const;  // the first n examples (a copy)
};

inline constexpr int kImageSide = 28;
inline constexpr int kImagePixels = kImageSide * kImageSide;

// The data directory: --data DIR if given, else $LANDSCAPE_DATA, else "data/mnist".
std::string resolve_data_dir(const std::string& flag_value);

// File names of the four originals, e.g. "train-images-idx3-ubyte".
std::string mnist_images_file(Split split);
std::string mnist_labels_file(Split split);

// Reads a split; limit < 0 takes all, otherwise the first `limit` examples (an Error if the
// split has fewer). Magic numbers, dimensions and file lengths are checked against the header;
// any mismatch is an Error naming the file.
Dataset load_mnist(const std::string& dir, Split split, int limit = -1);

// IDX parsing on bytes already in memory (fuzzing and tests); `name` appears in errors.
std::vector<unsigned char> parse_idx_images(const std::string& name, const std::string& bytes,
                                            int* count, int* rows, int* cols);
std::vector<unsigned char> parse_idx_labels(const std::string& name, const std::string& bytes);

}  // namespace landscape
