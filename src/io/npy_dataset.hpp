// A data set of your own as NumPy .npy files (docs/algorithms.md §1.4): a directory holding
//   train_x.npy  [N, ...]  float32, float64, or uint8 (scaled by 1/255 as MNIST is)
//   train_y.npy  [N]       integer class labels >= 0 (any of int8..int64, uint8..uint64)
//   test_x.npy, test_y.npy the same for the test split
// x may have any trailing shape ([N,D], [N,H,W], [N,C,H,W]); it becomes one row of D values per
// example, C order, and sample_shape keeps the trailing shape. Without the y files the data
// set has no labels (an autoencoder's). Every problem is an Error naming the file.
#pragma once

#include <string>

#include "io/dataset.hpp"

namespace landscape {

std::string npy_x_file(Split split);  // "train_x.npy", "test_x.npy"
std::string npy_y_file(Split split);  // "train_y.npy", "test_y.npy"

// Reads a split; limit < 0 takes all, otherwise the first `limit` examples (an Error if the
// split has fewer). Checks: x's dtype and rank; the same sample shape as the other split's x
// (its header only) when that file exists; y integer, 1-D, as long as x, present for both
// splits or neither; and, over the examples read, x finite (the first bad index named) and
// every label >= 0.
Dataset load_npy_dataset(const std::string& dir, Split split, int limit = -1);

}  // namespace landscape
