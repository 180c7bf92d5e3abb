#include "models/dataset_hvp.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "models/dataset_chunks.hpp"

namespace landscape {

namespace {
// One thread's running sums (H v and the gradient in double, the loss and the correct count)
// and the buffers of its chunks' graphs, reused chunk after chunk.
struct HvpThread {
  std::vector<Accum> hv, grad;  // [P] each
  double loss_sum = 0;          // sum over chunks of the chunk's mean loss times its images
  long correct = 0;
  std::vector<Scalar> chunk_hv, chunk_grad;  // [P] R{dL/dw} and dL/dw of one chunk, share n/N
};

// Forward with tangents v and backward with seed n/N over images [start, start+n); adds the
// chunk's H v and gradient into sum.
void hvp_chunk(const Model& model, const Dataset& data, long start, int n, long total, const Scalar* w,
               const Scalar* v, HvpThread& sum) {
  std::fill(sum.chunk_hv.begin(), sum.chunk_hv.end(), Scalar(0));
  std::fill(sum.chunk_grad.begin(), sum.chunk_grad.end(), Scalar(0));
  Graph g;
  g.enable_tangents();
  std::vector<Var> params;
  for (const ParamBlock& b : model.layout())
    params.push_back(g.parameter(
        Tensor::view(w + b.offset, b.shape), Tensor::view(sum.chunk_grad.data() + b.offset, b.shape),
        Tensor::view(v + b.offset, b.shape), Tensor::view(sum.chunk_hv.data() + b.offset, b.shape)));
  const int D = int(data.row_length());
  Var x = g.constant(Tensor::view(data.images.data() + start * D, {n, D}));
  std::vector<int> labels(data.labels.begin() + start, data.labels.begin() + start + n);
  Var out = model.forward(g, params, x);
  if (model.is_classifier()) {
    const Tensor& z = g.value(out);  // [n,K]
    const int K = z.dim(1);
    for (int i = 0; i < n; ++i) {
      const Scalar* row = z.data() + size_t(i) * K;
      sum.correct += (std::max_element(row, row + K) - row) == labels[i];
    }
  }
  Var loss = model.loss(g, out, x, std::move(labels));
  sum.loss_sum += double(g.value(loss)[0]) * n;
  g.backward(loss, Scalar(double(n) / double(total)));
  for (size_t i = 0; i < sum.chunk_hv.size(); ++i) sum.hv[i] += sum.chunk_hv[i];
  for (size_t i = 0; i < sum.chunk_grad.size(); ++i) sum.grad[i] += sum.chunk_grad[i];
}
}  // namespace

DatasetLoss dataset_hvp(const Model& model, const Dataset& data, const Scalar* w, const Scalar* v, Scalar* Hv,
                        Scalar* grad, int chunk) {
  const long N = data.size();
  if (N == 0) throw Error("dataset_hvp: the dataset is empty");
  const size_t P = model.num_params();

  const std::vector<HvpThread> sums = thread_states_over_chunks<HvpThread>(
      model, N, chunk,
      [P](HvpThread& t) {
        t.hv.assign(P, Accum(0));
        t.grad.assign(P, Accum(0));
        t.chunk_hv.resize(P);
        t.chunk_grad.resize(P);
      },
      [&](long start, int n, HvpThread& t) { hvp_chunk(model, data, start, n, N, w, v, t); });
  add_thread_vectors(sums, &HvpThread::hv, Hv);
  if (grad) add_thread_vectors(sums, &HvpThread::grad, grad);
  return mean_of_thread_states(model, sums, N);
}

}  // namespace landscape
