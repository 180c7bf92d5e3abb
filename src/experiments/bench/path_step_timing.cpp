#include "experiments/bench/path_step_timing.hpp"

#include <chrono>
#include <cstdio>
#include <vector>

#include "core/parallel.hpp"
#include "core/wall_clock.hpp"
#include "experiments/support/timing.hpp"
#include "optim/adam.hpp"

namespace landscape {

PathStepTiming time_path_step(const Landscape& f, std::span<const Scalar> w_i, std::span<const Scalar> w_j,
                              const PathParams& params) {
  const std::size_t P = f.dimension();
  FourierPathFinder finder(f, w_i, w_j, params);
  const std::size_t M = std::size_t(params.points), nb = std::size_t(params.terms) * P;
  std::vector<Scalar> W(M * P), grad(P), b(nb, Scalar(0)), grad_b(nb);
  finder.path_points(b.data(), W.data());
  f.evaluate(W.data(), grad.data());  // warm-up (first touch of the data, allocator)

  PathStepTiming t;
  t.points = M;
  auto start = WallClock::now();
  double cpu_start = process_cpu_seconds();
  for (std::size_t m = 0; m < M; ++m) f.evaluate(W.data() + m * P, grad.data());
  t.evaluations_wall = seconds_since(start);
  t.evaluations_cpu = process_cpu_seconds() - cpu_start;

  AdamParams adam_params;
  adam_params.lr = params.lr;
  Adam adam(nb, adam_params);
  start = WallClock::now();
  cpu_start = process_cpu_seconds();
  finder.objective(b.data(), grad_b.data());
  adam.step(b.data(), grad_b.data());
  t.step_wall = seconds_since(start);
  t.step_cpu = process_cpu_seconds() - cpu_start;
  return t;
}

std::string path_step_report(const PathStepTiming& t, const std::string& landscape) {
  char text[1024];
  std::snprintf(text, sizeof text,
                "%s, %d threads, %s\n"
                "one optimisation step (M = %zu points):    wall %.3f s, cpu %.3f s\n"
                "M loss+gradient evaluations back to back: wall %.3f s, cpu %.3f s\n"
                "ratio step / evaluations: wall %.3f, cpu %.3f\n",
                landscape.c_str(), num_threads(), kPrecisionName, t.points, t.step_wall, t.step_cpu,
                t.evaluations_wall, t.evaluations_cpu, t.step_wall / t.evaluations_wall,
                t.step_cpu / t.evaluations_cpu);
  return text;
}

}  // namespace landscape
