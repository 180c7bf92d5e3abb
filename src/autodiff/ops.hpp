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
Var linear(Graph& g, Var x /*[N,I]*/, Var w /*[O,I]*/);           // x w^T -> [N,O]
Var linear(Graph& g, Var x /*[N,I]*/, Var w /*[O,I]*/, Var b /*[O]*/);  // x w^T + b, fused
// When x is a constant (the data) with at least kSparseInputMinRows rows and at most a
// fraction kSparseInputMaxDensity of nonzeros, and w is finite, linear skips x's zeros
// (core/sparse_rows.hpp); the result is the same up to the order of the additions.
inline constexpr int kSparseInputMinRows = 48;
inline constexpr double kSparseInputMaxDensity = 0.25;
Var add_bias(Graph& g, Var x /*[N,F,...]*/, Var b /*[F]*/);       // x[n,f,...] + b[f]

// arithmetic.cpp
Var add(Graph& g, Var a, Var b);  // same shapes
Var mul(Graph& g, Var a, Var b);  // element-wise, same shapes

// activations.cpp
Var sigmoid(Graph& g, Var x);
Var tanh(Graph& g, Var x);
Var softplus(Graph& g, Var x);  // PyTorch's: log(1 + e^x), and x itself where x > 20
Var relu(Graph& g, Var x);

// losses.cpp: both return shape [1]
Var cross_entropy(Graph& g, Var logits /*[N,K]*/, std::vector<int> labels /*[N]*/);  // mean
Var mse(Graph& g, Var x, Var target);  // mean over all elements

// conv2d.cpp: stride 1, zero padding on every side
Var conv2d(Graph& g, Var x /*[N,C,H,W]*/, Var w /*[F,C,k,k]*/, int padding);
Var conv2d(Graph& g, Var x, Var w, Var b /*[F]*/, int padding);  // + b[f], fused

// lstm_layer.cpp: one LSTM layer (PyTorch's nn.LSTM: gates i,f,g,o, zero initial state) over the
// T = D / I steps of x, step t in columns t*I..t*I+I-1; returns the last hidden state [N,H].
// One op with its own backward (the fast path); _reference builds the same from the ops above.
Var lstm_layer(Graph& g, Var x /*[N,T*I]*/, Var w_ih /*[4H,I]*/, Var w_hh /*[4H,H]*/,
               Var b_ih /*[4H]*/, Var b_hh /*[4H]*/);
Var lstm_layer_reference(Graph& g, Var x, Var w_ih, Var w_hh, Var b_ih, Var b_hh);

// avgpool.cpp: 2x2 windows, stride 2 (H and W even)
Var avgpool2(Graph& g, Var x /*[N,C,H,W]*/);

// shape_ops.cpp
Var reshape(Graph& g, Var x, Shape shape);
Var slice_columns(Graph& g, Var x /*[N,D]*/, int start, int count);     // -> [N,count]
Var concat_columns(Graph& g, const std::vector<Var>& parts /*[N,D_i]*/); // -> [N,sum D_i]
Var permute_columns(Graph& g, Var x /*[N,D]*/, std::vector<int> perm);  // y[:,k] = x[:,perm[k]]

}  // namespace landscape
