// One LSTM layer over a whole sequence as a single op: PyTorch's nn.LSTM with one layer,
// batch_first, zero initial state, gate rows in the order i, f, g, o (docs/algorithms.md §2.1),
// returning the last hidden state. Per step t, with h_{-1} = c_{-1} = 0:
//   z_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh                                   [N,G]
//   i = sigma(z_t[:, 0:H])   f = sigma(z_t[:, H:2H])   g = tanh(z_t[:, 2H:3H])   o = sigma(z_t[:, 3H:4H])
//   c_t = f * c_{t-1} + i * g        h_t = o * tanh(c_t)
//
// Why one op: built from the primitive ops (lstm_layer_reference below, the twin the tests
// compare against) a step is ~20 graph nodes, and a full-batch LSTM gradient spent most of its
// time in column slices, bias rows, separate element-wise passes and their buffers rather than
// in the products (bench/README.md). Here the input products of all T steps are one gemm, each
// step is one recurrent gemm plus one pass over the gates, and backward mirrors it.
//
// Legend: N sequences, T steps, I inputs per step, H hidden units, G = 4H gate rows.
// Rows are indexed (n,t) -> n*T + t, so the input x [N, T*I] already is the matrix [N*T, I],
// and every per-step matrix is a strided view (row stride T*G or T*H) of a whole-sequence one.
#include <algorithm>
#include <cmath>
#include <vector>

#include "autodiff/ops.hpp"
#include "core/blas.hpp"
#include "core/error.hpp"
#include "core/vector_math.hpp"

namespace landscape {

using blas::Trans;

namespace {

inline Scalar sigmoid_of(Scalar v) { return Scalar(1) / (Scalar(1) + std::exp(-v)); }

// The cell of one sequence at one step. z [G] pre-activations in, act [G] (may be z itself)
// i, f, g, o out; c_prev [H] (nullptr at t = 0, where c_{-1} = 0); c, tc, h [H] out:
// c_t, tanh(c_t), h_t.
void cell_forward(int H, const Scalar* z, Scalar* act, const Scalar* c_prev, Scalar* c, Scalar* tc,
                  Scalar* h) {
#pragma omp simd
  for (int j = 0; j < 2 * H; ++j) act[j] = sigmoid_of(z[j]);  // i, f
#pragma omp simd
  for (int j = 2 * H; j < 3 * H; ++j) act[j] = std::tanh(z[j]);  // g
#pragma omp simd
  for (int j = 3 * H; j < 4 * H; ++j) act[j] = sigmoid_of(z[j]);  // o
  const Scalar *i = act, *f = act + H, *g = act + 2 * H;
  if (c_prev) {
#pragma omp simd
    for (int j = 0; j < H; ++j) c[j] = f[j] * c_prev[j] + i[j] * g[j];
  } else {
#pragma omp simd
    for (int j = 0; j < H; ++j) c[j] = i[j] * g[j];
  }
#pragma omp simd
  for (int j = 0; j < H; ++j) tc[j] = std::tanh(c[j]);
  const Scalar* o = act + 3 * H;
#pragma omp simd
  for (int j = 0; j < H; ++j) h[j] = o[j] * tc[j];
}

// Backward of cell_forward for one sequence at one step. dh [H] = dL/dh_t; dc [H] holds dL/dc_t
// from the later steps on entry and dL/dc_{t-1} on exit; dz [G] out = dL/dz_t.
//   h_t = o * tanh(c_t)          =>  do = dh tanh(c_t),   dc += dh o (1 - tanh(c_t)^2)
//   c_t = f * c_{t-1} + i * g    =>  di = dc g,  dg = dc i,  df = dc c_{t-1},  dc_{t-1} = dc f
//   i = sigma(z_i), g = tanh(z_g), ...  =>  dz_i = di i (1 - i),  dz_g = dg (1 - g^2), ...
// At t = 0 (c_prev nullptr) f multiplies c_{-1} = 0: dz_f = 0.
void cell_backward(int H, const Scalar* act, const Scalar* c_prev, const Scalar* tc, const Scalar* dh,
                   Scalar* dc, Scalar* dz) {
  const Scalar *i = act, *f = act + H, *g = act + 2 * H, *o = act + 3 * H;
#pragma omp simd
  for (int j = 0; j < H; ++j) {
    const Scalar dct = dc[j] + dh[j] * o[j] * (Scalar(1) - tc[j] * tc[j]);
    dz[j] = dct * g[j] * i[j] * (Scalar(1) - i[j]);
    dz[H + j] = c_prev ? dct * c_prev[j] * f[j] * (Scalar(1) - f[j]) : Scalar(0);
    dz[2 * H + j] = dct * i[j] * (Scalar(1) - g[j] * g[j]);
    dz[3 * H + j] = dh[j] * tc[j] * o[j] * (Scalar(1) - o[j]);
    dc[j] = dct * f[j];
  }
}

}  // namespace

Var lstm_layer(Graph& g, Var x, Var w_ih, Var w_hh, Var b_ih, Var b_hh) {
  // Tangent mode (Hessian-vector products, graph.hpp): the composition from the primitive ops
  // carries their tangent rules; R-operator rules for the fused step would repeat all of them
  // for a speed that Hessian work does not need.
  if (g.tangents()) return lstm_layer_reference(g, x, w_ih, w_hh, b_ih, b_hh);
  const Tensor& X = g.value(x);       // [N, T*I]
  const Tensor& Wih = g.value(w_ih);  // [G, I]
  const Tensor& Whh = g.value(w_hh);  // [G, H]
  const Tensor& Bih = g.value(b_ih);  // [G]
  const Tensor& Bhh = g.value(b_hh);  // [G]
  if (X.rank() != 2 || Wih.rank() != 2 || Wih.dim(0) % 4 != 0 || Whh.rank() != 2 ||
      Whh.dim(0) != Wih.dim(0) || Whh.dim(1) * 4 != Whh.dim(0) || Bih.rank() != 1 ||
      Bih.dim(0) != Wih.dim(0) || Bhh.shape() != Bih.shape() || Wih.dim(1) == 0 ||
      X.dim(1) % Wih.dim(1) != 0 || X.dim(1) == 0)
    throw Error("lstm_layer: input " + shape_string(X.shape()) + " with weights " +
                shape_string(Wih.shape()) + ", " + shape_string(Whh.shape()) + " and biases " +
                shape_string(Bih.shape()) + ", " + shape_string(Bhh.shape()));
  const int N = X.dim(0), G = Wih.dim(0), H = G / 4, I = Wih.dim(1), T = X.dim(1) / I;
  const int R = N * T;  // rows (n,t)

  // Saved for backward: act [R,G] i,f,g,o; c, tc [R,H] c_t and tanh(c_t); hp [R,H] h_{t-1}.
  Tensor act = Tensor::uninitialized({R, G});
  Tensor c = Tensor::uninitialized({R, H});
  Tensor tc = Tensor::uninitialized({R, H});
  Tensor hp = Tensor::uninitialized({R, H});
  Tensor Y = Tensor::uninitialized({N, H});  // h_{T-1}

  // z = x W_ih^T + b_ih + b_hh for every step at once; h_{t-1} W_hh^T is added step by step.
  blas::gemm(Trans::No, Trans::Yes, R, G, I, Scalar(1), X.data(), I, Wih.data(), I, Scalar(0), act.data(), G);
  for (int r = 0; r < R; ++r) {
    Scalar* z = act.data() + size_t(r) * G;
    const Scalar *bi = Bih.data(), *bh = Bhh.data();
#pragma omp simd
    for (int j = 0; j < G; ++j) z[j] = z[j] + bi[j] + bh[j];
  }
  for (int n = 0; n < N; ++n)  // h_{-1} = 0
    std::fill_n(hp.data() + size_t(n) * T * H, H, Scalar(0));
  for (int t = 0; t < T; ++t) {
    Scalar* z_t = act.data() + size_t(t) * G;  // row (0,t); row (n,t) is n*T*G further
    if (t > 0)                                 // z_t += h_{t-1} W_hh^T
      blas::gemm(Trans::No, Trans::Yes, N, G, H, Scalar(1), hp.data() + size_t(t) * H, T * H, Whh.data(), H,
                 Scalar(1), z_t, T * G);
    for (int n = 0; n < N; ++n) {
      const size_t r = size_t(n) * T + t;
      Scalar* h_out = t + 1 < T ? hp.data() + (r + 1) * H : Y.data() + size_t(n) * H;
      cell_forward(H, act.data() + r * G, act.data() + r * G, t > 0 ? c.data() + (r - 1) * H : nullptr,
                   c.data() + r * H, tc.data() + r * H, h_out);
    }
  }

  Var y = g.record("lstm_layer", std::move(Y), {x, w_ih, w_hh, b_ih, b_hh});
  g.set_backward(y, [=](Graph& g) {
    const Tensor& dY = g.grad(y);  // [N,H] dL/dh_{T-1}
    Tensor dz = Tensor::uninitialized({R, G});
    std::vector<Scalar> dh(dY.data(), dY.data() + size_t(N) * H);  // dL/dh_t, [N,H]
    std::vector<Scalar> dc(size_t(N) * H, Scalar(0));              // dL/dc_t, [N,H]
    for (int t = T - 1; t >= 0; --t) {
      for (int n = 0; n < N; ++n) {
        const size_t r = size_t(n) * T + t;
        cell_backward(H, act.data() + r * G, t > 0 ? c.data() + (r - 1) * H : nullptr, tc.data() + r * H,
                      dh.data() + size_t(n) * H, dc.data() + size_t(n) * H, dz.data() + r * G);
      }
      // z_t = ... + h_{t-1} W_hh^T  =>  dh_{t-1} = dz_t W_hh
      if (t > 0)
        blas::gemm(Trans::No, Trans::No, N, H, G, Scalar(1), dz.data() + size_t(t) * G, T * G,
                   g.value(w_hh).data(), H, Scalar(0), dh.data(), H);
    }
    // Summed over all steps at once: dW_ih += dz^T x,  dW_hh += dz^T h_{t-1} (rows with
    // t = 0 have h_{-1} = 0 and add exact zeros),  db_ih = db_hh += column sums of dz,
    // dx += dz W_ih.
    if (g.requires_grad(w_ih))
      blas::gemm(Trans::Yes, Trans::No, G, I, R, Scalar(1), dz.data(), G, g.value(x).data(), I, Scalar(1),
                 g.grad(w_ih).data(), I);
    if (g.requires_grad(w_hh))
      blas::gemm(Trans::Yes, Trans::No, G, H, R, Scalar(1), dz.data(), G, hp.data(), H, Scalar(1),
                 g.grad(w_hh).data(), H);
    if (g.requires_grad(b_ih) || g.requires_grad(b_hh)) {
      std::vector<Scalar> sum(G, Scalar(0));
      for (int r = 0; r < R; ++r) {
        const Scalar* row = dz.data() + size_t(r) * G;
#pragma omp simd
        for (int j = 0; j < G; ++j) sum[j] += row[j];
      }
      for (Var b : {b_ih, b_hh})
        if (g.requires_grad(b)) {
          Scalar* db = g.grad(b).data();
          for (int j = 0; j < G; ++j) db[j] += sum[j];
        }
    }
    if (g.requires_grad(x))
      blas::gemm(Trans::No, Trans::No, R, I, G, Scalar(1), dz.data(), G, g.value(w_ih).data(), I, Scalar(1),
                 g.grad(x).data(), I);
  });
  return y;
}

Var lstm_layer_reference(Graph& g, Var x, Var w_ih, Var w_hh, Var b_ih, Var b_hh) {
  const int G = g.value(w_ih).dim(0), H = G / 4, I = g.value(w_ih).dim(1);
  const int T = g.value(x).dim(1) / I;
  Var h{}, c{};
  for (int t = 0; t < T; ++t) {
    Var x_t = slice_columns(g, x, t * I, I);               // [N,I]
    Var gates = linear(g, x_t, w_ih);                      // [N,G]
    if (t > 0) gates = add(g, gates, linear(g, h, w_hh));  // h_{-1} = 0 adds nothing
    gates = add_bias(g, add_bias(g, gates, b_ih), b_hh);
    Var i = sigmoid(g, slice_columns(g, gates, 0 * H, H));
    Var f = sigmoid(g, slice_columns(g, gates, 1 * H, H));
    Var gg = tanh(g, slice_columns(g, gates, 2 * H, H));
    Var o = sigmoid(g, slice_columns(g, gates, 3 * H, H));
    c = t > 0 ? add(g, mul(g, f, c), mul(g, i, gg)) : mul(g, i, gg);  // c_{-1} = 0
    h = mul(g, o, tanh(g, c));                                        // [N,H]
  }
  return h;
}

}  // namespace landscape
