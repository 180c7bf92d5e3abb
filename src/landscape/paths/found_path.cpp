#include "landscape/paths/found_path.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace landscape {

void evaluate_points(const Landscape& f, const Scalar* W, std::size_t K, Scalar* G, double* fk,
                     const char* who) {
  f.evaluate_many(W, K, fk, G);
  require_finite_losses(fk, K, who);
}

void require_finite_losses(const double* fk, std::size_t K, const char* who) {
  for (std::size_t k = 0; k < K; ++k)
    if (!std::isfinite(fk[k]))
      throw Error(std::string(who) + ": non-finite loss " + std::to_string(fk[k]) + " at point " +
                  std::to_string(k));
}

std::vector<double> uniform_t(int M) {
  std::vector<double> t(M);
  for (int m = 0; m < M; ++m) t[m] = static_cast<double>(m) / (M - 1);  // t_0 = 0, t_{M-1} = 1
  return t;
}

double excess_barrier(const PathResult& r) {
  const std::vector<double>& f = r.profile;
  if (f.size() < 2 || r.t.size() != f.size()) return 0;
  double excess = 0;
  for (size_t m = 0; m < f.size(); ++m)
    excess = std::max(excess, f[m] - ((1 - r.t[m]) * f.front() + r.t[m] * f.back()));
  return excess;
}

FoundPath measure_path(const Landscape& f, std::vector<double> t, std::vector<Scalar> points, int steps) {
  const std::size_t P = f.dimension(), K = t.size();
  require(K >= 2 && points.size() == K * P, "measure_path: points do not match t");
  FoundPath path;
  PathResult& r = path.result;
  path.points = std::move(points);
  r.t = std::move(t);
  r.steps = steps;

  // The straight line at the same t: (1 - t_k) w_i + t_k w_j, exact at both ends.
  const Scalar* w_i = path.points.data();
  const Scalar* w_j = path.points.data() + (K - 1) * P;
  std::vector<Scalar> line(K * P);
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t p = 0; p < P; ++p)
      line[k * P + p] = static_cast<Scalar>((1 - r.t[k]) * w_i[p] + r.t[k] * w_j[p]);

  r.profile.assign(K, 0.0);
  r.profile_linear.assign(K, 0.0);
  evaluate_points(f, path.points.data(), K, nullptr, r.profile.data(), "path");
  evaluate_points(f, line.data(), K, nullptr, r.profile_linear.data(), "straight line");

  // H, length and loss sum, each summed in point order.
  auto summarize = [&](const std::vector<Scalar>& X, const std::vector<double>& fk, double& H, double& length,
                       double& loss_sum) {
    H = *std::max_element(fk.begin(), fk.end());
    loss_sum = 0;
    for (double v : fk) loss_sum += v;
    length = 0;
    for (std::size_t k = 0; k + 1 < K; ++k) {
      double s = 0;
      for (std::size_t p = 0; p < P; ++p) {
        const double d = double(X[(k + 1) * P + p]) - double(X[k * P + p]);
        s += d * d;
      }
      length += std::sqrt(s);
    }
  };
  summarize(path.points, r.profile, r.H, r.length, r.loss_sum);
  summarize(line, r.profile_linear, r.H_linear, r.length_linear, r.loss_sum_linear);
  r.objective = r.loss_sum;
  r.reported_step = steps;
  return path;
}

}  // namespace landscape
