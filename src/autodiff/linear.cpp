// Fully connected layer, PyTorch's nn.Linear convention: weight [O,I], y = x w^T.
// Tangent rules (graph.hpp): y is bilinear in (x, w) and linear in b, so
//   R{y} = R{x} w^T + x R{w}^T + R{b},
// and the backward's products, applied once to R{dy} and once to dy with R{x} / R{w} in place
// of x / w, give R{dx}, R{dw}, R{db}.
#include <algorithm>
#include <memory>
#include <vector>

#include "autodiff/ops.hpp"
#include "core/blas.hpp"
#include "core/error.hpp"
#include "core/sparse_rows.hpp"

namespace landscape {

using blas::Trans;

namespace {
// y [N,O] += x [N,I] w^T [I,O]
void add_product(int N, int I, int O, const Scalar* x, const Scalar* w, Scalar* y) {
  blas::gemm(Trans::No, Trans::Yes, N, O, I, Scalar(1), x, I, w, I, Scalar(1), y, O);
}

// y = x w^T + b  =>  dx += dy w  (dx may be nullptr: not wanted)
void add_input_adjoint(int N, int I, int O, const Scalar* dy, const Scalar* w, Scalar* dx) {
  if (dx) blas::gemm(Trans::No, Trans::No, N, I, O, Scalar(1), dy, O, w, I, Scalar(1), dx, I);
}

// y = x w^T + b  =>  dw += dy^T x  (dw may be nullptr)
void add_weight_adjoint(int N, int I, int O, const Scalar* dy, const Scalar* x, Scalar* dw) {
  if (dw) blas::gemm(Trans::Yes, Trans::No, O, I, N, Scalar(1), dy, O, x, I, Scalar(1), dw, I);
}

// rows [N,O]: out[o] += sum over n of rows[n, o]
void add_column_sums(int N, int O, const Scalar* rows, Scalar* out) {
  for (int n = 0; n < N; ++n) {
    const Scalar* row = rows + size_t(n) * O;
#pragma omp simd
    for (int o = 0; o < O; ++o) out[o] += row[o];
  }
}

// y [N,O] += b [O] in every row
void add_rows(int N, int O, const Scalar* b, Scalar* y) {
  for (int n = 0; n < N; ++n) {
    Scalar* row = y + size_t(n) * O;
#pragma omp simd
    for (int o = 0; o < O; ++o) row[o] += b[o];
  }
}

// The thresholds (ops.hpp), measured on this machine with MNIST images, forward and weight
// gradient, 50 outputs, one thread: sparse 0.28 ms and dense (OpenBLAS) 0.44 ms for 256
// images; level at about 32 images (the sparse path pays for transposing the weight and its
// gradient); sparse 20% faster at 48. With nonzeros at random places instead of MNIST's
// clustered strokes, 1,024 images: level at 25% nonzeros, sparse 20% slower at 30%.
//
// The nonzeros of x when the layer may skip its zeros, else nullptr. Only for an input that
// needs no gradient (the data): dx would be dense anyway. Only for finite weights: a dense
// product turns inf * 0 into NaN, and a skipped zero must not hide an inf or NaN weight.
std::shared_ptr<const SparseRows> sparse_input(const Graph& g, Var x, const Tensor& W) {
  const Tensor& X = g.value(x);
  if (g.requires_grad(x) || X.dim(0) < kSparseInputMinRows) return nullptr;
  // 0 * w is NaN exactly when w is inf or NaN, and a NaN stays in a sum: one vectorised pass
  // (a loop through the Tensor returning at the first non-finite weight compiled to gathers
  // and took 9% of an FCP SGD step).
  const Scalar* w = W.data();
  Scalar zero_unless_nonfinite = 0;
#pragma omp simd reduction(+ : zero_unless_nonfinite)
  for (size_t i = 0; i < W.size(); ++i) zero_unless_nonfinite += Scalar(0) * w[i];
  if (zero_unless_nonfinite != 0) return nullptr;
  auto rows = std::make_shared<SparseRows>(SparseRows::of(X.data(), X.dim(0), X.dim(1)));
  if (rows->density() > kSparseInputMaxDensity) return nullptr;
  return rows;
}

// y = x w^T (+ b, nullptr: none). With a bias, y starts as copies of b and the product is added
// into it (one pass fewer than a separate add_bias); db is the column sum of dy.
Var linear_with_optional_bias(Graph& g, Var x, Var w, const Var* b) {
  const Tensor& X = g.value(x);  // [N,I]
  const Tensor& W = g.value(w);  // [O,I]
  if (X.rank() != 2 || W.rank() != 2 || X.dim(1) != W.dim(1))
    throw Error("linear: input " + shape_string(X.shape()) + " does not fit weight " +
                shape_string(W.shape()));
  if (b && (g.value(*b).rank() != 1 || g.value(*b).dim(0) != W.dim(0)))
    throw Error("linear: bias " + shape_string(g.value(*b).shape()) + " for weight " +
                shape_string(W.shape()));
  const int N = X.dim(0), I = X.dim(1), O = W.dim(0);
  Tensor Y = Tensor::uninitialized({N, O});
  if (b) {
    const Scalar* bias = g.value(*b).data();
    for (int n = 0; n < N; ++n) std::copy(bias, bias + O, Y.data() + size_t(n) * O);
  }
  std::shared_ptr<const SparseRows> sparse = sparse_input(g, x, W);
  if (sparse) {
    if (!b) Y.fill(Scalar(0));
    add_sparse_input_product(*sparse, W.data(), O, Y.data());
  } else {
    blas::gemm(Trans::No, Trans::Yes, N, O, I, Scalar(1), X.data(), I, W.data(), I, Scalar(b ? 1 : 0),
               Y.data(), O);
  }
  std::vector<Var> inputs = {x, w};
  if (b) inputs.push_back(*b);
  Var y = g.record("linear", std::move(Y), inputs);
  const Var bv = b ? *b : Var{};
  // The buffer of an input's gradient (or of its R{}), nullptr when it needs none.
  auto sink = [](Graph& g, Var v, bool tangent) -> Scalar* {
    if (v.id < 0 || !g.requires_grad(v)) return nullptr;
    return (tangent ? g.grad_tangent(v) : g.grad(v)).data();
  };
  g.set_backward(y, [=](Graph& g) {
    const Scalar* dY = g.grad(y).data();  // [N,O]
    // y = x w^T + b  =>  dx = dy w,  dw += dy^T x,  db += sum over n of dy[n, :]
    add_input_adjoint(N, I, O, dY, g.value(w).data(), sink(g, x, false));
    if (Scalar* dw = sink(g, w, false); dw && sparse)
      add_sparse_input_weight_adjoint(*sparse, dY, O, dw);
    else
      add_weight_adjoint(N, I, O, dY, g.value(x).data(), dw);
    if (Scalar* db = sink(g, bv, false)) add_column_sums(N, O, dY, db);
  });
  g.set_tangent_rules(
      y,
      [=](Graph& g) {  // R{y} = R{x} w^T + x R{w}^T + R{b}
        Tensor T({N, O});
        if (g.requires_grad(x)) add_product(N, I, O, g.tangent(x).data(), g.value(w).data(), T.data());
        if (g.requires_grad(w)) add_product(N, I, O, g.value(x).data(), g.tangent(w).data(), T.data());
        if (bv.id >= 0 && g.requires_grad(bv)) add_rows(N, O, g.tangent(bv).data(), T.data());
        return T;
      },
      [=](Graph& g) {
        // dx = dy w      =>  R{dx} += R{dy} w + dy R{w}
        // dw = dy^T x    =>  R{dw} += R{dy}^T x + dy^T R{x}
        // db = sum_n dy  =>  R{db} += sum_n R{dy}
        const Scalar* dY = g.grad(y).data();
        const Scalar* rdY = g.grad_tangent(y).data();
        Scalar* rdx = sink(g, x, true);
        Scalar* rdw = sink(g, w, true);
        add_input_adjoint(N, I, O, rdY, g.value(w).data(), rdx);
        if (rdw) add_input_adjoint(N, I, O, dY, g.tangent(w).data(), rdx);
        add_weight_adjoint(N, I, O, rdY, g.value(x).data(), rdw);
        if (rdx) add_weight_adjoint(N, I, O, dY, g.tangent(x).data(), rdw);
        if (Scalar* rdb = sink(g, bv, true)) add_column_sums(N, O, rdY, rdb);
      });
  return y;
}
}  // namespace

Var linear(Graph& g, Var x, Var w) { return linear_with_optional_bias(g, x, w, nullptr); }

Var linear(Graph& g, Var x, Var w, Var b) { return linear_with_optional_bias(g, x, w, &b); }

Var add_bias(Graph& g, Var x, Var b) {
  const Tensor& X = g.value(x);  // [N,F,S...]
  const Tensor& B = g.value(b);  // [F]
  if (X.rank() < 2 || B.rank() != 1 || X.dim(1) != B.dim(0))
    throw Error("add_bias: input " + shape_string(X.shape()) + " does not fit bias " +
                shape_string(B.shape()));
  const int N = X.dim(0), F = X.dim(1);
  const int S = static_cast<int>(X.size() / (size_t(N) * F));  // spatial size, 1 for [N,F]
  // y [N,F,S] += b[f] at every n, s
  auto add_channels = [=](const Tensor& bias, Tensor& y) {
    for (int n = 0; n < N; ++n)
      for (int f = 0; f < F; ++f) {
        Scalar* row = y.data() + (size_t(n) * F + f) * S;
        for (int s = 0; s < S; ++s) row[s] += bias[f];
      }
  };
  Tensor Y = X.clone();
  add_channels(B, Y);
  Var y = g.record("add_bias", std::move(Y), {x, b});
  // y = x + b[f]  =>  dx = dy,  db[f] += sum over n and s of dy[n,f,s]; the op is linear in
  // (x, b), so the same map takes R{dy} to R{dx} and R{db}.
  auto adjoint = [=](const Tensor& dY, Tensor* dX, Tensor* dB) {
    if (dX)
      for (size_t i = 0; i < dY.size(); ++i) (*dX)[i] += dY[i];
    if (dB)
      for (int n = 0; n < N; ++n)
        for (int f = 0; f < F; ++f) {
          const Scalar* row = dY.data() + (size_t(n) * F + f) * S;
          Scalar sum = 0;
          for (int s = 0; s < S; ++s) sum += row[s];
          (*dB)[f] += sum;
        }
  };
  g.set_backward(y, [=](Graph& g) {
    adjoint(g.grad(y), g.requires_grad(x) ? &g.grad(x) : nullptr, g.requires_grad(b) ? &g.grad(b) : nullptr);
  });
  g.set_tangent_rules(
      y,
      [=](Graph& g) {  // R{y} = R{x} + R{b}[f]
        Tensor T = g.requires_grad(x) ? g.tangent(x).clone() : Tensor(g.value(y).shape());
        if (g.requires_grad(b)) add_channels(g.tangent(b), T);
        return T;
      },
      [=](Graph& g) {
        adjoint(g.grad_tangent(y), g.requires_grad(x) ? &g.grad_tangent(x) : nullptr,
                g.requires_grad(b) ? &g.grad_tangent(b) : nullptr);
      });
  return y;
}

}  // namespace landscape
