// Nudged elastic band with a climbing image, grown automatically where the band rises
// (`landscape path --method neb`).
//
// NEB (Henkelman, Uberuaga and Jonsson, J. Chem. Phys. 113, 9901 (2000), with the improved
// tangent of Henkelman and Jonsson, ibid. 9978): a band of images X_0 = w_i, X_1, ...,
// X_{n-1} = w_j (the ends fixed) moves under the true force across the band and spring forces
// along it,
//   F_i = -(g_i - (g_i . tau_i) tau_i) + k (|X_{i+1} - X_i| - |X_i - X_{i-1}|) tau_i,
// g_i = grad f(X_i), tau_i the unit tangent. The highest image c climbs instead:
//   F_c = -g_c + 2 (g_c . tau_c) tau_c,
// up along the band and down across it; F_c = 0 only where g_c = 0, so X_c ends on a saddle.
//
// AutoNEB (Draxler, Veschgini, Salmhofer and Hamprecht, "Essentially no barriers in neural
// network energy landscapes", ICML 2018): the band starts with few images and grows. The run is
// a sequence of cycles of `cycle_steps` steps; after each cycle the midpoint of every segment is
// evaluated (loss only), and where the band rises between two images (the midpoint higher than
// both by more than insert_tolerance times the band's loss span) an image is inserted there,
// the largest rises first, up to max_images. The learning rate shrinks by lr_decay per cycle,
// and the climbing image starts after the first cycle (climb_from), once the band has found
// its valley (Henkelman et al.'s advice).
//
// Two choices of ours, and why:
// - The spring constant is relative, k = spring * mean_i |g_perp,i| / mean segment length, so
//   one value serves surfaces whose forces are 1 (Figure 3), 100 (Mueller-Brown) or 1e-4 (a
//   trained network near its minima).
// - The step is heavy-ball momentum on the band force scaled by one running RMS of that force
//   over the whole band (Adam with a single second moment): lr is then a distance per
//   component per step on every landscape, while the direction of the NEB force is kept
//   (per-component Adam, optim/adam.hpp, would tilt it and let images slide along the band).
//     m <- beta1 m + (1 - beta1) F,   v <- beta2 v + (1 - beta2) mean(F^2),
//     X <- X + lr_cycle * (m / (1 - beta1^s)) / sqrt(v / (1 - beta2^s)).
//
// Evaluations: each step evaluates the interior images with gradients; `budget` (if > 0) caps
// those gradient evaluations (landscape compare-paths); the midpoint probes are loss-only.
//
// Legend: P = landscape dimension, n = images of the band (ends included).
#pragma once

#include <span>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/scalar.hpp"
#include "landscape/landscape.hpp"
#include "landscape/paths/found_path.hpp"

namespace landscape {

// Flags: table() below (docs/algorithms.md §13); lr_decay, climb_from, budget and stop_gradient
// are set by the callers only.
struct NebParams {
  int images = 5;                  // the first band, ends included (straight line)
  int max_images = 17;             // AutoNEB grows the band up to this many
  double spring = 1.0;             // relative spring constant (see above)
  double lr = 1e-3;                // distance per component per step
  int steps = 100;                 // steps over all cycles
  int cycle_steps = 25;            // steps per AutoNEB cycle
  double lr_decay = 0.7;           // lr of cycle c = lr * lr_decay^c
  double insert_tolerance = 0.05;  // a rise above this fraction of the span inserts
  int climb_from = -1;             // first step with a climbing image; -1: after the first cycle
  long budget = 0;                 // gradient evaluations at most (0: no limit)
  double stop_gradient = 0;        // stop once the climbing image's |g| is at most this (0: never)
  static const ParameterTable<NebParams>& table();
  // Throws UsageError naming the flag: the table's bounds, images <= max_images,
  // 0 < lr_decay <= 1, budget >= 0.
  void check() const;
};

inline const ParameterTable<NebParams>& NebParams::table() {
  using P = NebParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("neb-images", &P::images, "neb: images of the first band, both ends included").range(3, 100000)
      .field("neb-max-images", &P::max_images, "neb: AutoNEB inserts images up to this many").range(3, 100000)
      .field("neb-spring", &P::spring, "neb: spring constant relative to the mean force across the band")
          .at_least(0)
      .field("lr", &P::lr, "neb: distance per component per step").above(0)
      .field("steps", &P::steps, "neb: steps over all cycles").at_least(0)
      .field("neb-cycle", &P::cycle_steps, "neb: steps per AutoNEB cycle (then insertion, lr x 0.7)")
          .range(1, 100000000)
      .field("neb-insert", &P::insert_tolerance, "neb: insert where a midpoint rises this fraction of the span")
          .at_least(0);
  // clang-format on
  return t;
}

struct NebResult {
  std::vector<Scalar> band;            // [n, P] the final images
  std::vector<double> energy;          // [n] f at each image
  int climbing = -1;                   // index of the climbing image in the last step (-1: none)
  double climbing_gradient_norm = 0;   // |g_c| there (0 at a saddle)
  double first_steepest_gradient = 0;  // the largest |g_i| of the first band's interior images
  int steps = 0;                       // band moves made
  long gradient_evaluations = 0, loss_evaluations = 0;
  int images() const { return static_cast<int>(energy.size()); }
};

// NEB's climbing image stands on a saddle when its |g| is at most this times the steepest |g|
// of the first band (the refinement's default test, saddle_refinement.hpp).
inline constexpr double kClimbingTolerance = 1e-3;

class NudgedElasticBand {
 public:
  // band[n, P]: the first images, ends included (kept fixed); f must outlive the object.
  NudgedElasticBand(const Landscape& f, std::vector<Scalar> band, const NebParams& params);
  NebResult run();

 private:
  void evaluate(int first, int last);  // f and g of images first..last-1 (interior ones)
  void tangents();                     // tau_i of every interior image
  int insert_images();                 // AutoNEB: midpoints where the band rises; how many
  int highest_interior() const;        // index of the highest interior image
  double gradient_norm(int i) const;   // |g_i|

  const Landscape& f_;
  NebParams params_;
  std::size_t P_;
  std::vector<Scalar> X_;    // [n, P] images
  std::vector<Scalar> G_;    // [n, P] gradients (rows of the ends unused)
  std::vector<double> E_;    // [n] f
  std::vector<double> tau_;  // [n, P] unit tangents (rows of the ends unused)
  std::vector<double> m_;    // [n, P] first moment of the band force
  long grad_evals_ = 0, loss_evals_ = 0;
};

// The band from the straight line w_i -> w_j with params.images images, run and measured; the
// path's points are the images, t_k their arc-length fractions along the band.
FoundPath find_neb_path(const Landscape& f, std::span<const Scalar> w_i, std::span<const Scalar> w_j,
                        const NebParams& params);

}  // namespace landscape
