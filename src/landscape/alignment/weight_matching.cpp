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

}  // namespace

MatchingResult weight_matching(const Model& model, const Scalar* A, const Scalar* B, uint64_t seed,
                               int max_sweeps) {
  const std::vector<PermutationGroup> groups = model.permutation_groups();
  MatchingResult r;
  r.perms = identity_permutations(model);
  std::vector<size_t> order(groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  for (r.sweeps = 1; r.sweeps <= max_sweeps; ++r.sweeps) {
    std::shuffle(order.begin(), order.end(), rng);
    bool changed = false;
    for (size_t g : order) {
      Permutations others = r.perms;  // B under every permutation but g's
      std::iota(others[g].begin(), others[g].end(), 0);
      const std::vector<Scalar> Bp = permute_weights(model, B, others);
      const size_t n = size_t(groups[g].units);
      std::vector<double> C(n * n, 0.0);
      for (const PermutationAxis& a : groups[g].axes)
        add_unit_products(model.layout()[a.block], a, n, A, Bp.data(), C);
      const std::vector<int> p = max_weight_assignment(C, int(n));
      // Only a strictly better assignment counts as a change (ties would cycle forever).
      double now = 0, before = 0;
      for (size_t i = 0; i < n; ++i)
        now += C[i * n + size_t(p[i])], before += C[i * n + size_t(r.perms[g][i])];
      if (now > before + 1e-12 * std::max(1.0, std::abs(before))) {
        r.perms[g] = p;
        changed = true;
      }
    }
    if (!changed) break;
  }
  r.sweeps = std::min(r.sweeps, max_sweeps);
  return r;
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
  return r;
}

}  // namespace landscape
