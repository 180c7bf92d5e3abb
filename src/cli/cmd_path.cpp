// landscape path: FourierPathFinder paths (Algorithm 2, NOTES.md section 5) between pairs of
// weight vectors on a model's mean-loss landscape over a split of MNIST (Figure 4: 300 random
// pairs per set of 48 vectors). Resumable: pairs already in DIR/paths.csv are skipped.
// --method neb|bezier|polychain finds the paths another way (landscape/paths/path_method.hpp),
// --landscape fig3|mueller-brown runs on a 2-D test surface, and --refine descends from each
// path's highest point to its saddle (landscape/paths/saddle_refinement.hpp).
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/path_flags.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "experiments/paths/path_pairs.hpp"
#include "experiments/paths/path_table.hpp"
#include "experiments/support/progress.hpp"
#include "io/atomic_file.hpp"
#include "io/provenance.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "landscape/paths/path_method.hpp"
#include "landscape/paths/saddle_refinement.hpp"
#include "optim/adam.hpp"

namespace landscape {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// What the rows of DIR depend on (checked when resuming). The pair list is not part of it:
// a later run may add pairs. For fourier on a model the text is the one written before
// --method existed, so those directories resume.
std::string settings_text(const Args& args, const PathProblem& problem, PathMethod method,
                          const PathMethodParams& m, bool refine, const RefineParams& rp) {
  std::ostringstream s;
  s.precision(17);
  s << problem.settings(args);
  if (method == PathMethod::Fourier) {
    const PathParams& p = m.fourier;
    s << "terms " << p.terms << "\npoints " << p.points << "\nlambda " << p.lambda << "\nlr "
      << p.lr << "\nsteps " << p.steps << "\npoint-loss " << to_string(p.point_loss)
      << "\ngrad-noise " << p.grad_noise << "\nselect " << to_string(p.select) << "\n";
    if (p.grad_noise > 0) s << "seed " << args.str("seed") << "\n";  // the noise depends on it
  } else {
    s << path_method_settings(method, m);
    if (method != PathMethod::Neb) s << "seed " << args.str("seed") << "\n";  // the t draws
  }
  if (refine)
    s << "refine-steps " << rp.steps << "\nrefine-images " << rp.images << "\nrefine-lr " << rp.lr
      << "\n";
  return s.str();
}

// DIR/refined.csv (--refine): the refined barrier of each pair beside its unrefined one. Rows
// of pairs that paths.csv lacks (a run stopped between the two writes) are dropped on loading.
class RefinedTable {
 public:
  RefinedTable(const std::string& dir, const PathTable& table) : path_(dir + "/refined.csv") {
    std::ifstream in(path_);
    std::string line;
    if (!std::getline(in, line)) return;
    if (line != kHeader) throw Error(path_ + ": expected the header '" + std::string(kHeader) + "'");
    while (std::getline(in, line)) {
      const std::size_t a = line.find(','), b = line.find(',', a + 1);
      if (a == std::string::npos || b == std::string::npos) continue;
      PathPair p;
      try {
        p = {std::stoll(line.substr(0, a)), std::stoll(line.substr(a + 1, b - a - 1))};
      } catch (...) {
        continue;
      }
      if (table.has(p)) rows_.push_back(line);
    }
  }
  void add(const PathPair& pair, const RefinedSaddle& r) {
    char line[256];
    std::snprintf(line, sizeof line, "%lld,%lld,%.10g,%.10g,%.6g,%d", (long long)pair.i,
                  (long long)pair.j, r.H, r.H_refined, r.gradient_norm, r.steps);
    rows_.push_back(line);
    std::string text = std::string(kHeader) + "\n";
    for (const std::string& row : rows_) text += row + "\n";
    write_text_atomic(path_, text);
  }

 private:
  static constexpr const char* kHeader = "i,j,H,H_refined,gradient_norm,refine_steps";
  std::string path_;
  std::vector<std::string> rows_;
};

// DIR/points.csv on a 2-D surface: m,t,x,y,f of the reported path.
void write_points(const std::string& dir, const FoundPath& path) {
  std::ostringstream csv;
  csv.precision(10);
  csv << "m,t,x,y,f\n";
  for (std::size_t m = 0; m < path.size(); ++m)
    csv << m << ',' << path.result.t[m] << ',' << path.points[2 * m] << ','
        << path.points[2 * m + 1] << ',' << path.result.profile[m] << '\n';
  write_text_atomic(dir + "/points.csv", csv.str());
}

// The performance point of the issue: one optimisation step (the M point evaluations with
// their gradients in parallel, the b-gradient, Adam) against M whole-dataset loss+gradient
// evaluations done back to back, each of those using every thread over the data.
void time_one_step(const Landscape& land, const NpyMatrix& weights, const PathPair& pair,
                   const PathParams& params) {
  const std::size_t P = land.dimension();
  FourierPathFinder finder(land, {weights.row(pair.i), P}, {weights.row(pair.j), P}, params);
  const std::size_t M = std::size_t(params.points), nb = std::size_t(params.terms) * P;
  std::vector<Scalar> W(M * P), grad(P), b(nb, Scalar(0)), grad_b(nb);
  finder.path_points(b.data(), W.data());
  land.evaluate(W.data(), grad.data());  // warm-up (first touch of the data, allocator)

  // Wall time, and the process's CPU time (all threads) as a check when the machine is shared.
  auto start = Clock::now();
  std::clock_t cpu_start = std::clock();
  for (std::size_t m = 0; m < M; ++m) land.evaluate(W.data() + m * P, grad.data());
  const double back_to_back = seconds_since(start);
  const double back_to_back_cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;

  AdamParams adam_params;
  adam_params.lr = params.lr;
  Adam adam(nb, adam_params);
  start = Clock::now();
  cpu_start = std::clock();
  finder.objective(b.data(), grad_b.data());
  adam.step(b.data(), grad_b.data());
  const double step = seconds_since(start);
  const double step_cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::printf(
      "%s, %d threads, %s\n"
      "one optimisation step (M = %zu points):    wall %.3f s, cpu %.3f s\n"
      "M loss+gradient evaluations back to back: wall %.3f s, cpu %.3f s\n"
      "ratio step / evaluations: wall %.3f, cpu %.3f\n",
      land.describe().c_str(), num_threads(), kPrecisionName, M, step, step_cpu, back_to_back,
      back_to_back_cpu, step / back_to_back, step_cpu / back_to_back_cpu);
}

}  // namespace

int cmd_path(int argc, char** argv) {
  Args args("path",
            "Low-loss paths between rows of a weights file on the model's mean loss over a\n"
            "split of MNIST (FourierPathFinder, Algorithm 2, NOTES.md section 5, by default;\n"
            "--method neb|bezier|polychain for the others), or between two points of a 2-D\n"
            "test surface (--landscape fig3|mueller-brown --from X,Y --to X,Y). Writes\n"
            "DIR/paths.csv (i,j,H_linear,H,length,loss_sum,steps) and DIR/profiles.csv\n"
            "(i,j,kind,m,t,loss; kind linear | optimized); with --refine DIR/refined.csv\n"
            "(i,j,H,H_refined,gradient_norm,refine_steps); on a surface DIR/points.csv\n"
            "(m,t,x,y,f) and DIR/manifest.json. Pairs already in DIR/paths.csv are skipped.\n"
            "H is the highest loss over the path's points; loss_sum their sum.");
  args.flag("method", "fourier", "fourier | neb | bezier | polychain");
  add_path_landscape_flags(args);
  add_path_method_flags(args);
  args.flag("out", "", "output directory", true)
      .toggle("time-step", "time one step against M back-to-back evaluations, then exit");
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);

  const PathMethod method = parse_path_method(args.str("method"));
  const PathMethodParams params = read_path_method_params(args);
  const bool refine = args.on("refine");
  const RefineParams refine_params = read_refine_params(args);
  const PathProblem problem(args);
  const Landscape& land = problem.landscape();
  const std::vector<PathPair>& pairs = problem.pairs();

  if (args.on("time-step")) {
    if (method != PathMethod::Fourier || problem.analytic())
      throw UsageError("--time-step times FourierPathFinder on a model (--method fourier)");
    time_one_step(land, problem.weights(), pairs.front(), params.fourier);
    return 0;
  }

  const std::string dir = args.str("out");
  PathTable table(dir, settings_text(args, problem, method, params, refine, refine_params));
  RefinedTable refined(dir, table);
  if (problem.analytic()) {
    JsonObject manifest = provenance(args.command_line());
    manifest.add("landscape", land.describe())
        .add("method", to_string(method))
        .add("seed", (long long)problem.seed());
    write_text_atomic(dir + "/manifest.json", manifest.str() + "\n");
  }
  const std::size_t P = land.dimension();
  std::size_t done = 0, skipped = 0;
  Progress progress;
  for (const PathPair& pair : pairs) {
    if (table.has(pair)) {
      ++skipped;
      continue;
    }
    PathMethodParams p = params;
    p.fourier.noise_seed = p.curve.seed = pair_seed(problem.seed(), pair);
    const auto start = Clock::now();
    FoundPath path;
    RefinedSaddle saddle;
    try {
      path = find_path(method, land, {problem.row(pair.i), P}, {problem.row(pair.j), P}, p);
      if (refine) saddle = refine_saddle(land, path, refine_params);
    } catch (const Error& e) {  // the finder knows its step, not which pair it was given
      throw Error("pair " + std::to_string(pair.i) + "-" + std::to_string(pair.j) + ": " +
                  e.what());
    }
    const PathResult& r = path.result;
    if (problem.analytic()) write_points(dir, path);
    if (refine) refined.add(pair, saddle);  // before paths.csv: a pair there is complete
    table.add(pair, r);
    ++done;
    char line[300];
    std::snprintf(line, sizeof line, "path %zu/%zu (%lld-%lld): H_linear %.6g -> H %.6g, %s",
                  done + skipped, pairs.size(), (long long)pair.i, (long long)pair.j, r.H_linear,
                  r.H, format_duration(seconds_since(start)).c_str());
    progress.update(line, true);
    if (problem.analytic()) {
      std::printf("%s, %s from (%g, %g) to (%g, %g): H_linear %.6g, H %.6g, length %.6g\n",
                  land.describe().c_str(), to_string(method).c_str(), double(problem.row(0)[0]),
                  double(problem.row(0)[1]), double(problem.row(1)[0]), double(problem.row(1)[1]),
                  r.H_linear, r.H, r.length);
      if (refine)
        std::printf("refined barrier %.6g at (%.6g, %.6g), |grad f| %.3g%s\n", saddle.H_refined,
                    double(saddle.point[0]), double(saddle.point[1]), saddle.gradient_norm,
                    saddle.at_end ? " (the highest point is an end: no barrier between)" : "");
    }
  }
  progress.finish();
  std::fprintf(stderr, "path: %zu pairs computed, %zu already in %s/paths.csv\n", done, skipped,
               dir.c_str());
  return 0;
}

}  // namespace landscape
