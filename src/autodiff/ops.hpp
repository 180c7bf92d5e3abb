// The differentiable ops. Each lives in a file named for it, its backward right below its
// forward and its tangent rules (R-operator, for Hessian-vector products: graph.hpp) right
// after. Composite computations (a model) are built from these and need no derivative code of
// their own; the one exception is lstm_layer, fused for speed and checked against its
// composition from these ops (lstm_layer_reference), which a tangent-mode graph uses instead.
//
// Shape legend: N batch rows, I input features, O output features, F features or filters,
// C channels, H x W image, k kernel side, K classes, D columns.
#pragma once

#include <vector>

#include "autodiff/graph.hpp"

namespace landscape {

// linear.cpp
Var linear(Graph& g, Var x /*[N,I]*/, Var w /*[O,I]*/);                 // x w^T -> [N,O]
Var linear(Graph& g, Var x /*[N,I]*/, Var w /*[O,I]*/, Var b /*[O]*/);  // x w^T + b, fused
// When x is a constant (the data) with at least kSparseInputMinRows rows and at most a
// fraction kSparseInputMaxDensity of nonzeros, and w is finite, linear skips x's zeros
// (core/sparse_rows.hpp); the result is the same up to the order of the additions.
inline constexpr int kSparseInputMinRows = 48;
inline constexpr double kSparseInputMaxDensity = 0.25;
Var add_bias(Graph& g, Var x /*[N,F,...]*/, Var b /*[F]*/);  // x[n,f,...] + b[f]

// arithmetic.cpp
Var add(Graph& g, Var a, Var b);  // same shapes
Var mul(Graph& g, Var a, Var b);  // element-wise, same shapes

// activations.cpp
Var sigmoid(Graph& g, Var x);
Var tanh(Graph& g, Var x);
Var softplus(Graph& g, Var x);  // PyTorch's: log(1 + e^x), and x itself where x > 20
Var relu(Graph& g, Var x);
// For described models (docs/algorithms.md §2.7), PyTorch's semantics; same shape as x.
// Softplus(beta, threshold): log(1 + e^(beta x)) / beta, and x where beta x > threshold.
Var softplus(Graph& g, Var x, double beta, double threshold);
Var leaky_relu(Graph& g, Var x, double negative_slope = 0.01);  // x (x > 0), negative_slope x
enum class GeluApproximation { None, Tanh };                    // PyTorch's approximate="none" / "tanh"
Var gelu(Graph& g, Var x, GeluApproximation approximate = GeluApproximation::None);  // x Phi(x)

// losses.cpp: both return shape [1]
Var cross_entropy(Graph& g, Var logits /*[N,K]*/, std::vector<int> labels /*[N]*/);  // mean
Var mse(Graph& g, Var x, Var target);                                                // mean over all elements

// conv2d.cpp: zero padding on every side, stride 1
Var conv2d(Graph& g, Var x /*[N,C,H,W]*/, Var w /*[F,C,k,k]*/, int padding);
Var conv2d(Graph& g, Var x, Var w, Var b /*[F]*/, int padding);  // + b[f], fused
// Any stride s >= 1 (PyTorch's Conv2d(stride=s, padding=p)): y [N,F,Ho,Wo], Ho = (H+2p-k)/s + 1,
// Wo = (W+2p-k)/s + 1 (floor); stride 1 is the op above.
Var conv2d(Graph& g, Var x /*[N,C,H,W]*/, Var w /*[F,C,k,k]*/, int padding, int stride);
Var conv2d(Graph& g, Var x, Var w, Var b /*[F]*/, int padding, int stride);

// lstm_layer.cpp: one LSTM layer (PyTorch's nn.LSTM: gates i,f,g,o, zero initial state) over the
// T = D / I steps of x, step t in columns t*I..t*I+I-1; returns the last hidden state [N,H].
// One op with its own backward (the fast path); _reference builds the same from the ops above.
Var lstm_layer(Graph& g, Var x /*[N,T*I]*/, Var w_ih /*[4H,I]*/, Var w_hh /*[4H,H]*/, Var b_ih /*[4H]*/,
               Var b_hh /*[4H]*/);
Var lstm_layer_reference(Graph& g, Var x, Var w_ih, Var w_hh, Var b_ih, Var b_hh);

// avgpool.cpp: 2x2 windows, stride 2 (H and W even)
Var avgpool2(Graph& g, Var x /*[N,C,H,W]*/);
// PyTorch's AvgPool2d(kernel, stride, padding) (count_include_pad, floor mode): k x k windows,
// zero padding counted in the k*k -> [N,C,Ho,Wo], Ho = (H+2p-kernel)/stride + 1 (same for Wo).
Var avgpool2d(Graph& g, Var x /*[N,C,H,W]*/, int kernel, int stride, int padding);

// maxpool.cpp: PyTorch's MaxPool2d(kernel, stride, padding) (floor mode, -inf padding, the
// first maximum of a window in row-major order takes the gradient) -> [N,C,Ho,Wo] as avgpool2d.
Var maxpool2d(Graph& g, Var x /*[N,C,H,W]*/, int kernel, int stride, int padding);

// shape_ops.cpp
Var reshape(Graph& g, Var x, Shape shape);
Var slice_columns(Graph& g, Var x /*[N,D]*/, int start, int count);       // -> [N,count]
Var concat_columns(Graph& g, const std::vector<Var>& parts /*[N,D_i]*/);  // -> [N,sum D_i]
Var permute_columns(Graph& g, Var x /*[N,D]*/, std::vector<int> perm);    // y[:,k] = x[:,perm[k]]

}  // namespace landscape
