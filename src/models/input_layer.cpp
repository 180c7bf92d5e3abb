#include "models/input_layer.hpp"

#include <algorithm>
#include <cmath>

#include "autodiff/ops.hpp"
#include "core/blas.hpp"
#include "core/error.hpp"
#include "io/mnist.hpp"
#include "models/model.hpp"

namespace landscape {

using blas::Trans;

namespace {

bool all_finite(const std::vector<Scalar>& v) {
  // 0 * w is 0 for every finite w and NaN for inf or NaN: one vectorised pass (linear.cpp).
  Scalar zero_unless_nonfinite = 0;
#pragma omp simd reduction(+ : zero_unless_nonfinite)
  for (size_t i = 0; i < v.size(); ++i) zero_unless_nonfinite += Scalar(0) * v[i];
  return zero_unless_nonfinite == 0;
}

}  // namespace

StackedInputLayer::StackedInputLayer(const Model& model, const Scalar* const* w, int vectors)
    : layer_(model.input_layer()), vectors_(vectors) {
  const std::vector<ParamBlock>& blocks = model.layout();
  require(layer_.kind != InputLayer::Kind::None && layer_.weight >= 0 && layer_.weight < int(blocks.size()),
          model.arch() + ": no input layer to stack");
  const ParamBlock& W = blocks[layer_.weight];
  require(W.shape.size() == 2 && size_t(W.shape[1]) == model.input_size(),
          model.arch() + ": a dense input layer needs a weight [O," + std::to_string(model.input_size()) +
              "], got " + shape_string(W.shape));
  outputs_ = W.shape[0];
  taps_ = W.shape[1];
  weight_offset_ = W.offset;
  if (layer_.bias >= 0) {
    const ParamBlock& b = blocks[layer_.bias];
    require(b.shape == Shape{outputs_},
            model.arch() + ": input layer bias " + shape_string(b.shape) + " for " + shape_string(W.shape));
    bias_offset_ = b.offset;
  }
  const size_t per_point = size_t(outputs_) * taps_;
  weights_.resize(vectors * per_point);
  if (layer_.bias >= 0) biases_.resize(size_t(vectors) * outputs_);
  for (int p = 0; p < vectors; ++p) {
    std::copy(w[p] + weight_offset_, w[p] + weight_offset_ + per_point, weights_.begin() + p * per_point);
    if (layer_.bias >= 0)
      std::copy(w[p] + bias_offset_, w[p] + bias_offset_ + outputs_, biases_.begin() + size_t(p) * outputs_);
  }
  finite_ = all_finite(weights_);
}

size_t StackedInputLayer::output_size(int n) const { return size_t(n) * outputs_; }

Shape StackedInputLayer::output_shape(int n) const { return {n, outputs_}; }

const Scalar* StackedInputLayer::bias(int p) const {
  return biases_.empty() ? nullptr : biases_.data() + size_t(p) * outputs_;
}

void InputLayerChunk::forward(const Scalar* x, int n) {
  x_ = x;
  n_ = n;
  products_.resize(size_t(s_.vectors()) * s_.output_size(n));
  dense_forward();
}

Tensor InputLayerChunk::product(int k) const {
  return Tensor::view(products_.data() + size_t(k) * s_.output_size(n_), s_.output_shape(n_));
}

void InputLayerChunk::combine(const double* c, Scalar* out) const {
  const size_t size = s_.output_size(n_);
  std::fill(out, out + size, Scalar(0));
  for (int k = 0; k < s_.vectors(); ++k) {
    if (c[k] == 0) continue;
    const Scalar ck = Scalar(c[k]);
    const Scalar* from = products_.data() + size_t(k) * size;
#pragma omp simd
    for (size_t i = 0; i < size; ++i) out[i] += ck * from[i];
  }
}

void InputLayerChunk::add_weight_gradients(const Scalar* const* dz, int count, Scalar* const* grad) {
  for (int j0 = 0; j0 < count; j0 += kPointsPerProduct) {
    dense_weight_gradients(dz + j0, std::min(kPointsPerProduct, count - j0), grad + j0);
  }
}

// stacked [n, K*O] = x W_stack^T, one product for every stacked vector; with sparse rows when
// the images are sparse enough, as linear() decides (docs/algorithms.md §2.5). Then vector k's
// output [n,O] = columns k*O .. k*O+O-1, plus its bias.
void InputLayerChunk::dense_forward() {
  const int n = n_, O = s_.outputs(), KO = s_.vectors() * O;
  stacked_.resize(size_t(n) * KO);
  nonzeros_.reset();
  if (s_.finite() && n >= kSparseInputMinRows) {
    auto rows = std::make_shared<SparseRows>(SparseRows::of(x_, n, s_.taps()));
    if (rows->density() <= kSparseInputMaxDensity) nonzeros_ = std::move(rows);
  }
  if (nonzeros_) {
    std::fill(stacked_.begin(), stacked_.end(), Scalar(0));
    add_sparse_input_product(*nonzeros_, s_.weights(), KO, stacked_.data());
  } else {
    blas::gemm(Trans::No, Trans::Yes, n, KO, s_.taps(), Scalar(1), x_, s_.taps(), s_.weights(), s_.taps(),
               Scalar(0), stacked_.data(), KO);
  }
  for (int k = 0; k < s_.vectors(); ++k) {
    Scalar* z = products_.data() + size_t(k) * s_.output_size(n);
    const Scalar* b = s_.bias(k);
    for (int i = 0; i < n; ++i) {
      const Scalar* from = stacked_.data() + size_t(i) * KO + size_t(k) * O;
      Scalar* to = z + size_t(i) * O;
      for (int o = 0; o < O; ++o) to[o] = b ? from[o] + b[o] : from[o];
    }
  }
}

// dW_stack [m*O, 784] = dz_stack^T x, dz_stack [n, m*O] gathered from the m points' dz: one
// product, whose rows j*O .. are point j's dW in its block's [O,784] layout.
void InputLayerChunk::dense_weight_gradients(const Scalar* const* dz, int m, Scalar* const* grad) {
  const int n = n_, O = s_.outputs(), mO = m * O;
  gathered_.resize(size_t(n) * mO);
  for (int j = 0; j < m; ++j)
    for (int i = 0; i < n; ++i)
      std::copy(dz[j] + size_t(i) * O, dz[j] + size_t(i + 1) * O,
                gathered_.data() + size_t(i) * mO + size_t(j) * O);
  dw_.assign(size_t(mO) * s_.taps(), Scalar(0));
  if (nonzeros_)
    add_sparse_input_weight_adjoint(*nonzeros_, gathered_.data(), mO, dw_.data());
  else
    blas::gemm(Trans::Yes, Trans::No, mO, s_.taps(), n, Scalar(1), gathered_.data(), mO, x_, s_.taps(),
               Scalar(0), dw_.data(), s_.taps());
  const size_t per_point = size_t(O) * s_.taps();
  for (int j = 0; j < m; ++j) {
    Scalar* dw = grad[j] + s_.weight_offset();
    const Scalar* from = dw_.data() + size_t(j) * per_point;
#pragma omp simd
    for (size_t e = 0; e < per_point; ++e) dw[e] += from[e];
    if (s_.layer().bias < 0) continue;
    Scalar* db = grad[j] + s_.bias_offset();
    for (int i = 0; i < n; ++i)
      for (int o = 0; o < O; ++o) db[o] += dz[j][size_t(i) * O + o];
  }
}

}  // namespace landscape
