// Aligning one minimum to another before reading the barrier between them (docs/algorithms.md
// §14): the permutation of B's hidden units (models/permutation_symmetry.hpp) that brings B
// closest to A, so that what remains between them is not a permutation in disguise.
//
// Weight matching (Ainsworth, Hayase and Srinivasa, "Git Re-Basin", ICLR 2023, Algorithm 1):
// maximise sum over parameter blocks of <W_A, pi(W_B)>, i.e. minimise |A - pi(B)|^2, by
// coordinate descent over the groups: in a random order, each group's permutation is the exact
// linear assignment (linear_assignment.hpp) of the scores
//   C[i][j] = sum over the group's axes of <unit i of A, unit j of B>,
// B's other axes permuted by the other groups' current permutations; sweeps repeat until one
// changes no permutation. Each step cannot lower the objective, so it ends, at a local optimum.
//
// Activation matching (ibid., §3.1): each group alone, the assignment of the correlations of
// the units' activations on the same examples (a convolution's positions counted as examples),
//   C[i][j] = corr(a_A,i, a_B,j),
// activations taken in order, each group's from B with the groups before it already permuted
// (permuting a layer's inputs does not change its outputs, so they can be matched in turn).
#pragma once

#include <cstdint>

#include "core/tensor.hpp"
#include "models/model.hpp"
#include "models/permutation_symmetry.hpp"

namespace landscape {

// Where weight matching's coordinate descent began (docs/algorithms.md §14.1).
enum class MatchingStart { Identity, LayerOrder };

struct MatchingResult {
  Permutations perms;  // for permute_weights(model, B, perms)
  int sweeps = 0;      // weight matching: sweeps until none changed a permutation
  // <A, B> and <A, pi(B)> over every parameter: what weight matching maximises.
  double objective_before = 0, objective = 0;
  MatchingStart start = MatchingStart::Identity;  // weight matching: the start that won
};

// <A, pi(B)> over all P parameters, in float64.
double matching_objective(const Model& model, const Scalar* A, const Scalar* B, const Permutations& perms);

// Descends from two starts and keeps the higher objective: the identity, and the layer-order
// start (each group in order by the exact assignment of its terms that no unplaced group
// couples), which finds a permuted copy of A exactly when its units differ.
MatchingResult weight_matching(const Model& model, const Scalar* A, const Scalar* B, uint64_t seed = 0,
                               int max_sweeps = 100);

// images: [N, input_size()], the examples the activations are taken on.
MatchingResult activation_matching(const Model& model, const Scalar* A, const Scalar* B,
                                   const Tensor& images);

}  // namespace landscape
