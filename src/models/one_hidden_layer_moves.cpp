#include "models/one_hidden_layer_moves.hpp"

#include <algorithm>
#include <cmath>

#include "autodiff/graph.hpp"
#include "autodiff/ops.hpp"
#include "core/error.hpp"

namespace landscape {

namespace {

constexpr int kClasses = 10;
constexpr int kSide = 28;

// The images after `pools` 2x2 average poolings, by the model's own op (so the inputs are the
// ones its forward sees), transposed to [I,N]: one input's N values contiguous, so that the
// products below run over images in the innermost loop.
std::vector<Scalar> pooled_images_transposed(const Dataset& data, int pools) {
  Graph g;
  Var img = reshape(g, g.constant(data.images), {data.size(), 1, kSide, kSide});
  for (int k = 0; k < pools; ++k) img = avgpool2(g, img);
  const Tensor& t = g.value(img);  // [N,1,s,s]
  const size_t N = size_t(data.size()), I = t.size() / N;
  std::vector<Scalar> xt(t.size());
  for (size_t n = 0; n < N; ++n)
    for (size_t i = 0; i < I; ++i) xt[i * N + n] = t.data()[n * I + i];
  return xt;
}

// One hidden unit's value; the same branches as autodiff/activations.cpp (PyTorch's softplus is
// x itself above 20).
Scalar activation_value(Activation act, Scalar z) {
  if (act == Activation::Relu) return z > 0 ? z : Scalar(0);
  return z > Scalar(20) ? z : Scalar(std::log1p(std::exp(z)));
}

// a[n] = act(sum_i x[i, n] u[i]) for the N images of xt[I,N].
void unit_activations(Activation act, const Scalar* xt, int images, int inputs, const Scalar* u, Scalar* a) {
  std::fill(a, a + images, Scalar(0));
  for (int i = 0; i < inputs; ++i) {
    const Scalar* xi = xt + size_t(i) * size_t(images);
    const Scalar ui = u[i];
    for (int n = 0; n < images; ++n) a[n] += xi[n] * ui;
  }
  for (int n = 0; n < images; ++n) a[n] = activation_value(act, a[n]);
}

}  // namespace

std::vector<std::vector<long>> one_hidden_layer_unit_blocks(int width, int pools) {
  const long inputs = long(kSide >> pools) * long(kSide >> pools);
  const long fc2 = long(width) * inputs;  // fc2.weight [C,W] follows fc1.weight [W,I]
  std::vector<std::vector<long>> blocks(static_cast<size_t>(width));
  for (long j = 0; j < width; ++j) {
    std::vector<long>& b = blocks[size_t(j)];
    for (long i = 0; i < inputs; ++i) b.push_back(j * inputs + i);
    for (long c = 0; c < kClasses; ++c) b.push_back(fc2 + c * width + j);
  }
  return blocks;
}

OneHiddenLayerMoves::OneHiddenLayerMoves(int width, int pools, Activation act, const Dataset& data,
                                         const Scalar* w)
    : width_(width),
      inputs_((kSide >> pools) * (kSide >> pools)),
      images_(data.size()),
      act_(act),
      blocks_(one_hidden_layer_unit_blocks(width, pools)),
      labels_(data.labels),
      x_(pooled_images_transposed(data, pools)),
      w_(w, w + size_t(width) * size_t(inputs_ + kClasses)),
      a_(size_t(width) * size_t(images_)),
      logits_(size_t(images_) * kClasses),
      trial_a_(size_t(images_)),
      trial_logits_(logits_.size()),
      trial_block_(size_t(inputs_ + kClasses)) {
  if (images_ < 1) throw Error("annealing by unit moves: no training images");
  for (int j = 0; j < width_; ++j)
    unit_activations(act_, x_.data(), images_, inputs_, w_.data() + size_t(j) * size_t(inputs_),
                     a_.data() + size_t(j) * size_t(images_));
  recompute_logits();
}

void OneHiddenLayerMoves::recompute_logits() {
  const Scalar* V = w_.data() + size_t(width_) * size_t(inputs_);  // fc2.weight [C,W]
  std::fill(logits_.begin(), logits_.end(), Scalar(0));
  for (int j = 0; j < width_; ++j) {
    const Scalar* aj = a_.data() + size_t(j) * size_t(images_);
    for (int n = 0; n < images_; ++n)
      for (int c = 0; c < kClasses; ++c) logits_[size_t(n) * kClasses + c] += aj[n] * V[c * width_ + j];
  }
  value_ = mean_cross_entropy(logits_.data());
  accepted_since_refresh_ = 0;
}

double OneHiddenLayerMoves::mean_cross_entropy(const Scalar* logits) const {
  // log sum_c exp(l_c) - l_y per image, the maximum taken out first (docs/algorithms.md §2.4).
  double total = 0;
  for (int n = 0; n < images_; ++n) {
    const Scalar* l = logits + size_t(n) * kClasses;
    const Scalar top = *std::max_element(l, l + kClasses);
    Scalar sum = 0;  // in the build's precision, as the model's cross-entropy
    for (int c = 0; c < kClasses; ++c) sum += std::exp(l[c] - top);
    total += double(top) + std::log(double(sum)) - double(l[labels_[size_t(n)]]);
  }
  return total / images_;
}

double OneHiddenLayerMoves::try_move(int unit, const Scalar* d) {
  const std::span<const long> idx = blocks_[size_t(unit)];
  for (size_t k = 0; k < idx.size(); ++k) trial_block_[k] = w_[size_t(idx[k])] + d[k];
  const Scalar* u_new = trial_block_.data();            // fc1.weight[unit, :]   [I]
  const Scalar* v_new = trial_block_.data() + inputs_;  // fc2.weight[:, unit]   [C]
  const Scalar* V = w_.data() + size_t(width_) * size_t(inputs_);
  const Scalar* a_old = a_.data() + size_t(unit) * size_t(images_);
  unit_activations(act_, x_.data(), images_, inputs_, u_new, trial_a_.data());
  // logits' = logits + a_j' v_j'^T - a_j v_j^T
  for (int n = 0; n < images_; ++n)
    for (int c = 0; c < kClasses; ++c) {
      const size_t k = size_t(n) * kClasses + c;
      trial_logits_[k] = logits_[k] + trial_a_[size_t(n)] * v_new[c] - a_old[n] * V[c * width_ + unit];
    }
  trial_unit_ = unit;
  return trial_value_ = mean_cross_entropy(trial_logits_.data());
}

void OneHiddenLayerMoves::accept() {
  if (trial_unit_ < 0) throw Error("internal: OneHiddenLayerMoves::accept without a tried move");
  const std::span<const long> idx = blocks_[size_t(trial_unit_)];
  for (size_t k = 0; k < idx.size(); ++k) w_[size_t(idx[k])] = trial_block_[k];
  std::copy(trial_a_.begin(), trial_a_.end(), a_.begin() + long(trial_unit_) * images_);
  logits_.swap(trial_logits_);
  value_ = trial_value_;
  trial_unit_ = -1;
  // The rank-one updates add rounding; W of them are as many as one recomputation's terms.
  if (++accepted_since_refresh_ >= width_) recompute_logits();
}

}  // namespace landscape
