#include "landscape/paths/saddle_refinement.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "landscape/paths/nudged_elastic_band.hpp"

namespace landscape {

namespace {

// `count` indices from a to b (both included, a <= b), evenly spread; all of them when fewer.
std::vector<int> spread(int a, int b, int count) {
  std::vector<int> idx;
  if (b - a + 1 <= count) {
    for (int k = a; k <= b; ++k) idx.push_back(k);
    return idx;
  }
  for (int j = 0; j < count; ++j) idx.push_back(a + int(std::lround(double(j) * (b - a) / (count - 1))));
  return idx;
}

}  // namespace

RefinedSaddle refine_saddle(const Landscape& f, const FoundPath& path, const RefineParams& params) {
  params.check();
  const std::size_t P = f.dimension();
  const std::vector<double>& E = path.result.profile;
  const int K = int(E.size());
  require(K >= 2 && path.points.size() == std::size_t(K) * P,
          "refine_saddle: the path's points do not match its profile");
  RefinedSaddle out;
  const int top = int(std::max_element(E.begin(), E.end()) - E.begin());
  out.H = E[top];
  if (top == 0 || top == K - 1) {
    out.at_end = true;
    out.converged = true;
    out.H_refined = out.H;
    out.point.assign(path.point(top, P), path.point(top, P) + P);
    return out;
  }
  // Down the profile on both sides to the valleys the barrier separates.
  int lo = top, hi = top;
  while (lo > 0 && E[lo - 1] <= E[lo]) --lo;
  while (hi < K - 1 && E[hi + 1] <= E[hi]) ++hi;

  // The band: up to `images` points, half from each side, the highest one shared.
  const int half = (params.images - 1) / 2 + 1;
  std::vector<int> idx = spread(lo, top, half);
  const std::vector<int> right = spread(top, hi, params.images - int(idx.size()) + 1);
  idx.insert(idx.end(), right.begin() + 1, right.end());
  std::vector<Scalar> band;
  for (int k : idx) band.insert(band.end(), path.point(k, P), path.point(k, P) + P);

  // The scale of the test: the steepest gradient on the band it starts from.
  double steepest = 0;
  std::vector<Scalar> g(P);
  for (size_t k = 0; k < idx.size(); ++k) {
    f.evaluate(band.data() + k * P, g.data());
    double gg = 0;
    for (Scalar v : g) gg += double(v) * double(v);
    steepest = std::max(steepest, std::sqrt(gg));
  }
  out.tolerance = params.tol * steepest;
  out.gradient_evaluations = long(idx.size());

  NebParams neb;
  neb.images = neb.max_images = int(idx.size());
  neb.steps = params.steps;
  neb.lr = params.lr;
  neb.cycle_steps = std::max(1, params.steps / 8);  // the lr decays 0.7 per cycle
  neb.climb_from = 0;
  neb.stop_gradient = out.tolerance;
  NudgedElasticBand descent(f, std::move(band), neb);
  const NebResult r = descent.run();
  out.steps = r.steps;
  out.gradient_evaluations += r.gradient_evaluations;
  out.loss_evaluations = r.loss_evaluations;
  out.H_refined = r.energy[r.climbing];
  out.gradient_norm = r.climbing_gradient_norm;
  out.converged = out.gradient_norm <= out.tolerance;
  out.point.assign(r.band.begin() + std::size_t(r.climbing) * P,
                   r.band.begin() + std::size_t(r.climbing + 1) * P);
  return out;
}

}  // namespace landscape
