// A matrix whose rows are mostly zeros, kept as each row's nonzero entries (compressed sparse
// rows), and the two products a fully connected layer needs with it as its input.
//
// Why: an MNIST image is 81% zero pixels (docs/algorithms.md §1.2: the inputs are the raw pixels).
// The first layer of FCP does 93% of the model's arithmetic, and a dense product multiplies each of
// those zeros twice (the forward pass and the weight gradient). Skipping them leaves every sum
// as it was: x*w with x = 0 adds nothing when w is finite (linear.cpp checks that), so only the
// order of the remaining additions differs from a dense product. FCP's full-batch gradient on
// 60,000 images: 0.080 s dense, 0.058 s sparse (2 threads; bench/README.md).
#pragma once

#include <vector>

#include "core/scalar.hpp"

namespace landscape {

struct SparseRows {
  int rows = 0, cols = 0;
  std::vector<int> row_start;  // [rows + 1]: row r's entries are [row_start[r], row_start[r+1])
  std::vector<int> column;     // column of each nonzero entry, each row's in ascending order
  std::vector<Scalar> value;   // its value

  // The nonzeros of x [rows, cols] (row-major). NaN counts as nonzero.
  static SparseRows of(const Scalar* x, int rows, int cols);
  // The same with a plain loop (the fast one uses AVX-512 where the build has it); for tests.
  static SparseRows of_reference(const Scalar* x, int rows, int cols);
  // Fraction of entries that are nonzero.
  double density() const;
};

// y [N,O] += x [N,I] w^T, w [O,I]: a layer's forward pass with the sparse rows as its input.
void add_sparse_input_product(const SparseRows& x, const Scalar* w, int O, Scalar* y);

// dw [O,I] += dy^T [O,N] x [N,I]: the same layer's weight gradient.
void add_sparse_input_weight_adjoint(const SparseRows& x, const Scalar* dy, int O, Scalar* dw);

}  // namespace landscape
