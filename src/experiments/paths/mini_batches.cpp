#include "experiments/paths/mini_batches.hpp"

#include <algorithm>
#include <memory>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "core/random.hpp"

namespace landscape {

namespace {

void check_batch(int batch, int images) {
  if (batch < 1 || batch > images)
    throw UsageError("--batch " + std::to_string(batch) + " must be between 1 and the " +
                     std::to_string(images) + " images of the path's landscape (--images)");
}

// Epoch e's generator seed: a splitmix64 finaliser of (seed, e), so that neighbouring epochs
// (and pair seeds) start unrelated streams.
std::uint64_t epoch_seed(std::uint64_t seed, long e) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (std::uint64_t(e) + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

MiniBatchLandscapes::MiniBatchLandscapes(const Model& model, const Dataset& data, int batch,
                                         std::uint64_t seed)
    : model_(model), data_(data), batch_size_(batch), seed_(seed), order_(data.size()) {
  check_batch(batch, data.size());
  batch_.images = Tensor({batch, int(data.row_length())});
  batch_.labels.assign(batch, 0);
  batch_.sample_shape = data.sample_shape;
  land_.emplace(model_, batch_);
}

void MiniBatchLandscapes::draw_epoch(long e) {
  std::iota(order_.begin(), order_.end(), 0);
  Rng rng(epoch_seed(seed_, e));
  for (int i = int(order_.size()) - 1; i > 0; --i)  // Fisher-Yates
    std::swap(order_[i], order_[rng.below(std::uint64_t(i) + 1)]);
  epoch_ = e;
}

std::vector<int> MiniBatchLandscapes::images(int k) {
  const int per_epoch = data_.size() / batch_size_;  // S >= 1
  const long e = k / per_epoch;
  if (e != epoch_) draw_epoch(e);
  const auto first = order_.begin() + std::ptrdiff_t(k % per_epoch) * batch_size_;
  std::vector<int> rows(first, first + batch_size_);
  std::sort(rows.begin(), rows.end());  // the dataset's order (mini_batches.hpp)
  return rows;
}

const Landscape& MiniBatchLandscapes::at(int k) {
  const std::vector<int> rows = images(k);
  for (int b = 0; b < batch_size_; ++b) {
    const int src = rows[b];
    const std::size_t D = data_.row_length();
    std::copy_n(data_.images.data() + src * D, D, batch_.images.data() + b * D);
    batch_.labels[b] = data_.labels[src];
  }
  return *land_;
}

MiniBatchSource mini_batch_source(const Model& model, const Dataset& data, int batch) {
  if (batch == 0) return {};
  check_batch(batch, data.size());
  return [&model, &data, batch](std::uint64_t seed) -> StepLandscapes {
    // shared: a StepLandscapes is a copyable std::function
    auto batches = std::make_shared<MiniBatchLandscapes>(model, data, batch, seed);
    return [batches](int k) -> const Landscape& { return batches->at(k); };
  };
}

}  // namespace landscape
