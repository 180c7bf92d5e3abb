// Unit moves on the one-hidden-layer networks of the spread study (models/one_hidden_layer.cpp,
// docs/algorithms.md §12.2), for simulated annealing by blocks (optim/simulated_annealing.hpp).
// Block j holds hidden unit j's incoming weights fc1.weight[j, :] and its outgoing weights
// fc2.weight[:, j]. Changing them changes one column of the hidden activations and adds a
// rank-one term to the logits,
//   a_j' = act(X u_j'),   logits' = logits + a_j' v_j'^T - a_j v_j^T,
// so a proposal costs O(N (I + C)) instead of a full forward's O(N W (I + C)) plus the pooling:
// measured 0.14-0.16 ms against 0.66 ms (W = 5) to 1.4 ms (W = 100) on 2,000 images.
//
// The plain twin is FullEvaluationMoves over a ModelLandscape of the same network, with the same
// blocks (one_hidden_layer_unit_blocks): tests/test_related.cpp compares the two walks.
//
// Legend: N images, I inputs after pooling, W hidden units, C = 10 classes, P = W I + C W.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/scalar.hpp"
#include "io/dataset.hpp"
#include "models/model.hpp"

namespace landscape {

// Block j: the flat indices of fc1.weight[j, :] (I of them) and then fc2.weight[:, j] (C).
std::vector<std::vector<long>> one_hidden_layer_unit_blocks(int width, int pools);

class OneHiddenLayerMoves {
 public:
  // The network of make_one_hidden_layer(width, pools, act) at w[P], on data's images and labels
  // (MNIST's 784 pixels; checked by the caller). Pools the images once.
  OneHiddenLayerMoves(int width, int pools, Activation act, const Dataset& data, const Scalar* w);

  std::size_t dimension() const { return w_.size(); }
  int num_blocks() const { return width_; }
  std::span<const long> block(int b) const { return blocks_[std::size_t(b)]; }
  double value() const { return value_; }  // mean cross-entropy at the current point
  double try_move(int unit, const Scalar* d /*[I + C]*/);
  void accept();
  const Scalar* point() const { return w_.data(); }

 private:
  void recompute_logits();                                // logits_ = A^T V^T from scratch, and value_
  double mean_cross_entropy(const Scalar* logits) const;  // over the N rows of logits[N,C]

  int width_, inputs_, images_;
  Activation act_;
  std::vector<std::vector<long>> blocks_;
  std::vector<int> labels_;     // [N]
  std::vector<Scalar> x_;       // [I,N] pooled images, transposed
  std::vector<Scalar> w_;       // [P] the current point: fc1 [W,I], then fc2 [C,W]
  std::vector<Scalar> a_;       // [W,N] hidden activations, one unit's N values contiguous
  std::vector<Scalar> logits_;  // [N,C]
  // The last tried move: its unit, new activations, logits, block values and loss.
  int trial_unit_ = -1;
  std::vector<Scalar> trial_a_, trial_logits_, trial_block_;  // [N], [N,C], [I + C]
  double value_ = 0, trial_value_ = 0;
  int accepted_since_refresh_ = 0;  // logits are recomputed from scratch every W acceptances
};

}  // namespace landscape
