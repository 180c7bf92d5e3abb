// The mini-batches of stochastic path steps (`path --batch B`, beyond the paper;
// docs/algorithms.md §5.7): step k of a FourierPathFinder run takes its gradient on the model's
// mean loss over B images of the path's dataset, drawn afresh for every step.
//
// The draw: epoch e (steps e S .. e S + S - 1, S = floor(N / B)) is a Fisher-Yates permutation of
// the N images by the project's Rng seeded from (seed, e); step k takes the B consecutive entries
// k mod S of it, and the N - S B left over at an epoch's end are not used in that epoch. So every
// step has exactly B distinct images, every image is used at most once per epoch, and the batches
// depend on (seed, k) only: the same whatever ran before, resumed or not. A batch's images are
// kept in the dataset's order (a batch is a set; with B = N the batch is the dataset itself, and
// its losses are the full landscape's bit for bit).
//
// Legend: N images of the dataset, B images per batch.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "io/mnist.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "models/model.hpp"

namespace landscape {

class MiniBatchLandscapes {
 public:
  // 1 <= batch <= data.size(), else UsageError naming --batch. model and data must outlive it.
  MiniBatchLandscapes(const Model& model, const Dataset& data, int batch, std::uint64_t seed);
  MiniBatchLandscapes(const MiniBatchLandscapes&) = delete;  // the landscape refers to batch_
  MiniBatchLandscapes& operator=(const MiniBatchLandscapes&) = delete;

  // Step k's landscape: the model's mean loss over batch k. Valid until the next call.
  const Landscape& at(int k);
  // The images of batch k [B], ascending.
  std::vector<int> images(int k);

 private:
  void draw_epoch(long e);  // order_ = epoch e's permutation

  const Model& model_;
  const Dataset& data_;
  int batch_size_;
  std::uint64_t seed_;
  long epoch_ = -1;                     // the epoch order_ holds
  std::vector<int> order_;              // [N]
  Dataset batch_;                       // [B] images, refilled in place
  std::optional<ModelLandscape> land_;  // over batch_
};

// Each path's step landscapes from its seed (pair_seed, path_pairs.hpp); what run_path_pairs and
// find_pair_path take for --batch.
using MiniBatchSource = std::function<StepLandscapes(std::uint64_t seed)>;

// The source of B-image mini-batches of `data` for the model; empty for batch 0 (full batch).
// UsageError naming --batch when B exceeds the images.
MiniBatchSource mini_batch_source(const Model& model, const Dataset& data, int batch);

}  // namespace landscape
