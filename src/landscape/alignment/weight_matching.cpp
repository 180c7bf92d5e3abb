#include "landscape/alignment/weight_matching.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "core/error.hpp"
#include "landscape/alignment/linear_assignment.hpp"

namespace landscape {

namespace {

// C[i][j] += <unit i of A, unit j of B> over one axis (both seen as [outer, units, inner]).
void add_unit_products(const ParamBlock& b, const PermutationAxis& a, size_t n, const Scalar* A,
                       const Scalar* B, std::vector<double>& C) {
  for (size_t o = 0; o < a.outer; ++o)
    for (size_t i = 0; i < n; ++i) {
      const Scalar* x = A + b.offset + (o * n + i) * a.inner;
      for (size_t j = 0; j < n; ++j) {
        const Scalar* y = B + b.offset + (o * n + j) * a.inner;
        double s = 0;
        for (size_t c = 0; c < a.inner; ++c) s += double(x[c]) * double(y[c]);
        C[i * n + j] += s;
      }
    }
}

// For each block of the layout, the groups with an axis on it (a group twice when both of its
// axes are: an LSTM's hidden-to-hidden weights).
std::vector<std::vector<size_t>> groups_of_blocks(const Model& model,
                                                  const std::vector<PermutationGroup>& groups) {
  std::vector<std::vector<size_t>> users(model.layout().size());
  for (size_t g = 0; g < groups.size(); ++g)
    for (const PermutationAxis& a : groups[g].axes) users[a.block].push_back(g);
  return users;
}

// The scores of group g's units: C[i][j] = sum over g's axes that `use` accepts of
// <unit i of A, unit j of B> (B as given: permuted by the caller).
template <class Use>
std::vector<double> unit_scores(const Model& model, const PermutationGroup& g, const Scalar* A,
                                const Scalar* B, Use use) {
  const size_t n = size_t(g.units);
  std::vector<double> C(n * n, 0.0);
  for (const PermutationAxis& a : g.axes)
    if (use(a)) add_unit_products(model.layout()[a.block], a, n, A, B, C);
  return C;
}

// sum_i C[i][p(i)]
double assignment_score(const std::vector<double>& C, const std::vector<int>& p) {
  const size_t n = p.size();
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += C[i * n + size_t(p[i])];
  return s;
}

// The layer-order start (docs/algorithms.md §14.1): the groups in order, each placed by the
// exact assignment of only those of its terms whose block no unplaced group (itself included, a
// second time) also permutes. Those terms are exact, so a permuted copy whose units differ is
// found exactly: by Cauchy-Schwarz sum_i <a_i, a_p(i)> is largest at p = identity alone.
Permutations layer_order_start(const Model& model, const std::vector<PermutationGroup>& groups,
                               const Scalar* A, const Scalar* B) {
  const std::vector<std::vector<size_t>> users = groups_of_blocks(model, groups);
  Permutations perms = identity_permutations(model);
  std::vector<bool> placed(groups.size(), false);
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::vector<Scalar> Bp = permute_weights(model, B, perms);  // the placed groups only
    bool any = false;
    const auto exact = [&](const PermutationAxis& a) {
      size_t own = 0;
      for (size_t h : users[a.block])
        if (h == g ? ++own > 1 : !placed[h]) return false;
      return any = true;
    };
    const std::vector<double> C = unit_scores(model, groups[g], A, Bp.data(), exact);
    if (any) perms[g] = max_weight_assignment(C, groups[g].units);
    placed[g] = true;
  }
  return perms;
}

// Whether g permutes one block along two axes (an LSTM's hidden-to-hidden weights): the objective
// is then quadratic in g's permutation, and the assignment below only its linearisation at the
// current permutation.
bool permutes_a_block_twice(const std::vector<std::vector<size_t>>& users, const PermutationGroup& group,
                            size_t g) {
  for (const PermutationAxis& a : group.axes)
    if (std::count(users[a.block].begin(), users[a.block].end(), g) > 1) return true;
  return false;
}

// The coordinate descent of §14.1 from `perms`: sweeps over the groups in an order drawn from
// `seed`, each group's permutation the exact assignment of C[i][j] = <unit i of A, unit j of B>
// with every other axis of B as the current permutations have it, taken only when it is strictly
// better (and, for a group that permutes a block twice, when the whole objective rises too);
// until a sweep changes nothing (at most max_sweeps). Returns the sweeps.
int coordinate_descent(const Model& model, const std::vector<PermutationGroup>& groups, const Scalar* A,
                       const Scalar* B, Permutations& perms, uint64_t seed, int max_sweeps) {
  const std::vector<std::vector<size_t>> users = groups_of_blocks(model, groups);
  std::vector<size_t> order(groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  const auto strictly_above = [](double now, double before) {
    return now > before + 1e-12 * std::max(1.0, std::abs(before));  // ties would cycle forever
  };
  int sweeps = 1;
  for (; sweeps <= max_sweeps; ++sweeps) {
    std::shuffle(order.begin(), order.end(), rng);
    bool changed = false;
    for (size_t g : order) {
      const size_t n = size_t(groups[g].units);
      // D[i][m] = <unit i of A, unit m of B as now permuted> = C[i][perms[g][m]].
      const std::vector<Scalar> Bp = permute_weights(model, B, perms);
      const std::vector<double> D =
          unit_scores(model, groups[g], A, Bp.data(), [](const PermutationAxis&) { return true; });
      std::vector<double> C(n * n);
      for (size_t i = 0; i < n; ++i)
        for (size_t m = 0; m < n; ++m) C[i * n + size_t(perms[g][m])] = D[i * n + m];
      const std::vector<int> p = max_weight_assignment(C, int(n));
      if (!strictly_above(assignment_score(C, p), assignment_score(C, perms[g]))) continue;
      if (permutes_a_block_twice(users, groups[g], g)) {
        Permutations candidate = perms;
        candidate[g] = p;
        if (!strictly_above(matching_objective(model, A, B, candidate),
                            matching_objective(model, A, B, perms)))
          continue;
      }
      perms[g] = p;
      changed = true;
    }
    if (!changed) break;
  }
  return std::min(sweeps, max_sweeps);
}

}  // namespace

double matching_objective(const Model& model, const Scalar* A, const Scalar* B, const Permutations& perms) {
  const std::vector<Scalar> Bp = permute_weights(model, B, perms);
  double s = 0;
  for (size_t k = 0; k < Bp.size(); ++k) s += double(A[k]) * double(Bp[k]);
  return s;
}

MatchingResult weight_matching(const Model& model, const Scalar* A, const Scalar* B, uint64_t seed,
                               int max_sweeps) {
  const std::vector<PermutationGroup> groups = model.permutation_groups();
  // Two starts, each descended; the higher objective wins, the identity's on a tie (what this
  // function returned before the layer-order start existed).
  MatchingResult from_identity, from_layers;
  from_identity.perms = identity_permutations(model);
  from_layers.perms = layer_order_start(model, groups, A, B);
  from_identity.objective_before = from_layers.objective_before =
      matching_objective(model, A, B, from_identity.perms);
  for (MatchingResult* r : {&from_identity, &from_layers}) {
    r->sweeps = coordinate_descent(model, groups, A, B, r->perms, seed, max_sweeps);
    r->objective = matching_objective(model, A, B, r->perms);
  }
  from_layers.start = MatchingStart::LayerOrder;
  return from_layers.objective > from_identity.objective ? from_layers : from_identity;
}

MatchingResult activation_matching(const Model& model, const Scalar* A, const Scalar* B,
                                   const Tensor& images) {
  const std::vector<PermutationGroup> groups = model.permutation_groups();
  MatchingResult r;
  r.perms = identity_permutations(model);
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::vector<Scalar> Bp = permute_weights(model, B, r.perms);
    const Tensor a = model.group_activations(A, images, g), b = model.group_activations(Bp.data(), images, g);
    const size_t N = size_t(a.dim(0)), n = size_t(a.dim(1)), positions = size_t(a.dim(2));
    // Standardise every unit over the examples and positions, then C = the correlations.
    auto standardised = [&](const Tensor& t) {
      std::vector<double> z(n * N * positions);  // [unit][sample]
      for (size_t u = 0; u < n; ++u) {
        double mean = 0, sq = 0;
        for (size_t e = 0; e < N; ++e)
          for (size_t q = 0; q < positions; ++q) mean += double(t.data()[(e * n + u) * positions + q]);
        mean /= double(N * positions);
        for (size_t e = 0; e < N; ++e)
          for (size_t q = 0; q < positions; ++q) {
            const double d = double(t.data()[(e * n + u) * positions + q]) - mean;
            z[u * N * positions + e * positions + q] = d;
            sq += d * d;
          }
        const double norm = sq > 0 ? 1 / std::sqrt(sq) : 0;  // a dead unit correlates with nothing
        for (size_t s = 0; s < N * positions; ++s) z[u * N * positions + s] *= norm;
      }
      return z;
    };
    const std::vector<double> za = standardised(a), zb = standardised(b);
    std::vector<double> C(n * n, 0.0);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) {
        double s = 0;
        for (size_t k = 0; k < N * positions; ++k) s += za[i * N * positions + k] * zb[j * N * positions + k];
        C[i * n + j] = s;
      }
    r.perms[g] = max_weight_assignment(C, int(n));
  }
  r.sweeps = 1;
  r.objective_before = matching_objective(model, A, B, identity_permutations(model));
  r.objective = matching_objective(model, A, B, r.perms);
  return r;
}

}  // namespace landscape
