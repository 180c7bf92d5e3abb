#include "experiments/alignment/alignment_run.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "experiments/support/progress.hpp"
#include "io/npy.hpp"
#include "io/run_directory.hpp"
#include "landscape/alignment/weight_matching.hpp"
#include "landscape/paths/found_path.hpp"

namespace landscape {

namespace {

double distance(const Scalar* a, const Scalar* b, size_t P) {
  double d = 0;
  for (size_t k = 0; k < P; ++k) d += (double(a[k]) - b[k]) * (double(a[k]) - b[k]);
  return std::sqrt(d);
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

}  // namespace

StraightLine straight_line_barrier(const Landscape& f, const Scalar* a, const Scalar* b, int points) {
  const size_t P = f.dimension(), K = size_t(points);
  std::vector<Scalar> X(K * P);
  PathResult line;
  for (size_t k = 0; k < K; ++k) {
    const double t = double(k) / double(K - 1);
    line.t.push_back(t);
    for (size_t p = 0; p < P; ++p)
      X[k * P + p] = k == 0 ? a[p] : k == K - 1 ? b[p] : static_cast<Scalar>((1 - t) * a[p] + t * b[p]);
  }
  line.profile.resize(K);
  evaluate_points(f, X.data(), K, nullptr, line.profile.data(), "straight-line point");
  return {*std::max_element(line.profile.begin(), line.profile.end()), excess_barrier(line)};
}

AlignedPair align_pair(const PathProblem& problem, const PathPair& pair, const AlignParams& params) {
  require(problem.model() != nullptr,
          "align: needs a model's weights (--arch, --weights), not a 2-D surface");
  const ModelLandscape f(*problem.model(), problem.data());
  return align_pair(f, pair, problem.row(pair.i), problem.row(pair.j), problem.seed(), params);
}

AlignedPair align_pair(const ModelLandscape& f, const PathPair& pair, const Scalar* A, const Scalar* B,
                       std::uint64_t seed, const AlignParams& params) {
  const Model& model = f.model();
  if (model.permutation_groups().empty())
    throw Error(model.arch() +
                ": the model has no permutation symmetry this program knows (hidden layers "
                "of linear, conv2d or lstm units feeding the next linear or conv2d layer)");
  AlignedPair r;
  r.pair = pair;
  MatchingResult m;
  if (params.method == AlignMethod::Weight) {
    m = weight_matching(model, A, B, pair_seed(seed, pair));
  } else {
    const Dataset& d = f.data();
    const int n = std::min(params.matching_images, d.size());
    const Tensor images = Tensor::view(d.images.data(), {n, int(d.row_length())}).clone();
    m = activation_matching(model, A, B, images);
  }
  r.perms = std::move(m.perms);
  r.objective_before = m.objective_before;
  r.objective_after = m.objective;
  r.aligned = permute_weights(model, B, r.perms);
  const size_t P = model.num_params();
  r.distance_before = distance(A, B, P);
  r.distance_after = distance(A, r.aligned.data(), P);
  const StraightLine before = straight_line_barrier(f, A, B, params.points),
                     after = straight_line_barrier(f, A, r.aligned.data(), params.points);
  r.H_linear_before = before.H;
  r.H_linear_after = after.H;
  r.H_excess_before = before.H_excess;
  r.H_excess_after = after.H_excess;
  return r;
}

std::vector<AlignedPair> run_alignment(const PathProblem& problem, const AlignParams& params,
                                       const std::string& dir) {
  std::vector<AlignedPair> out;
  Progress progress;
  for (const PathPair& pair : problem.pairs()) {
    out.push_back(align_pair(problem, pair, params));
    const AlignedPair& a = out.back();
    progress.update("align " + std::to_string(out.size()) + "/" + std::to_string(problem.pairs().size()) +
                        " (" + pair_name(pair) + "): distance " + number(a.distance_before) + " -> " +
                        number(a.distance_after) + ", <A, pi(B)> " + number(a.objective_before) + " -> " +
                        number(a.objective_after) + ", H_linear " + number(a.H_linear_before) + " -> " +
                        number(a.H_linear_after),
                    true);
  }
  progress.finish();
  const RunDirectory run(dir);
  std::ostringstream csv;
  csv << "i,j,distance_before,distance_after,H_linear_before,H_linear_after,H_excess_before,H_excess_after\n";
  std::vector<Scalar> rows;
  for (const AlignedPair& a : out) {
    csv << a.pair.i << ',' << a.pair.j << ',' << number(a.distance_before) << ',' << number(a.distance_after)
        << ',' << number(a.H_linear_before) << ',' << number(a.H_linear_after) << ','
        << number(a.H_excess_before) << ',' << number(a.H_excess_after) << '\n';
    rows.insert(rows.end(), a.aligned.begin(), a.aligned.end());
  }
  write_npy(run.file("aligned.npy"), rows.data(), int64_t(out.size()),
            int64_t(problem.model()->num_params()));
  run.write("align.csv", csv.str());
  return out;
}

}  // namespace landscape
