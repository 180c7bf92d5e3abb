// landscape path: FourierPathFinder paths (Algorithm 2, docs/algorithms.md §5) between pairs
// of weight vectors on a model's mean-loss landscape over a split of MNIST (Figure 4: 300 random
// pairs per set of 48 vectors). Resumable: pairs already in DIR/paths.csv are skipped.
// --method neb|bezier|polychain finds the paths another way (landscape/paths/path_method.hpp),
// --landscape fig3|mueller-brown runs on a 2-D test surface, and --refine descends from each
// path's highest point to its saddle (§13), and --batch B takes each step's gradient on a fresh
// mini-batch of B images (§5.7). The run itself is experiments/paths/path_run.hpp.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/path_flags.hpp"
#include "core/error.hpp"
#include "experiments/alignment/alignment_run.hpp"
#include "experiments/bench/path_step_timing.hpp"
#include "experiments/paths/path_run.hpp"
#include "experiments/support/progress.hpp"
#include "io/provenance.hpp"

namespace landscape {

namespace {

// After each pair: a progress line; on a surface also the path and its saddle on stdout.
void report_pair(const PairDone& d, const PathProblem& problem, PathMethod method, Progress& progress) {
  const PathResult& r = d.path.result;
  char line[300];
  std::snprintf(line, sizeof line, "path %zu/%zu (%lld-%lld): H_linear %.6g -> H %.6g, %s", d.position,
                d.total, (long long)d.pair.i, (long long)d.pair.j, r.H_linear, r.H,
                format_duration(d.seconds).c_str());
  if (const AlignedPair* a = d.aligned)
    std::snprintf(line + std::strlen(line), sizeof line - std::strlen(line),
                  " (aligned: distance %.4g -> %.4g)", a->distance_before, a->distance_after);
  progress.update(line, true);
  if (!problem.analytic()) return;
  const Scalar *from = problem.row(0), *to = problem.row(1);
  std::printf("%s, %s from (%g, %g) to (%g, %g): H_linear %.6g, H %.6g, length %.6g\n",
              problem.landscape().describe().c_str(), to_string(method).c_str(), double(from[0]),
              double(from[1]), double(to[0]), double(to[1]), r.H_linear, r.H, r.length);
  if (const RefinedSaddle* s = d.saddle)
    std::printf("refined barrier %.6g at (%.6g, %.6g), |grad f| %.3g%s\n", s->H_refined, double(s->point[0]),
                double(s->point[1]), s->gradient_norm,
                s->at_end ? " (the highest point is an end: no barrier between)" : "");
}

// "path 1/2 (0-1): step 37/100, 26.1min, ~1.9h left": within a pair, which on a model at the
// paper's scale takes an hour or more (a line every 10 s at most in a log).
void report_step(const PairStep& s, Progress& progress) {
  char line[200];
  std::snprintf(line, sizeof line, "path %zu/%zu (%lld-%lld): step %d/%d, %s, ~%s left", s.position, s.total,
                (long long)s.pair.i, (long long)s.pair.j, s.step, s.steps, format_duration(s.seconds).c_str(),
                format_duration(s.seconds_left()).c_str());
  progress.update(line);
}

// The command's --help text.
constexpr const char* kPathHelp =
    "Low-loss paths between rows of a weights file on the model's mean loss over a\n"
    "split of MNIST (FourierPathFinder, Algorithm 2, docs/algorithms.md §5, by default;\n"
    "--method neb|bezier|polychain for the others), or between two points of a 2-D\n"
    "test surface (--landscape fig3|mueller-brown --from X,Y --to X,Y). Writes\n"
    "DIR/paths.csv (i,j,H_linear,H,length,loss_sum,steps,H_excess) and DIR/profiles.csv\n"
    "(i,j,kind,m,t,loss; kind linear | optimized); with --refine DIR/refined.csv\n"
    "(i,j,H,H_refined,gradient_norm,refine_steps); on a surface DIR/points.csv\n"
    "(m,t,x,y,f) and DIR/manifest.json. Pairs already in DIR/paths.csv are skipped.\n"
    "H is the highest loss over the path's points; loss_sum their sum.\n"
    "--batch B (beyond the paper, docs/algorithms.md §5.7): each Adam step on a fresh\n"
    "mini-batch of B images; H, the profiles and the selection stay full-landscape\n"
    "values (judged every --eval-every steps and at the end). --checkpoints also\n"
    "writes DIR/checkpoints.csv (i,j,step,seconds,cpu_seconds,H,loss_sum,H_reported:\n"
    "every judged iterate, for H against time; bench/stochastic_paths.sh).\n"
    "--align weight|activation (docs/algorithms.md §14): row j of each pair permuted to\n"
    "match row i before its path is found; DIR/aligned.csv gives the distance and the\n"
    "straight line's barrier before and after.\n"
    "--save-path (for validating another implementation, docs/algorithms.md §16): the path\n"
    "itself, DIR/path-I-J.npy [M, P] (`eval --weights` gives its profile back), and its\n"
    "coefficients (fourier: b [NF, P]; bezier, polychain: theta [1, P]; neb: none, the band\n"
    "is the path). --trace: DIR/trace-I-J.csv, a row per FourierPathFinder iterate\n"
    "(objective, loss_sum, H, |dL/db|, Adam's moments), with --trace-states also b^k.";

// What the problem decides in the run's settings: the surface's learning rate, the aligner,
// the seed and the mini-batches.
void complete_run_settings(PathRunSettings& settings, const Args& args, const PathProblem& problem) {
  if (problem.analytic() && !args.given("lr"))
    use_surface_learning_rate(settings.params, settings.refine_params);
  if (settings.align) {
    if (problem.analytic()) throw UsageError("--align needs a model (--arch, --weights), not --landscape");
    AlignParams align;
    align.method = *settings.align;
    settings.aligner = [&problem, align](const PathPair& pair) { return align_pair(problem, pair, align); };
  }
  settings.seed = problem.seed();
  settings.mini_batches = problem.mini_batches(settings.params.fourier.batch);
  check_mini_batches(settings);
}

// --time-step: one FourierPathFinder step against M back-to-back evaluations, on stdout.
void time_one_step(const PathProblem& problem, const PathRunSettings& settings) {
  if (settings.method != PathMethod::Fourier || problem.analytic())
    throw UsageError("--time-step times FourierPathFinder on a model (--method fourier)");
  if (settings.params.fourier.batch > 0)
    throw UsageError("--time-step times a full-batch step: leave out --batch");
  const PathPair& pair = problem.pairs().front();
  const std::size_t P = problem.landscape().dimension();
  const PathStepTiming t = time_path_step(problem.landscape(), {problem.row(pair.i), P},
                                          {problem.row(pair.j), P}, settings.params.fourier);
  std::fputs(path_step_report(t, problem.landscape().describe()).c_str(), stdout);
}

}  // namespace

int cmd_path(int argc, char** argv) {
  Args args("path", kPathHelp);
  add_path_landscape_flags(args);
  add_path_method_flags(args);  // before --refine's table: the methods' --lr help stands
  args.declare(PathRunSettings::table(), {}, {"lr"});  // --refine steps with the methods' --lr
  args.flag("out", "", "output directory", true)
      .toggle("time-step", "time one step against M back-to-back evaluations, then exit")
      .toggle("checkpoints", "also write DIR/checkpoints.csv: H at every judged iterate, timed")
      .toggle("save-path",
              "also write DIR/path-I-J.npy (the path's M points [M, P]) and DIR/coefficients-I-J.npy")
      .declare(TraceParams::table());
  if (!parse_with_threads(args, argc, argv)) return 0;

  PathRunSettings settings = args.read(PathRunSettings::table());  // the flags' errors first
  settings.params = read_path_method_params(args);
  const PathProblem problem(read_path_problem(args));
  complete_run_settings(settings, args, problem);
  if (args.on("time-step")) {
    time_one_step(problem, settings);
    return 0;
  }
  const Landscape& land = problem.landscape();
  const EndPoints ends = [&](int64_t i) { return problem.row(i); };

  const std::string dir = args.str("out");
  const TraceParams trace = args.read(TraceParams::table());
  check_trace(settings.method, trace);
  const Settings run_settings = path_run_settings(problem.settings(), settings);
  PathRun run(dir, run_settings,
              {.surface_points = problem.analytic(),
               .checkpoints = args.on("checkpoints"),
               .save_path = args.on("save-path"),
               .trace = trace});
  if (problem.analytic())
    run.directory().write_manifest(
        provenance(args.command_line()).add("landscape", land.describe()).add_settings(run_settings));
  Progress progress;
  const PathRunCount count = run_path_pairs(
      land, ends, problem.pairs(), settings, run, "",
      [&](const PairDone& d) { report_pair(d, problem, settings.method, progress); },
      [&](const PairStep& s) {
        if (!problem.analytic()) report_step(s, progress);  // a 2-D surface's steps take microseconds
      });
  progress.finish();
  std::fprintf(stderr, "path: %zu pairs computed, %zu already in %s/paths.csv\n", count.computed,
               count.skipped, dir.c_str());
  return 0;
}

}  // namespace landscape
