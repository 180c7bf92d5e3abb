#include "models/dataset_ggn.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "models/dataset_chunks.hpp"

namespace landscape {

void loss_hessian_times(const Model& model, const Tensor& z, const Tensor& r, long total, Tensor& u) {
  const int n = z.dim(0);
  const size_t per_example = z.size() / size_t(n);
  if (!model.is_classifier()) {
    // mse: the dataset loss is sum (z - x)^2 / (N D), so H_L = 2 / (N D) for every output.
    const double scale = 2.0 / (double(total) * double(per_example));
    for (size_t k = 0; k < z.size(); ++k) u[k] = Scalar(scale * r[k]);
    return;
  }
  // cross-entropy: per example (diag(p) - p p^T) r / N, p = softmax(z) (shifted by max z).
  const size_t K = per_example;
  std::vector<double> p(K);
  for (int i = 0; i < n; ++i) {
    const Scalar* zi = z.data() + size_t(i) * K;
    const Scalar* ri = r.data() + size_t(i) * K;
    const double top = *std::max_element(zi, zi + K);
    double norm = 0, pr = 0;
    for (size_t k = 0; k < K; ++k) norm += p[k] = std::exp(double(zi[k]) - top);
    for (size_t k = 0; k < K; ++k) pr += (p[k] /= norm) * double(ri[k]);
    for (size_t k = 0; k < K; ++k) u[size_t(i) * K + k] = Scalar(p[k] * (double(ri[k]) - pr) / double(total));
  }
}

namespace {

// One thread's running sums (G v in double, the loss, the correct count) and its chunks'
// buffers, reused chunk after chunk.
struct GgnThread {
  std::vector<Accum> gv;  // [P]
  double loss_sum = 0;
  long correct = 0;
  std::vector<Scalar> chunk_gv;  // [P] J^T u of one chunk
  std::vector<Scalar> unused;    // [P] grad sinks of the tangent forward (no backward runs)
};

// J v by a tangent forward, u = H_L J v, then J^T u by a plain forward and a seeded backward;
// adds the chunk's G v (and its loss) into sum.
void ggn_chunk(const Model& model, const Dataset& data, long start, int n, long total, const Scalar* w,
               const Scalar* v, GgnThread& sum) {
  const int D = int(data.row_length());
  const Tensor images = Tensor::view(data.images.data() + start * D, {n, D});
  Tensor u;
  {
    Graph t;
    t.enable_tangents();
    std::vector<Var> params;
    for (const ParamBlock& b : model.layout())
      params.push_back(t.parameter(
          Tensor::view(w + b.offset, b.shape), Tensor::view(sum.unused.data() + b.offset, b.shape),
          Tensor::view(v + b.offset, b.shape), Tensor::view(sum.unused.data() + b.offset, b.shape)));
    const Var out = model.forward(t, params, t.constant(images));
    u = Tensor(t.value(out).shape());
    loss_hessian_times(model, t.value(out), t.tangent(out), total, u);
  }
  std::fill(sum.chunk_gv.begin(), sum.chunk_gv.end(), Scalar(0));
  Graph g;
  std::vector<Var> params;
  for (const ParamBlock& b : model.layout())
    params.push_back(g.parameter(Tensor::view(w + b.offset, b.shape),
                                 Tensor::view(sum.chunk_gv.data() + b.offset, b.shape)));
  const Var x = g.constant(images);
  const Var out = model.forward(g, params, x);
  if (model.is_classifier()) {
    const Tensor& z = g.value(out);
    const int K = z.dim(1);
    for (int i = 0; i < n; ++i) {
      const Scalar* row = z.data() + size_t(i) * K;
      sum.correct += (std::max_element(row, row + K) - row) == data.labels[size_t(start + i)];
    }
  }
  std::vector<int> labels(data.labels.begin() + start, data.labels.begin() + start + n);
  const Var loss = model.loss(g, out, x, std::move(labels));  // its value only: no seed reaches it
  sum.loss_sum += double(g.value(loss)[0]) * n;
  g.backward_from(out, u);
  for (size_t i = 0; i < sum.chunk_gv.size(); ++i) sum.gv[i] += sum.chunk_gv[i];
}

}  // namespace

DatasetLoss dataset_ggn_product(const Model& model, const Dataset& data, const Scalar* w, const Scalar* v,
                                Scalar* Gv, int chunk) {
  const long N = data.size();
  if (N == 0) throw Error("dataset_ggn_product: the dataset is empty");
  const size_t P = model.num_params();
  const std::vector<GgnThread> sums = thread_states_over_chunks<GgnThread>(
      model, N, chunk,
      [P](GgnThread& t) {
        t.gv.assign(P, Accum(0));
        t.chunk_gv.resize(P);
        t.unused.resize(P);
      },
      [&](long start, int n, GgnThread& t) { ggn_chunk(model, data, start, n, N, w, v, t); });
  add_thread_vectors(sums, &GgnThread::gv, Gv);
  return mean_of_thread_states(model, sums, N);
}

}  // namespace landscape
