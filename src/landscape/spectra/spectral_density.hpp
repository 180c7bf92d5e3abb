// The eigenvalue density of a symmetric operator by stochastic Lanczos quadrature (Ubaru, Chen
// & Saad 2017; applied to the loss Hessian by Ghorbani, Krishnan & Xiao 2019 and PyHessian,
// docs/algorithms.md §10.5).
//
// The density phi(t) = (1/n) sum_j delta(t - lambda_j) satisfies, for a unit vector q drawn
// so that E[q q^T] = I/n (a Rademacher vector over sqrt(n)),
//   (1/n) sum_j f(lambda_j) = E[ q^T f(A) q ] ~ sum_i tau_i^2 f(theta_i),
// the k-point Gauss quadrature that k Lanczos steps from q give: nodes theta_i the Ritz values,
// weights tau_i^2 the squared first components of T_k's eigenvectors (lanczos.hpp). Averaged
// over P probes and each node widened to a Gaussian of width sigma:
//   phi(t) ~ (1/P) sum_p sum_i tau_{p,i}^2 exp(-(t - theta_{p,i})^2 / (2 sigma^2)) / (sigma sqrt(2 pi)).
// The weights of one probe sum to 1, so phi integrates to 1, and its mean sum tau^2 theta is
// the probes' mean of q^T A q: Hutchinson's tr A / n from the same vectors.
// sigma = broadening * (largest node - smallest node), as PyHessian ties its width to the
// spectrum's range; the grid runs 5 sigma beyond the extreme nodes, so the Gaussians' tails
// cut off there hold under 1e-6 of the mass.
//
// Legend: n the dimension, P probes, k Lanczos steps per probe, G grid points.
#pragma once

#include <cstdint>
#include <vector>

#include "landscape/spectra/symmetric_operator.hpp"

namespace landscape {

struct SlqParams {
  int probes = 10;           // --probes: Rademacher start vectors (PyHessian's default: 1)
  int iterations = 30;       // --iterations: Lanczos steps per probe (nodes per probe)
  double broadening = 0.01;  // --broadening: sigma as a fraction of the nodes' range
  int grid = 1001;           // --density-grid: points of the density curve
  uint64_t seed = 0;         // --seed: probe p is the p-th Rademacher vector of Rng(seed)
  void check() const;        // UsageError naming the flag
};

struct SpectralDensity {
  std::vector<double> nodes;    // [P*k] the Ritz values of every probe
  std::vector<double> weights;  // [P*k] their tau^2 / P (all sum to 1)
  double sigma = 0;             // the Gaussians' width
  std::vector<double> grid;     // [G] evenly spaced t
  std::vector<double> density;  // [G] phi(t)
  double mean() const;          // sum weights * nodes = tr A / n estimated
};

SpectralDensity spectral_density(const SymmetricOperator& A, const SlqParams& params);

// phi(t) at every grid point from nodes and weights [m], Gaussians of width sigma > 0.
std::vector<double> broadened_density(const std::vector<double>& nodes, const std::vector<double>& weights,
                                      double sigma, const std::vector<double>& grid);

}  // namespace landscape
