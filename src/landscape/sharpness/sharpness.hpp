// Sharpness of a minimum (docs/algorithms.md §10.9): how much the loss rises within a
// neighbourhood of radius rho around w, in the forms that can be compared between networks.
//
// The neighbourhood is measured in a scale c [P]: a perturbation is d = c (.) u with |u| <= rho.
//   plain     c = 1: the Euclidean ball of radius rho;
//   adaptive  c = |w| (Kwon et al. 2021; Andriushchenko et al. 2023): elementwise relative to the
//             weights. A ReLU network rescaled layer by layer (W_l c, W_{l+1} / c) computes the same
//             function, and its adaptive neighbourhood is the rescaled one, so the adaptive
//             measures do not change; the plain ones do.
// Measures:
//   worst-case  max_{|u| <= rho} L(w + c u) - L(w): projected, normalised gradient ascent in u
//               from `restarts` random starts, the highest loss seen over all iterates;
//   average     E_z L(w + c rho z / sqrt(P)) - L(w), z ~ N(0, I) (|u| is about rho): the mean over
//               `samples` draws, with its standard error;
//   Keskar      Keskar et al. (2017)'s epsilon-sharpness, 100 (max_{d in B} L(w + d) - L(w)) /
//               (1 + L(w)) over the box B = {|d_i| <= epsilon (|w_i| + 1)}: projected sign-gradient
//               ascent (full space, not the paper's random subspace), the highest loss seen.
// Every draw comes from Rng(seed) (restart r of the worst case: Rng(seed + r)).
//
// Legend: P = f.dimension().
#pragma once

#include <cstdint>
#include <vector>

#include "core/parameter_table.hpp"
#include "landscape/landscape.hpp"

namespace landscape {

enum class SharpnessScale { Plain, Adaptive };
inline constexpr EnumName<SharpnessScale> kSharpnessScaleNames[] = {{SharpnessScale::Plain, "plain"},
                                                                    {SharpnessScale::Adaptive, "adaptive"}};

// c [P] of the scale at w.
std::vector<double> sharpness_scale(SharpnessScale scale, const Scalar* w, std::size_t P);

struct AscentParams {
  int steps = 20;    // gradient steps per start
  int restarts = 3;  // starts (the first at u = 0)
  std::uint64_t seed = 0;
};

struct SharpnessValue {
  double value = 0;           // the rise of the loss above L(w) (Keskar: the percentage)
  double standard_error = 0;  // average sharpness only (NaN for one sample); 0 otherwise
  long evaluations = 0;       // loss (and gradient) evaluations spent
};

// The worst-case rise within |u| <= rho (rho > 0); loss_w = L(w).
SharpnessValue worst_case_sharpness(const Landscape& f, const Scalar* w, double loss_w,
                                    const std::vector<double>& c, double rho, const AscentParams& params);

// The mean rise over `samples` Gaussian perturbations of radius about rho.
SharpnessValue average_sharpness(const Landscape& f, const Scalar* w, double loss_w,
                                 const std::vector<double>& c, double rho, int samples, std::uint64_t seed);

// Keskar's epsilon-sharpness (a percentage).
SharpnessValue keskar_sharpness(const Landscape& f, const Scalar* w, double loss_w, double epsilon,
                                const AscentParams& params);

}  // namespace landscape
