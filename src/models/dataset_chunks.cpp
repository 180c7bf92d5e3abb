#include "models/dataset_chunks.hpp"

#include <algorithm>

#include "models/dataset_loss.hpp"

namespace landscape {

namespace {
// Images of the chunk whose largest logit is their label.
long count_correct(const Tensor& logits /*[n,K]*/, const std::vector<int>& labels) {
  const int n = logits.dim(0), K = logits.dim(1);
  long correct = 0;
  for (int i = 0; i < n; ++i) {
    const Scalar* z = logits.data() + size_t(i) * K;
    correct += (std::max_element(z, z + K) - z) == labels[i];
  }
  return correct;
}
}  // namespace

ChunkResult run_chunk(const Model& model, const Dataset& data, long start, int n, long total, const Scalar* w,
                      Scalar* grad, const InputLayerOutput* first) {
  Graph g;
  std::vector<Var> params = parameter_leaves(g, model, w, grad);
  const int D = int(data.row_length());
  Var x = g.constant(Tensor::view(data.images.data() + start * D, {n, D}));
  std::vector<int> labels(data.labels.begin() + start, data.labels.begin() + start + n);
  Var out;
  if (first) {
    Var z = grad ? g.parameter(first->z, first->dz) : g.constant(first->z);
    out = model.forward_from_input_layer(g, params, z);
  } else {
    out = model.forward(g, params, x);
  }
  ChunkResult r;
  if (model.is_classifier()) r.correct = count_correct(g.value(out), labels);
  Var loss = model.loss(g, out, x, std::move(labels));
  r.loss_sum = double(g.value(loss)[0]) * n;
  if (grad) g.backward(loss, Scalar(double(n) / double(total)));
  return r;
}

DatasetLoss dataset_mean(const Model& model, const ChunkResult& sum, long N) {
  DatasetLoss r;
  r.images = N;
  r.loss = sum.loss_sum / double(N);
  r.correct = model.is_classifier() ? sum.correct : -1;
  return r;
}

void GradientSum::flush() {
  if (earlier.empty()) earlier.assign(recent.size(), Accum(0));
  for (size_t i = 0; i < recent.size(); ++i) earlier[i] += recent[i];
  std::fill(recent.begin(), recent.end(), Scalar(0));
  pending = 0;
}

void add_thread_sums(std::vector<GradientSum>& sums, Scalar* grad) {
  const size_t P = sums[0].recent.size();
  bool flushed = false;
  for (const GradientSum& ts : sums) flushed = flushed || !ts.earlier.empty();
  if (!flushed) {  // at most 16 chunks per thread (an SGD step): one buffer per thread
    std::copy(sums[0].recent.begin(), sums[0].recent.end(), grad);
    for (size_t t = 1; t < sums.size(); ++t) {
      const Scalar* r = sums[t].recent.data();
#pragma omp simd
      for (size_t i = 0; i < P; ++i) grad[i] += r[i];
    }
    return;
  }
  for (GradientSum& ts : sums) ts.flush();  // every chunk now in `earlier`
  for (size_t i = 0; i < P; ++i) {
    Accum s = 0;
    for (const GradientSum& ts : sums) s += ts.earlier[i];
    grad[i] = Scalar(s);
  }
}

}  // namespace landscape
