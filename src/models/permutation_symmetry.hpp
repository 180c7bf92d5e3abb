// The permutation symmetries of a network (docs/algorithms.md §2.10): the hidden units of a
// layer can be reordered without changing the function, if every parameter that reads or writes
// a unit is reordered with it. Two minima can so be one minimum in disguise, and a barrier
// between them partly measure the permutation (Entezari et al. 2021; Ainsworth et al. 2022).
//
// A group is the hidden units of one layer: a linear layer's outputs, a convolution's output
// channels, an LSTM's hidden units. Its axes are the parameter blocks it reorders, each seen as a
// view [outer, units, inner] of the block:
//   linear L then linear M:  L.weight rows, L.bias, M.weight columns;
//   conv L then conv M:      L.weight output channels, L.bias, M.weight input channels;
//   conv L, pooling, flatten, linear M: M.weight's columns in blocks of H*W (channel-major);
//   lstm L then linear M:    the four gate blocks of weight_ih_l0, weight_hh_l0 (rows), both
//                            biases, weight_hh_l0's columns (the recurrence), M.weight columns.
// Point-wise activations and pooling act on each unit alone and pass the group through; a
// residual block, the model's output and any other consumer end it without a group.
#pragma once

#include <string>
#include <vector>

#include "core/scalar.hpp"

namespace landscape {

class Model;

struct PermutationAxis {
  size_t block = 0;  // index into Model::layout()
  size_t outer = 1;  // the block as [outer, units, inner]: unit u is the slices [a, u, :]
  size_t inner = 1;
};

struct PermutationGroup {
  std::string name;  // the layer whose units these are ("fc1", "conv2", "lstm")
  int units = 0;
  std::vector<PermutationAxis> axes;
  size_t activation_layer = 0;  // the units' activations: the output of the first this many layers
};

// perms[g][i]: the unit of group g that position i takes (new unit i = old unit perms[g][i]).
using Permutations = std::vector<std::vector<int>>;

Permutations identity_permutations(const Model& model);

// w with every group's units reordered by perms (one per group, each a permutation of its
// units; an Error otherwise). The result computes the same function as w, to summation order.
std::vector<Scalar> permute_weights(const Model& model, const Scalar* w, const Permutations& perms);

}  // namespace landscape
