// Losses: mean cross-entropy from logits (fused log-softmax + NLL) and mean squared error.
#include <algorithm>
#include <cmath>

#include "autodiff/ops.hpp"
#include "autodiff/sums.hpp"
#include "core/error.hpp"

namespace landscape {

namespace {
// -log softmax(z)_y for one row, accurate down to losses of 1e-9 and below.
// With m = max z and s = sum_k exp(z_k - m): loss = log s + m - z_y. When y is the argmax,
// s = 1 + (the rest), and log1p(rest) keeps the digits that log(s) would round away; this is
// exactly the regime of L-BFGS's 1e-8 training losses (NOTES section 8).
Accum row_cross_entropy(const Scalar* z, int K, int y) {
  const Scalar m = *std::max_element(z, z + K);
  Accum rest = 0;  // sum over k != y of exp(z_k - m)
  for (int k = 0; k < K; ++k)
    if (k != y) rest += std::exp(Accum(z[k]) - m);
  if (z[y] == m) return std::log1p(rest);
  return std::log(rest + std::exp(Accum(z[y]) - m)) + (Accum(m) - z[y]);
}
}  // namespace

Var cross_entropy(Graph& g, Var logits, std::vector<int> labels) {
  const Tensor& Z = g.value(logits);  // [N,K]
  if (Z.rank() != 2 || Z.dim(0) != static_cast<int>(labels.size()))
    throw Error("cross_entropy: logits " + shape_string(Z.shape()) + " with " +
                std::to_string(labels.size()) + " labels");
  const int N = Z.dim(0), K = Z.dim(1);
  Accum total = 0;
  for (int n = 0; n < N; ++n) {
    if (labels[n] < 0 || labels[n] >= K)
      throw Error("cross_entropy: label " + std::to_string(labels[n]) + " outside 0.." +
                  std::to_string(K - 1));
    total += row_cross_entropy(Z.data() + size_t(n) * K, K, labels[n]);
  }
  Var loss = g.record(Tensor({1}, {Scalar(total / N)}), {logits});
  g.set_backward(loss, [=, labels = std::move(labels)](Graph& g) {
    // loss = (1/N) sum_n -log p_n[y_n]  =>  dz[n,k] = dloss/N * (p_n[k] - [k == y_n])
    const Scalar scale = g.grad(loss)[0] / Scalar(N);
    const Tensor& Z = g.value(logits);
    Tensor& dZ = g.grad(logits);
    for (int n = 0; n < N; ++n) {
      const Scalar* z = Z.data() + size_t(n) * K;
      Scalar* dz = dZ.data() + size_t(n) * K;
      const Scalar m = *std::max_element(z, z + K);
      Accum s = 0;
      for (int k = 0; k < K; ++k) s += std::exp(Accum(z[k]) - m);
      Accum others = 0;  // sum of p_k over k != y, so that p_y - 1 = -others keeps its digits
      for (int k = 0; k < K; ++k) {
        const Accum p = std::exp(Accum(z[k]) - m) / s;
        if (k != labels[n]) {
          dz[k] += Scalar(scale * p);
          others += p;
        }
      }
      dz[labels[n]] += Scalar(-scale * others);
    }
  });
  return loss;
}

Var mse(Graph& g, Var x, Var target) {
  const Tensor& X = g.value(x);
  const Tensor& T = g.value(target);
  if (X.shape() != T.shape())
    throw Error("mse: prediction " + shape_string(X.shape()) + " and target " +
                shape_string(T.shape()) + " differ");
  const size_t n = X.size();
  const Accum total = squared_error_sum(X.data(), T.data(), n);
  Var loss = g.record(Tensor({1}, {Scalar(total / n)}), {x, target});
  g.set_backward(loss, [=](Graph& g) {
    // loss = (1/n) sum_i (x_i - t_i)^2  =>  dx_i = dloss * 2 (x_i - t_i) / n, dt_i = -dx_i
    const Scalar scale = Scalar(2) * g.grad(loss)[0] / Scalar(n);
    const Tensor& X = g.value(x);
    const Tensor& T = g.value(target);
    if (g.requires_grad(x)) {
      Tensor& dX = g.grad(x);
      for (size_t i = 0; i < n; ++i) dX[i] += scale * (X[i] - T[i]);
    }
    if (g.requires_grad(target)) {
      Tensor& dT = g.grad(target);
      for (size_t i = 0; i < n; ++i) dT[i] -= scale * (X[i] - T[i]);
    }
  });
  return loss;
}

}  // namespace landscape
