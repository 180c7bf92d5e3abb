// Losses: mean cross-entropy from logits (fused log-softmax + NLL) and mean squared error,
// each with its tangent rules (graph.hpp) right after its backward.
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "autodiff/ops.hpp"
#include "autodiff/sums.hpp"
#include "core/error.hpp"

namespace landscape {

namespace {
// -log softmax(z)_y for one row, accurate down to losses of 1e-9 and below.
// With m = max z and s = sum_k exp(z_k - m): loss = log s + m - z_y. When y is the argmax,
// s = 1 + (the rest), and log1p(rest) keeps the digits that log(s) would round away; this is
// exactly the regime of L-BFGS's 1e-8 training losses (docs/algorithms.md §8.1).
Accum row_cross_entropy(const Scalar* z, int K, int y) {
  const Scalar m = *std::max_element(z, z + K);
  Accum rest = 0;  // sum over k != y of exp(z_k - m)
  for (int k = 0; k < K; ++k)
    if (k != y) rest += std::exp(Accum(z[k]) - m);
  if (z[y] == m) return std::log1p(rest);
  return std::log(rest + std::exp(Accum(z[y]) - m)) + (Accum(m) - z[y]);
}

// q [K] = softmax(z) - onehot(y) for one row: q_k = p_k (k != y) and q_y = p_y - 1 written as
// -(sum of the other p_k), which keeps its digits when p_y is close to 1.
void softmax_minus_label(const Scalar* z, int K, int y, Accum* q) {
  const Scalar m = *std::max_element(z, z + K);
  Accum s = 0;
  for (int k = 0; k < K; ++k) s += std::exp(Accum(z[k]) - m);
  Accum others = 0;
  for (int k = 0; k < K; ++k) {
    const Accum p = std::exp(Accum(z[k]) - m) / s;
    q[k] = p;
    if (k != y) others += p;
  }
  q[y] = -others;
}
}  // namespace

Var cross_entropy(Graph& g, Var logits, std::vector<int> labels_in) {
  // Shared by the backward and the tangent rules (kept alive by the closures that use it).
  const auto labels_ptr = std::make_shared<const std::vector<int>>(std::move(labels_in));
  const std::vector<int>& labels = *labels_ptr;
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
  Var loss = g.record("cross_entropy", Tensor({1}, {Scalar(total / N)}), {logits});
  g.set_backward(loss, [=](Graph& g) {
    // loss = (1/N) sum_n -log p_n[y_n]  =>  dz[n,k] = dloss/N * (p_n[k] - [k == y_n])
    const Scalar scale = g.grad(loss)[0] / Scalar(N);
    const Tensor& Z = g.value(logits);
    Tensor& dZ = g.grad(logits);
    std::vector<Accum> q(K);
    for (int n = 0; n < N; ++n) {
      softmax_minus_label(Z.data() + size_t(n) * K, K, (*labels_ptr)[n], q.data());
      Scalar* dz = dZ.data() + size_t(n) * K;
      for (int k = 0; k < K; ++k) dz[k] += Scalar(scale * q[k]);
    }
  });
  g.set_tangent_rules(
      loss,
      [=](Graph& g) {  // R{loss} = (1/N) sum_n (p_n - e_{y_n}) . R{z_n}
        const Tensor& Z = g.value(logits);
        const Tensor& RZ = g.tangent(logits);
        std::vector<Accum> q(K);
        Accum sum = 0;
        for (int n = 0; n < N; ++n) {
          softmax_minus_label(Z.data() + size_t(n) * K, K, (*labels_ptr)[n], q.data());
          for (int k = 0; k < K; ++k) sum += q[k] * RZ[size_t(n) * K + k];
        }
        return Tensor({1}, {Scalar(sum / N)});
      },
      [=](Graph& g) {
        // dz_n = dloss/N (p_n - e_y)  =>
        //   R{dz_n} += R{dloss}/N (p_n - e_y) + dloss/N (diag(p_n) - p_n p_n^T) R{z_n},
        // the softmax Jacobian applied as p_k (R{z_k} - p.R{z}), with p.R{z} written as
        // R{z_y} + sum_{k != y} p_k (R{z_k} - R{z_y}) (exact since sum p = 1): near a minimum
        // p_y is 1 to many digits and this keeps the small differences that matter.
        const Accum scale = Accum(g.grad(loss)[0]) / N;
        const Accum rscale = Accum(g.grad_tangent(loss)[0]) / N;
        const Tensor& Z = g.value(logits);
        const Tensor& RZ = g.tangent(logits);
        Tensor& RdZ = g.grad_tangent(logits);
        std::vector<Accum> q(K);
        for (int n = 0; n < N; ++n) {
          const int y = (*labels_ptr)[n];
          softmax_minus_label(Z.data() + size_t(n) * K, K, y, q.data());
          const Scalar* rz = RZ.data() + size_t(n) * K;
          Accum mean = 0;  // p.R{z} - R{z_y}
          for (int k = 0; k < K; ++k)
            if (k != y) mean += q[k] * (Accum(rz[k]) - rz[y]);
          Scalar* rdz = RdZ.data() + size_t(n) * K;
          for (int k = 0; k < K; ++k) {
            // p_k (R{z_k} - p.R{z}) = p_k ((R{z_k} - R{z_y}) - mean); p_y = 1 + q_y
            const Accum p = k == y ? 1 + q[k] : q[k];
            const Accum jv = p * ((Accum(rz[k]) - rz[y]) - mean);
            rdz[k] += Scalar(rscale * q[k] + scale * jv);
          }
        }
      });
  return loss;
}

Var mse(Graph& g, Var x, Var target) {
  const Tensor& X = g.value(x);
  const Tensor& T = g.value(target);
  if (X.shape() != T.shape())
    throw Error("mse: prediction " + shape_string(X.shape()) + " and target " + shape_string(T.shape()) +
                " differ");
  const size_t n = X.size();
  const Accum total = squared_error_sum(X.data(), T.data(), n);
  Var loss = g.record("mse", Tensor({1}, {Scalar(total / n)}), {x, target});
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
  // R{x - t}_i, the tangent of the residual (R{} of an input without a gradient is 0).
  auto residual_tangent = [=](Graph& g) {
    std::vector<Scalar> r(n, Scalar(0));
    if (g.requires_grad(x))
      for (size_t i = 0; i < n; ++i) r[i] += g.tangent(x)[i];
    if (g.requires_grad(target))
      for (size_t i = 0; i < n; ++i) r[i] -= g.tangent(target)[i];
    return r;
  };
  g.set_tangent_rules(
      loss,
      [=](Graph& g) {  // R{loss} = (2/n) sum_i (x_i - t_i) R{x_i - t_i}
        const std::vector<Scalar> r = residual_tangent(g);
        const Tensor& X = g.value(x);
        const Tensor& T = g.value(target);
        Accum sum = 0;
        for (size_t i = 0; i < n; ++i) sum += (Accum(X[i]) - T[i]) * r[i];
        return Tensor({1}, {Scalar(2 * sum / n)});
      },
      [=](Graph& g) {
        // dx_i = dloss 2 (x_i - t_i) / n  =>
        //   R{dx_i} = R{dloss} 2 (x_i - t_i) / n + dloss 2 R{x_i - t_i} / n,   R{dt_i} = -R{dx_i}
        const Scalar scale = Scalar(2) * g.grad(loss)[0] / Scalar(n);
        const Scalar rscale = Scalar(2) * g.grad_tangent(loss)[0] / Scalar(n);
        const std::vector<Scalar> r = residual_tangent(g);
        const Tensor& X = g.value(x);
        const Tensor& T = g.value(target);
        for (Var in : {x, target}) {
          if (!g.requires_grad(in)) continue;
          const Scalar sign = in.id == x.id ? Scalar(1) : Scalar(-1);
          Tensor& R = g.grad_tangent(in);
          for (size_t i = 0; i < n; ++i) R[i] += sign * (rscale * (X[i] - T[i]) + scale * r[i]);
        }
      });
  return loss;
}

}  // namespace landscape
