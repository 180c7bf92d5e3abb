#include "landscape/spectra/spectral_density.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "core/random.hpp"
#include "landscape/spectra/hutchinson_trace.hpp"
#include "landscape/spectra/lanczos.hpp"

namespace landscape {

void SlqParams::check() const {
  if (probes < 1) throw UsageError("--probes must be at least 1");
  if (iterations < 2) throw UsageError("--iterations must be at least 2");
  if (!(broadening > 0 && broadening <= 1))
    throw UsageError("--broadening must be in (0, 1] (a fraction of the spectrum's width)");
  if (grid < 11) throw UsageError("--density-grid must be at least 11 points");
}

double SpectralDensity::mean() const {
  double m = 0;
  for (size_t i = 0; i < nodes.size(); ++i) m += weights[i] * nodes[i];
  return m;
}

std::vector<double> broadened_density(const std::vector<double>& nodes, const std::vector<double>& weights,
                                      double sigma, const std::vector<double>& grid) {
  if (!(sigma > 0)) throw Error("broadened_density: sigma must be positive");
  const double norm = 1 / (sigma * std::sqrt(2 * std::numbers::pi));
  std::vector<double> phi(grid.size(), 0.0);
  for (size_t g = 0; g < grid.size(); ++g) {
    double s = 0;
    for (size_t i = 0; i < nodes.size(); ++i) {
      const double u = (grid[g] - nodes[i]) / sigma;
      s += weights[i] * std::exp(-0.5 * u * u);
    }
    phi[g] = s * norm;
  }
  return phi;
}

SpectralDensity spectral_density(const SymmetricOperator& A, const SlqParams& params) {
  params.check();
  Rng rng(params.seed);
  SpectralDensity d;
  for (int p = 0; p < params.probes; ++p) {
    // The same vectors, in the same order, as hutchinson_trace(A, P, seed).
    const LanczosResult r = lanczos(A, rademacher_vector(A.n, rng), params.iterations);
    for (int i = 0; i < r.steps(); ++i) {
      d.nodes.push_back(r.ritz_values[i]);
      d.weights.push_back(r.ritz_weights[i] / params.probes);
    }
  }
  const auto [lo, hi] = std::minmax_element(d.nodes.begin(), d.nodes.end());
  const double width = *hi - *lo;
  // A single eigenvalue (A = cI): no range to take sigma from; use the size of the eigenvalue.
  d.sigma = params.broadening * (width > 0 ? width : std::max(std::abs(*lo), 1.0));
  const double a = *lo - 5 * d.sigma, b = *hi + 5 * d.sigma;
  d.grid.resize(params.grid);
  for (int g = 0; g < params.grid; ++g) d.grid[g] = a + (b - a) * g / (params.grid - 1);
  d.density = broadened_density(d.nodes, d.weights, d.sigma, d.grid);
  return d;
}

}  // namespace landscape
