// A data set in memory: N examples, each a flat row of prod(sample_shape) values, with or
// without class labels; and the checks that a data set suits a model (docs/algorithms.md §1.4).
//
// Shape legend: N examples, D = prod(sample_shape) values per example.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/tensor.hpp"

namespace landscape {

enum class Split { Train, Test };
inline constexpr EnumName<Split> kSplitNames[] = {{Split::Train, "train"}, {Split::Test, "test"}};

struct Dataset {
  Tensor images;            // [N,D] in the build's Scalar; MNIST: D = 784, values in [0,1]
  std::vector<int> labels;  // [N] class numbers; N zeros when has_labels is false (below)
  // One example's shape before flattening: MNIST {1,28,28} (channel, height, width, as
  // torchvision's ToTensor gives it), a .npy file's shape without its first axis ([N,D]: {D}).
  // The default is MNIST's: every Dataset the code builds itself (mini-batches, tests) is.
  Shape sample_shape = {1, 28, 28};
  // False for a .npy directory without y files (autoencoder data). labels then holds N zeros:
  // the model code cuts labels beside images for every model and the autoencoder ignores them;
  // check_labels and check_data_fits keep a classifier away from such a data set.
  bool has_labels = true;
  // Where the examples and labels were read, for messages ("" when built in memory).
  std::string images_file, labels_file;

  int size() const { return static_cast<int>(labels.size()); }
  size_t sample_size() const { return shape_size(sample_shape); }  // D
  // The values of one row of `images` (D when sample_shape is set to match): what every loop
  // over examples steps by.
  size_t row_length() const { return images.rank() == 2 ? size_t(images.dim(1)) : sample_size(); }
  Dataset first(int n) const;  // the first n examples (a copy)
};

// Throws an Error unless the data set has labels and every one lies in [0, classes); the
// message names `what` (e.g. "--arch fcp"), the labels file and the first bad label's index.
void check_labels(const Dataset& data, int classes, const std::string& what);

// The first 16 hex digits of SHA-256 over the examples' values, their labels and their shape:
// the settings' name for the data a run used (docs/algorithms.md §17), so another --data
// directory with as many examples is not taken for the same data.
std::string examples_fingerprint(const Dataset& data);

// Where a data set meets a model: Error unless each example has model_inputs values and, when
// needs_labels, check_labels(data, classes, what) holds. Messages name `what` and the files.
void check_data_fits(const Dataset& data, size_t model_inputs, bool needs_labels, int classes,
                     const std::string& what);

}  // namespace landscape
