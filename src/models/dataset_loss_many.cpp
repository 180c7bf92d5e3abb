#include "models/dataset_loss_many.hpp"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "models/dataset_chunks.hpp"
#include "models/input_layer.hpp"

namespace landscape {

namespace {

// g points of one pass over the data: w[p] [P] each; grad[p] [P] their gradients (nullptr:
// forward only); c[p] [K] their coefficients over the stacked vectors when the stack is a
// basis (nullptr: the stack holds the points themselves, in order).
// d[p] [R]: with R > 0, point p's weights in the R gradient combinations, whose input-layer
// part the pass forms itself (the points' own gradients then leave that block out).
struct PointGroup {
  int size = 0;
  const Scalar* const* w = nullptr;
  Scalar* const* grad = nullptr;
  const double* const* c = nullptr;
  DatasetLoss* results = nullptr;
  const double* const* d = nullptr;
  int R = 0;
};

// One thread's pass over its chunks for a group; totals[p] and sums[p] are this thread's.
class GroupPass {
 public:
  GroupPass(const Model& model, const Dataset& data, const PointGroup& group, const StackedInputLayer* stack)
      : model_(model), data_(data), group_(group), chunk_grad_(group.size, nullptr) {
    if (stack) first_.emplace(*stack);
  }

  // combined[r]: this thread's sums of the input layer's part of combination r (group_.R > 0).
  void run_chunk_for_all_points(long start, int n, std::vector<GradientSum*>& sums,
                                std::vector<ChunkResult*>& totals, std::vector<GradientSum>& combined) {
    const bool with_gradient = group_.grad != nullptr;
    if (with_gradient)
      for (int p = 0; p < group_.size; ++p) chunk_grad_[p] = sums[p]->next_chunk_buffer();
    if (!first_) {
      for (int p = 0; p < group_.size; ++p)
        *totals[p] += run_chunk(model_, data_, start, n, data_.size(), group_.w[p], chunk_grad_[p]);
      return;
    }
    first_->forward(data_.images.data() + start * long(data_.row_length()), n);
    if (with_gradient && group_.R > 0)
      run_points_combining_input_gradients(start, n, totals, combined);
    else
      run_points(start, n, totals);
  }

 private:
  // Every point's graph from its input-layer output; their input-layer weight gradients in
  // stacked products of 8 points.
  void run_points(long start, int n, std::vector<ChunkResult*>& totals) {
    const bool with_gradient = group_.grad != nullptr;
    const size_t size = first_->product(0).size();
    const int batch = InputLayerChunk::kPointsPerProduct;
    z_.resize(size);
    dz_.resize(size * batch);
    dz_of_.resize(batch);
    for (int p0 = 0; p0 < group_.size; p0 += batch) {  // the weight gradients 8 points at a time
      const int m = std::min(batch, group_.size - p0);
      for (int j = 0; j < m; ++j) {
        const int p = p0 + j;
        InputLayerOutput out{point_input(p), Tensor()};
        if (with_gradient) {
          std::fill(dz_.begin() + j * size, dz_.begin() + (j + 1) * size, Scalar(0));
          out.dz = Tensor::view(dz_.data() + j * size, out.z.shape());
          dz_of_[j] = dz_.data() + j * size;
        }
        *totals[p] += run_chunk(model_, data_, start, n, data_.size(), group_.w[p], chunk_grad_[p], &out);
      }
      if (with_gradient) first_->add_weight_gradients(dz_of_.data(), m, chunk_grad_.data() + p0);
    }
  }

  // Every point's graph; its dz goes into the R combined dz_r = sum_p d[p][r] dz_p, and the
  // input layer's part of combination r is one product with dz_r (R products, not M).
  void run_points_combining_input_gradients(long start, int n, std::vector<ChunkResult*>& totals,
                                            std::vector<GradientSum>& combined) {
    const size_t size = first_->product(0).size();
    const int R = group_.R;
    z_.resize(size);
    dz_.resize(size * (R + 1));  // R combined dz, then one point's
    std::fill(dz_.begin(), dz_.end(), Scalar(0));
    Scalar* point_dz = dz_.data() + size * R;
    for (int p = 0; p < group_.size; ++p) {
      InputLayerOutput out{point_input(p), Tensor()};
      std::fill(point_dz, point_dz + size, Scalar(0));
      out.dz = Tensor::view(point_dz, out.z.shape());
      *totals[p] += run_chunk(model_, data_, start, n, data_.size(), group_.w[p], chunk_grad_[p], &out);
      for (int r = 0; r < R; ++r) {
        const Scalar d = Scalar(group_.d[p][r]);
        if (d == 0) continue;
        Scalar* to = dz_.data() + size * r;
#pragma omp simd
        for (size_t i = 0; i < size; ++i) to[i] += d * point_dz[i];
      }
    }
    dz_of_.resize(R);
    into_.resize(R);
    for (int r = 0; r < R; ++r) {
      dz_of_[r] = dz_.data() + size * r;
      into_[r] = combined[r].next_chunk_buffer();
    }
    first_->add_weight_gradients(dz_of_.data(), R, into_.data());
  }

  // Point p's input layer output: the stacked product p, or its combination of the basis's.
  Tensor point_input(int p) {
    if (!group_.c) return first_->product(p);
    const Tensor shape_of = first_->product(0);
    first_->combine(group_.c[p], z_.data());
    return Tensor::view(z_.data(), shape_of.shape());
  }

  const Model& model_;
  const Dataset& data_;
  const PointGroup& group_;
  std::optional<InputLayerChunk> first_;
  std::vector<Scalar*> chunk_grad_;
  std::vector<Scalar> z_, dz_;        // one point's z; up to 8 points' dz (or R combined and one)
  std::vector<const Scalar*> dz_of_;  // into dz_, one per point (or combination)
  std::vector<Scalar*> into_;         // the combinations' gradient buffers of this chunk
};

// Runs the group over the data. combined [R,P] (group.R > 0): += the input layer's part of
// each gradient combination.
void evaluate_group(const Model& model, const Dataset& data, const PointGroup& group,
                    const StackedInputLayer* stack, int chunk, Accum* combined = nullptr) {
  const long N = data.size();
  const int g = group.size;
  const size_t P = model.num_params();
  const double flops = model.forward_flops() * double(N) * (group.grad ? 3 : 1) * g;
  const int threads = omp_in_parallel() || flops < kMinParallelFlops ? 1 : omp_get_max_threads();
  chunk = chunk_size(model, N, threads, chunk);

  // sums[p][t] and totals[p][t]: point p's sums on thread t.
  std::vector<std::vector<GradientSum>> sums(g, std::vector<GradientSum>(threads));
  std::vector<std::vector<ChunkResult>> totals(g, std::vector<ChunkResult>(threads));
  // combined_sums[t][r]: thread t's sum of the input layer's part of combination r.
  const bool combining = group.grad && group.R > 0 && stack;
  std::vector<std::vector<GradientSum>> combined_sums(threads,
                                                      std::vector<GradientSum>(combining ? group.R : 0));
  std::exception_ptr failure;
#pragma omp parallel num_threads(threads)
  {
    omp_set_num_threads(1);  // BLAS inside runs on this thread (dataset_loss.cpp)
    const int t = omp_get_thread_num();
    std::vector<GradientSum*> my_sums(g);
    std::vector<ChunkResult*> my_totals(g);
    for (int p = 0; p < g; ++p) {
      my_sums[p] = &sums[p][t];
      my_totals[p] = &totals[p][t];
      if (group.grad) my_sums[p]->recent.assign(P, Scalar(0));
    }
    for (GradientSum& s : combined_sums[t]) s.recent.assign(P, Scalar(0));
    GroupPass pass(model, data, group, stack);
    for_each_chunk(N, chunk, failure, [&](long start, int n) {
      pass.run_chunk_for_all_points(start, n, my_sums, my_totals, combined_sums[t]);
    });
  }
  if (failure) std::rethrow_exception(failure);

  for (int p = 0; p < g; ++p) {
    ChunkResult sum;
    for (int t = 0; t < threads; ++t) sum += totals[p][t];  // in thread order
    group.results[p] = dataset_mean(model, sum, N);
    if (group.grad) add_thread_sums(sums[p], group.grad[p]);
  }
  if (!combining) return;
  std::vector<Scalar> part(P);
  for (int r = 0; r < group.R; ++r) {
    std::vector<GradientSum> of_r(threads);
    for (int t = 0; t < threads; ++t) of_r[t] = std::move(combined_sums[t][r]);
    add_thread_sums(of_r, part.data());
    for (size_t i = 0; i < P; ++i) combined[r * P + i] += part[i];
  }
}

std::vector<const Scalar*> rows_of(const Scalar* X, size_t first, size_t count, size_t P) {
  std::vector<const Scalar*> rows(count);
  for (size_t r = 0; r < count; ++r) rows[r] = X + (first + r) * P;
  return rows;
}

// The groups of a call: body(m0, g, w, stack) for points [m0, m0 + g), w their rows of W, stack
// their input layers (the basis's when it is used, else the group's own; nullptr: no input
// layer). coefficients(p) of a point when the basis is used.
template <class Body>
void for_each_group(const Model& model, const Scalar* W, std::size_t M, const PointBasis* basis,
                    Body&& body) {
  const size_t P = model.num_params();
  const bool has_input_layer = model.input_layer().kind != InputLayer::Kind::None;
  const bool use_basis = basis && has_input_layer;
  std::optional<StackedInputLayer> basis_stack;
  if (use_basis) {
    const std::vector<const Scalar*> v = rows_of(basis->vectors, 0, basis->size, P);
    basis_stack.emplace(model, v.data(), int(basis->size));
  }
  const size_t per_group = use_basis ? kPointsPerBasisGroup : kPointsPerGroup;
  for (size_t m0 = 0; m0 < M; m0 += per_group) {
    const int g = int(std::min(per_group, M - m0));
    const std::vector<const Scalar*> w = rows_of(W, m0, g, P);
    std::vector<const double*> c(g, nullptr);
    if (use_basis)
      for (int p = 0; p < g; ++p) c[p] = basis->coefficients + (m0 + p) * basis->size;
    std::optional<StackedInputLayer> point_stack;
    if (has_input_layer && !use_basis) point_stack.emplace(model, w.data(), g);
    const StackedInputLayer* stack = use_basis ? &*basis_stack : point_stack ? &*point_stack : nullptr;
    body(m0, g, w, use_basis ? c.data() : nullptr, stack);
  }
}

}  // namespace

void dataset_loss_many(const Model& model, const Dataset& data, const Scalar* W, std::size_t M,
                       DatasetLoss* results, Scalar* G, int chunk, const PointBasis* basis) {
  if (data.size() == 0) throw Error("dataset_loss_many: the dataset is empty");
  const size_t P = model.num_params();
  for_each_group(model, W, M, basis,
                 [&](size_t m0, int g, const std::vector<const Scalar*>& w, const double* const* c,
                     const StackedInputLayer* stack) {
                   std::vector<Scalar*> grad(g);
                   for (int p = 0; p < g; ++p) grad[p] = G ? G + (m0 + p) * P : nullptr;
                   const PointGroup group{g, w.data(), G ? grad.data() : nullptr, c, results + m0};
                   evaluate_group(model, data, group, stack, chunk);
                 });
}

void dataset_loss_many_combined(const Model& model, const Dataset& data, const Scalar* W, std::size_t M,
                                DatasetLoss* results, const GradientCombination& combination, int chunk,
                                const PointBasis* basis) {
  if (data.size() == 0) throw Error("dataset_loss_many: the dataset is empty");
  const size_t P = model.num_params(), R = combination.size;
  std::vector<Accum> sum(R * P, Accum(0));  // [R,P] the combinations, in double
  std::vector<Scalar> G;                    // [g,P] one group's gradients
  for_each_group(model, W, M, basis,
                 [&](size_t m0, int g, const std::vector<const Scalar*>& w, const double* const* c,
                     const StackedInputLayer* stack) {
                   G.assign(size_t(g) * P, Scalar(0));
                   std::vector<Scalar*> grad(g);
                   std::vector<const double*> d(g);
                   for (int p = 0; p < g; ++p) {
                     grad[p] = G.data() + p * P;
                     d[p] = combination.weights + (m0 + p) * R;
                   }
                   // With a basis the pass forms the input layer's part of each combination itself (its
                   // points' gradients then hold zeros there); otherwise the points' gradients hold it all.
                   const int combined_in_pass = c ? int(R) : 0;
                   const PointGroup group{g,        w.data(),        grad.data(), c, results + m0,
                                          d.data(), combined_in_pass};
                   evaluate_group(model, data, group, stack, chunk, combined_in_pass ? sum.data() : nullptr);
                   for (int p = 0; p < g; ++p)
                     for (size_t r = 0; r < R; ++r) {
                       const double dpr = d[p][r];
                       if (dpr == 0) continue;
                       Accum* to = sum.data() + r * P;
                       const Scalar* from = grad[p];
                       for (size_t i = 0; i < P; ++i) to[i] += dpr * from[i];
                     }
                 });
  for (size_t i = 0; i < R * P; ++i) combination.out[i] = Scalar(sum[i]);
}

}  // namespace landscape
