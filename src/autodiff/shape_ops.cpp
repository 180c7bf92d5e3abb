// Ops that move values without arithmetic: reshape, column slices, concatenation and
// permutation of columns (the LSTM reads its 28 time steps as column blocks of a permuted image).
#include <cstring>

#include "autodiff/ops.hpp"
#include "core/error.hpp"

namespace landscape {

Var reshape(Graph& g, Var x, Shape shape) {
  // The same storage under a new shape: a graph never changes a value once recorded.
  Tensor Y = g.value(x).reshaped(std::move(shape));
  Var y = g.record(std::move(Y), {x});
  g.set_backward(y, [=](Graph& g) {
    // same elements in the same order  =>  dx = dy
    const Tensor& dY = g.grad(y);
    Tensor& dX = g.grad(x);
    for (size_t i = 0; i < dY.size(); ++i) dX[i] += dY[i];
  });
  return y;
}

Var slice_columns(Graph& g, Var x, int start, int count) {
  const Tensor& X = g.value(x);  // [N,D]
  if (X.rank() != 2 || start < 0 || count < 0 || start + count > X.dim(1))
    throw Error("slice_columns: columns " + std::to_string(start) + ".." +
                std::to_string(start + count) + " of " + shape_string(X.shape()));
  const int N = X.dim(0), D = X.dim(1);
  Tensor Y = Tensor::uninitialized({N, count});
  for (int n = 0; n < N; ++n)
    std::memcpy(Y.data() + size_t(n) * count, X.data() + size_t(n) * D + start,
                sizeof(Scalar) * count);
  Var y = g.record(std::move(Y), {x});
  g.set_backward(y, [=](Graph& g) {
    // y[n,j] = x[n,start+j]  =>  dx[n,start+j] += dy[n,j]
    const Tensor& dY = g.grad(y);
    Tensor& dX = g.grad(x);
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < count; ++j) dX[size_t(n) * D + start + j] += dY[size_t(n) * count + j];
  });
  return y;
}

Var concat_columns(Graph& g, const std::vector<Var>& parts) {
  if (parts.empty()) throw Error("concat_columns: nothing to concatenate");
  const int N = g.value(parts[0]).dim(0);
  std::vector<int> offsets;
  int D = 0;
  for (Var p : parts) {
    const Tensor& P = g.value(p);
    if (P.rank() != 2 || P.dim(0) != N)
      throw Error("concat_columns: part " + shape_string(P.shape()) + " does not have " +
                  std::to_string(N) + " rows");
    offsets.push_back(D);
    D += P.dim(1);
  }
  Tensor Y = Tensor::uninitialized({N, D});
  for (size_t i = 0; i < parts.size(); ++i) {
    const Tensor& P = g.value(parts[i]);
    const int w = P.dim(1);
    for (int n = 0; n < N; ++n)
      std::memcpy(Y.data() + size_t(n) * D + offsets[i], P.data() + size_t(n) * w,
                  sizeof(Scalar) * w);
  }
  Var y = g.record(std::move(Y), parts);
  g.set_backward(y, [=](Graph& g) {
    // each part is a block of columns of y  =>  dpart = that block of dy
    const Tensor& dY = g.grad(y);
    for (size_t i = 0; i < parts.size(); ++i) {
      if (!g.requires_grad(parts[i])) continue;
      Tensor& dP = g.grad(parts[i]);
      const int w = dP.dim(1);
      for (int n = 0; n < N; ++n)
        for (int j = 0; j < w; ++j) dP[size_t(n) * w + j] += dY[size_t(n) * D + offsets[i] + j];
    }
  });
  return y;
}

Var permute_columns(Graph& g, Var x, std::vector<int> perm) {
  const Tensor& X = g.value(x);  // [N,D]
  if (X.rank() != 2 || static_cast<int>(perm.size()) != X.dim(1))
    throw Error("permute_columns: permutation of " + std::to_string(perm.size()) +
                " entries for " + shape_string(X.shape()));
  const int N = X.dim(0), D = X.dim(1);
  for (int p : perm)
    if (p < 0 || p >= D) throw Error("permute_columns: index " + std::to_string(p) + " out of range");
  Tensor Y = Tensor::uninitialized({N, D});
  for (int n = 0; n < N; ++n) {
    const Scalar* in = X.data() + size_t(n) * D;
    Scalar* out = Y.data() + size_t(n) * D;
    for (int k = 0; k < D; ++k) out[k] = in[perm[k]];
  }
  Var y = g.record(std::move(Y), {x});
  g.set_backward(y, [=, perm = std::move(perm)](Graph& g) {
    // y[n,k] = x[n,perm[k]]  =>  dx[n,perm[k]] += dy[n,k]
    const Tensor& dY = g.grad(y);
    Tensor& dX = g.grad(x);
    for (int n = 0; n < N; ++n)
      for (int k = 0; k < D; ++k) dX[size_t(n) * D + perm[k]] += dY[size_t(n) * D + k];
  });
  return y;
}

}  // namespace landscape
