#include "io/dataset.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "io/sha256.hpp"

namespace landscape {
namespace {

// "DIR/train_y.npy" or, for a data set built in memory, "the data set".
std::string named(const std::string& file) { return file.empty() ? "the data set" : file; }

}  // namespace

Dataset Dataset::first(int n) const {
  if (n < 0 || n > size())
    throw Error("asked for the first " + std::to_string(n) + " examples of a dataset of " +
                std::to_string(size()));
  const size_t D = row_length();  // whole rows even when sample_shape was left at its default
  Dataset d;
  d.images = Tensor({n, static_cast<int>(D)});
  std::copy(images.data(), images.data() + static_cast<size_t>(n) * D, d.images.data());
  d.labels.assign(labels.begin(), labels.begin() + n);
  d.sample_shape = sample_shape;
  d.has_labels = has_labels;
  d.images_file = images_file;
  d.labels_file = labels_file;
  return d;
}

void check_labels(const Dataset& data, int classes, const std::string& what) {
  if (!data.has_labels)
    throw Error(what + " needs class labels but " + named(data.images_file) +
                " comes without them (no y file; a data set without labels serves only the "
                "autoencoder, --arch ae)");
  for (size_t i = 0; i < data.labels.size(); ++i)
    if (data.labels[i] < 0 || data.labels[i] >= classes)
      throw Error(named(data.labels_file) + ": label " + std::to_string(data.labels[i]) + " at index " +
                  std::to_string(i) + " is outside 0.." + std::to_string(classes - 1) + " (" + what +
                  " has " + std::to_string(classes) + " classes)");
}

void check_data_fits(const Dataset& data, size_t model_inputs, bool needs_labels, int classes,
                     const std::string& what) {
  if (data.sample_size() != model_inputs || data.row_length() != model_inputs)
    throw Error(what + " takes examples of " + std::to_string(model_inputs) + " values but " +
                named(data.images_file) + " holds examples of shape " + shape_string(data.sample_shape) +
                " = " + std::to_string(data.sample_size()) + " values");
  if (needs_labels) check_labels(data, classes, what);
}

std::string examples_fingerprint(const Dataset& data) {
  Sha256 hash;
  for (int d : data.sample_shape) hash.update(&d, sizeof d);
  hash.update(data.images.data(), data.images.size() * sizeof(Scalar));
  hash.update(data.labels.data(), data.labels.size() * sizeof(int));
  return hash.hex().substr(0, 16);
}

}  // namespace landscape
