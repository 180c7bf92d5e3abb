// MNIST in its original IDX files (yann.lecun.com format): 28x28 grey images, pixel = byte/255
// with no further normalisation (docs/algorithms.md §1.2). Fashion-MNIST and KMNIST share the
// format and read the same way; only `landscape data` checks the files against MNIST's sums.
// Commands read a --data directory through load_dataset (io/data_directory.hpp).
#pragma once

#include <string>
#include <vector>

#include "io/dataset.hpp"

namespace landscape {

inline constexpr int kImageSide = 28;
inline constexpr int kImagePixels = kImageSide * kImageSide;
inline constexpr int kMnistClasses = 10;  // digits 0..9, the models' 10 logits

// File names of the four originals, e.g. "train-images-idx3-ubyte".
std::string mnist_images_file(Split split);
std::string mnist_labels_file(Split split);

// Reads a split (sample_shape {1,28,28}, labels 0..9); limit < 0 takes all, otherwise the
// first `limit` examples (an Error if the split has fewer). Magic numbers, dimensions and file
// lengths are checked against the header; any mismatch is an Error naming the file.
Dataset load_mnist(const std::string& dir, Split split, int limit = -1);

// IDX parsing on bytes already in memory (fuzzing and tests); `name` appears in errors.
std::vector<unsigned char> parse_idx_images(const std::string& name, const std::string& bytes, int* count,
                                            int* rows, int* cols);
std::vector<unsigned char> parse_idx_labels(const std::string& name, const std::string& bytes);

}  // namespace landscape
