#include "experiments/paths/path_comparison.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "core/error.hpp"
#include "core/wall_clock.hpp"
#include "experiments/support/report_document.hpp"
#include "landscape/counting_landscape.hpp"

namespace landscape {

double checked_height(const Landscape& f, const FoundPath& path) {
  const std::size_t P = f.dimension(), K = path.size();
  std::vector<Scalar> mid((K - 1) * P);
  for (std::size_t k = 0; k + 1 < K; ++k)
    for (std::size_t p = 0; p < P; ++p)
      mid[k * P + p] =
          static_cast<Scalar>(0.5 * (double(path.points[k * P + p]) + double(path.points[(k + 1) * P + p])));
  std::vector<double> fmid(K - 1);
  evaluate_points(f, mid.data(), K - 1, nullptr, fmid.data(), "segment midpoint");
  double H = path.result.H;
  for (double v : fmid) H = std::max(H, v);
  return H;
}

namespace {

// One method on one pair at one budget: its path found on a counting wrapper of f, measured
// and refined on f itself (not counted).
ComparisonRow compare_once(const Landscape& f, const EndPoints& ends, const PathPair& pair, PathMethod method,
                           long budget, const PathMethodParams& p, std::uint64_t seed,
                           const ComparisonSettings& settings) {
  const CountingLandscape counted(f);
  const auto start = std::chrono::steady_clock::now();
  const FoundPath path = find_pair_path(counted, ends, pair, method, p, seed,
                                        "pair " + pair_name(pair) + ", " + to_string(method));
  ComparisonRow r;
  r.pair = pair;
  r.method = method;
  r.budget = budget;
  r.gradient_evaluations = counted.gradient_evaluations();
  r.loss_evaluations = counted.loss_evaluations();
  r.seconds = seconds_since(start);
  r.H_linear = path.result.H_linear;
  r.H = path.result.H;
  r.length = path.result.length;
  r.points = int(path.size());
  r.H_check = checked_height(f, path);  // on f itself: not counted
  r.H_refined = r.gradient_norm = std::numeric_limits<double>::quiet_NaN();
  if (settings.refine) {
    const RefinedSaddle s = refine_saddle(f, path, settings.refine_params);
    warn_if_unconverged("pair " + pair_name(pair) + ", " + to_string(method), s);
    r.H_refined = s.H_refined;
    r.gradient_norm = s.gradient_norm;
  }
  return r;
}

}  // namespace

std::vector<ComparisonRow> compare_paths(const Landscape& f, const std::vector<PathPair>& pairs,
                                         const EndPoints& ends, std::uint64_t seed,
                                         const PathMethodParams& params, const ComparisonSettings& settings,
                                         const std::function<void(const std::string&)>& progress) {
  settings.check();
  params.check();
  // The counting wrapper sees the full landscape only: a mini-batch step would go uncounted.
  if (params.fourier.batch > 0)
    throw UsageError(
        "--batch: compare-paths counts full-landscape evaluations; compare "
        "stochastic path steps with bench/stochastic_paths.sh (docs/algorithms.md "
        "§5.7)");
  std::vector<ComparisonRow> rows;
  for (const PathPair& pair : pairs)
    for (PathMethod method : settings.methods)
      for (int level = 0; level < settings.levels; ++level) {
        const long budget = settings.budget >> (settings.levels - 1 - level);  // B / 2^(L-1-l)
        if (budget < 1) continue;
        const PathMethodParams p = params.with_budget(method, budget);
        if (method == PathMethod::Neb && budget < p.neb.images - 2) continue;  // not one step
        const ComparisonRow& r =
            rows.emplace_back(compare_once(f, ends, pair, method, budget, p, seed, settings));
        char line[256];
        std::snprintf(line, sizeof line,
                      "pair %lld-%lld %-9s budget %6ld: spent %6ld (+%ld loss only), H %.6g, "
                      "H_check %.6g, %.1fs",
                      (long long)pair.i, (long long)pair.j, to_string(method).c_str(), budget,
                      r.gradient_evaluations, r.loss_evaluations, r.H, r.H_check, r.seconds);
        progress(line);
      }
  return rows;
}

namespace {

std::string number(double v) {
  if (std::isnan(v)) return "";
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

}  // namespace

void write_comparison_table(const RunDirectory& dir, const std::vector<ComparisonRow>& rows) {
  std::ostringstream csv;
  csv << kComparisonHeader << '\n';
  for (const ComparisonRow& r : rows)
    csv << r.pair.i << ',' << r.pair.j << ',' << to_string(r.method) << ',' << r.budget << ','
        << r.gradient_evaluations << ',' << r.loss_evaluations << ',' << r.points << ',' << number(r.H_linear)
        << ',' << number(r.H) << ',' << number(r.H_check) << ',' << number(r.length) << ','
        << number(r.H_refined) << ',' << number(r.gradient_norm) << ',' << number(r.seconds) << '\n';
  dir.write("compare.csv", csv.str());
}

bool draw_comparison(const RunDirectory& dir, const std::vector<ComparisonRow>& rows,
                     const std::string& title) {
  // One data block per (pair, method): gradient evaluations spent, H, H_check.
  std::ostringstream dat;
  std::string plot;
  const char* colours[] = {"#c0392b", "#27ae60", "#2471a3", "#8e44ad"};
  int block = 0;
  std::vector<PathPair> pairs;
  for (const ComparisonRow& r : rows)
    if (std::find(pairs.begin(), pairs.end(), r.pair) == pairs.end()) pairs.push_back(r.pair);
  for (std::size_t q = 0; q < pairs.size(); ++q)
    for (PathMethod m : kPathMethods) {
      bool any = false;
      for (const ComparisonRow& r : rows)
        if (r.pair == pairs[q] && r.method == m) {
          if (!any) dat << "# pair " << r.pair.i << "-" << r.pair.j << " " << to_string(m) << "\n";
          any = true;
          dat << r.gradient_evaluations << ' ' << number(r.H) << ' ' << number(r.H_check) << '\n';
        }
      if (!any) continue;
      dat << "\n\n";
      const std::string label =
          to_string(m) + " " + std::to_string(pairs[q].i) + "-" + std::to_string(pairs[q].j);
      plot += std::string(plot.empty() ? "plot " : ", ") + "'compare.dat' index " + std::to_string(block) +
              " using 1:2 with linespoints lw 2 dt " + std::to_string(int(q % 5) + 1) + " lc rgb '" +
              colours[int(m)] + "' title '" + label + "'";
      ++block;
    }
  if (plot.empty()) return false;
  dir.write("compare.dat", dat.str());
  const std::string body =
      "set logscale x\nset key outside right\nset grid\nset xlabel 'loss+gradient evaluations "
      "spent'\nset ylabel 'path height H'\nset title '" +
      title + "'\n" + plot;
  return run_gnuplot(dir.path(), "compare", both_terminals("compare", body, "900,500"));
}

}  // namespace landscape
