// Ops that move values without arithmetic: reshape, column slices, concatenation and
// permutation of columns (the LSTM reads its 28 time steps as column blocks of a permuted image).
// Each is linear, so its tangent rules (graph.hpp) are the op itself: R{y} is the forward move
// applied to R{x}, R{dx} the backward move applied to R{dy}.
#include <cstring>
#include <memory>

#include "autodiff/ops.hpp"
#include "core/error.hpp"

namespace landscape {

Var reshape(Graph& g, Var x, Shape shape) {
  // The same storage under a new shape: a graph never changes a value once recorded.
  Tensor Y = g.value(x).reshaped(shape);
  Var y = g.record("reshape", std::move(Y), {x});
  // same elements in the same order  =>  dx = dy
  auto adjoint = [](const Tensor& dY, Tensor& dX) {
    for (size_t i = 0; i < dY.size(); ++i) dX[i] += dY[i];
  };
  g.set_linear_rules(
      y, x, [=](const Tensor& X) { return X.reshaped(shape); }, adjoint);
  return y;
}

Var slice_columns(Graph& g, Var x, int start, int count) {
  const Tensor& X = g.value(x);  // [N,D]
  if (X.rank() != 2 || start < 0 || count < 0 || start + count > X.dim(1))
    throw Error("slice_columns: columns " + std::to_string(start) + ".." + std::to_string(start + count) +
                " of " + shape_string(X.shape()));
  const int N = X.dim(0), D = X.dim(1);
  auto slice = [=](const Tensor& X) {
    Tensor Y = Tensor::uninitialized({N, count});
    for (int n = 0; n < N; ++n)
      std::memcpy(Y.data() + size_t(n) * count, X.data() + size_t(n) * D + start, sizeof(Scalar) * count);
    return Y;
  };
  Var y = g.record("slice_columns", slice(X), {x});
  // y[n,j] = x[n,start+j]  =>  dx[n,start+j] += dy[n,j]
  auto adjoint = [=](const Tensor& dY, Tensor& dX) {
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < count; ++j) dX[size_t(n) * D + start + j] += dY[size_t(n) * count + j];
  };
  g.set_linear_rules(y, x, slice, adjoint);
  return y;
}

Var concat_columns(Graph& g, const std::vector<Var>& parts) {
  if (parts.empty()) throw Error("concat_columns: nothing to concatenate");
  const int N = g.value(parts[0]).dim(0);
  std::vector<int> offsets, widths;
  int D = 0;
  for (Var p : parts) {
    const Tensor& P = g.value(p);
    if (P.rank() != 2 || P.dim(0) != N)
      throw Error("concat_columns: part " + shape_string(P.shape()) + " does not have " + std::to_string(N) +
                  " rows");
    offsets.push_back(D);
    widths.push_back(P.dim(1));
    D += P.dim(1);
  }
  // y [N,D] from the parts' tensors (an empty one: a part without a tangent, all zeros)
  auto concat = [=](const std::vector<const Tensor*>& P) {
    Tensor Y({N, D});
    for (size_t i = 0; i < P.size(); ++i) {
      if (!P[i]) continue;
      const int w = widths[i];
      for (int n = 0; n < N; ++n)
        std::memcpy(Y.data() + size_t(n) * D + offsets[i], P[i]->data() + size_t(n) * w, sizeof(Scalar) * w);
    }
    return Y;
  };
  std::vector<const Tensor*> values;
  for (Var p : parts) values.push_back(&g.value(p));
  Var y = g.record("concat_columns", concat(values), parts);
  // each part is a block of columns of y  =>  dpart = that block of dy
  auto adjoint = [=](const Tensor& dY, size_t i, Tensor& dP) {
    const int w = widths[i];
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < w; ++j) dP[size_t(n) * w + j] += dY[size_t(n) * D + offsets[i] + j];
  };
  g.set_backward(y, [=](Graph& g) {
    for (size_t i = 0; i < parts.size(); ++i)
      if (g.requires_grad(parts[i])) adjoint(g.grad(y), i, g.grad(parts[i]));
  });
  g.set_tangent_rules(
      y,
      [=](Graph& g) {
        std::vector<const Tensor*> tangents;
        for (Var p : parts) tangents.push_back(g.requires_grad(p) ? &g.tangent(p) : nullptr);
        return concat(tangents);
      },
      [=](Graph& g) {
        for (size_t i = 0; i < parts.size(); ++i)
          if (g.requires_grad(parts[i])) adjoint(g.grad_tangent(y), i, g.grad_tangent(parts[i]));
      });
  return y;
}

Var permute_columns(Graph& g, Var x, std::vector<int> perm_in) {
  const Tensor& X = g.value(x);  // [N,D]
  if (X.rank() != 2 || static_cast<int>(perm_in.size()) != X.dim(1))
    throw Error("permute_columns: permutation of " + std::to_string(perm_in.size()) + " entries for " +
                shape_string(X.shape()));
  const int N = X.dim(0), D = X.dim(1);
  for (int p : perm_in)
    if (p < 0 || p >= D) throw Error("permute_columns: index " + std::to_string(p) + " out of range");
  // Shared by the forward and backward moves (one copy, kept alive by their closures).
  const auto perm = std::make_shared<const std::vector<int>>(std::move(perm_in));
  auto permute = [=](const Tensor& X) {
    Tensor Y = Tensor::uninitialized({N, D});
    const int* pk = perm->data();
    for (int n = 0; n < N; ++n) {
      const Scalar* in = X.data() + size_t(n) * D;
      Scalar* out = Y.data() + size_t(n) * D;
      for (int k = 0; k < D; ++k) out[k] = in[pk[k]];
    }
    return Y;
  };
  Var y = g.record("permute_columns", permute(X), {x});
  // y[n,k] = x[n,perm[k]]  =>  dx[n,perm[k]] += dy[n,k]
  auto adjoint = [=](const Tensor& dY, Tensor& dX) {
    const int* pk = perm->data();
    for (int n = 0; n < N; ++n)
      for (int k = 0; k < D; ++k) dX[size_t(n) * D + pk[k]] += dY[size_t(n) * D + k];
  };
  g.set_linear_rules(y, x, permute, adjoint);
  return y;
}

}  // namespace landscape
