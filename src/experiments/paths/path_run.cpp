#include "experiments/paths/path_run.hpp"

#include <chrono>
#include <cstdio>
#include <sstream>

#include "core/error.hpp"
#include "core/wall_clock.hpp"
#include "experiments/paths/pair_state.hpp"
#include "io/npy.hpp"

namespace landscape {

namespace {

// DIR/points.csv on a 2-D surface: m,t,x,y,f of the reported path.
std::string points_text(const FoundPath& path) {
  std::ostringstream csv;
  csv.precision(10);
  csv << "m,t,x,y,f\n";
  for (std::size_t m = 0; m < path.size(); ++m)
    csv << m << ',' << path.result.t[m] << ',' << path.points[2 * m] << ',' << path.points[2 * m + 1] << ','
        << path.result.profile[m] << '\n';
  return csv.str();
}

// The method's settings: FourierPathFinder's (its seed only with gradient noise or
// mini-batches, what draws from it; the batch lines only with --batch: full-batch directories
// have none); NEB draws nothing; the curves draw their t.
void add_method_settings(Settings& s, const PathRunSettings& r) {
  const PathMethodParams& p = r.params;
  s.fields(PathRunSettings::table(), r, {"method"});
  switch (r.method) {
    case PathMethod::Fourier:
      s.fields(PathParams::table(), p.fourier,
               {"terms", "points", "lambda", "lr", "steps", "point-loss", "grad-noise", "select"});
      if (p.fourier.batch > 0) s.fields(PathParams::table(), p.fourier, {"batch", "eval-every"});  // §5.7
      if (p.fourier.grad_noise > 0 || p.fourier.batch > 0) s.add("seed", std::to_string(r.seed));
      break;
    case PathMethod::Neb:
      s.fields(NebParams::table(), p.neb,
               {"lr", "steps", "neb-images", "neb-max-images", "neb-spring", "neb-cycle", "neb-insert"});
      break;
    case PathMethod::Bezier:
    case PathMethod::PolyChain:
      s.fields(CurveParams::table(), p.curve, {"lr", "steps", "curve-samples", "points"});
      s.add("seed", std::to_string(r.seed));
      break;
  }
}

}  // namespace

Settings path_run_settings(Settings landscape, const PathRunSettings& r) {
  add_method_settings(landscape, r);
  if (r.refine) {
    landscape.fields(RefineParams::table(), r.refine_params, {"refine-steps", "refine-images", "refine-tol"});
    landscape.field_as(RefineParams::table(), r.refine_params, "lr", "refine_lr");
  }
  if (r.align) add_alignment_settings(landscape, *r.align);
  return landscape;
}

FoundPath find_pair_path(const Landscape& f, const EndPoints& ends, const PathPair& pair, PathMethod method,
                         PathMethodParams params, std::uint64_t seed, const std::string& label,
                         const MiniBatchSource& batches, const StepObserver& on_step,
                         const PathStepTracer& on_trace, const PathResumption& resume) {
  params.fourier.noise_seed = params.curve.seed = pair_seed(seed, pair);
  const std::size_t P = f.dimension();
  try {
    // One seed rule (§5.5): the mini-batches of a pair come from its pair_seed too (§5.7).
    const StepLandscapes steps =
        params.fourier.batch > 0 && batches ? batches(params.fourier.noise_seed) : StepLandscapes{};
    return find_path(method, f, {ends(pair.i), P}, {ends(pair.j), P}, params, steps, on_step, on_trace,
                     resume);
  } catch (const Error& e) {
    throw Error(label + ": " + e.what());
  }
}

void check_trace(PathMethod method, const TraceParams& trace) {
  trace.check();
  if (trace.trace && method != PathMethod::Fourier)
    throw UsageError("--trace traces FourierPathFinder's steps (--method fourier); " + to_string(method) +
                     " has no step trace yet");
}

void check_mini_batches(const PathRunSettings& settings) {
  const int batch = settings.params.fourier.batch;
  if (batch == 0) return;
  if (settings.method != PathMethod::Fourier)
    throw UsageError("--batch " + std::to_string(batch) +
                     ": stochastic steps are FourierPathFinder's (--method fourier)");
  if (!settings.mini_batches)
    throw UsageError("--batch " + std::to_string(batch) +
                     " needs a model's landscape (--arch --weights): a 2-D surface has no images");
}

PairTrace make_pair_trace(const PathParams& params) {
  std::vector<std::string> integers;
  if (params.batch > 0) integers.push_back("batch_seed");
  return {StepTrace({"objective", "loss_sum", "H", "batch_objective", "batch_loss_sum", "gradient_norm",
                     "adam_m_norm", "adam_v_norm"},
                    integers),
          {}};
}

PathStepTracer pair_tracer(PairTrace& trace, const TraceParams& params, const PathParams& path, std::size_t P,
                           std::uint64_t batch_seed) {
  const std::size_t nb = std::size_t(path.terms) * P;
  const bool stochastic = path.batch > 0;
  return [&trace, params, nb, stochastic, batch_seed, steps = path.steps](const PathStepRecord& r) {
    std::vector<std::uint64_t> seed;
    if (stochastic) seed.push_back(batch_seed);  // with k, it fixes step k's images (§5.7)
    trace.rows.add(r.step,
                   {r.objective, r.loss_sum, r.H, r.batch_objective, r.batch_loss_sum, r.gradient_norm,
                    r.adam_m_norm, r.adam_v_norm},
                   seed);
    if (params.state_at(r.step, steps)) trace.states.add(r.step, r.b, nb);
  };
}

PathRun::PathRun(const std::string& dir, const Settings& settings, PathRunFiles files)
    : table_(dir, settings), refined_(table_), aligned_(table_), files_(files) {
  if (files.checkpoints) checkpoints_.emplace(table_);
}

void PathRun::save_path(const PathPair& pair, const FoundPath& path) const {
  const std::string name = pair_name(pair);
  const int64_t P = int64_t(path.points.size() / path.size());
  write_npy(directory().file("path-" + name + ".npy"), path.points.data(), int64_t(path.size()), P);
  if (path.coefficient_rows > 0)
    write_npy(directory().file("coefficients-" + name + ".npy"), path.coefficients.data(),
              int64_t(path.coefficient_rows), int64_t(path.coefficients.size() / path.coefficient_rows));
}

void PathRun::save_trace(const PathPair& pair, const PairTrace& trace) const {
  const std::string name = pair_name(pair);
  directory().write("trace-" + name + ".csv", trace.rows.text());
  if (trace.states.empty()) return;
  const int64_t S = int64_t(trace.states.steps.size());
  write_npy(directory().file("trace-states-" + name + ".npy"), trace.states.rows.data(), S,
            int64_t(trace.states.rows.size()) / S);
  directory().write("trace-states-" + name + ".csv", trace.states.steps_csv());
}

void PathRun::record(const PathPair& pair, const FoundPath& path, const RefinedSaddle* saddle,
                     const AlignedPair* aligned, const PairTrace* trace) {
  if (files_.surface_points) directory().write("points.csv", points_text(path));
  if (files_.save_path) save_path(pair, path);
  if (trace) save_trace(pair, *trace);
  if (saddle) refined_.add(pair, *saddle);
  if (aligned) aligned_.add(*aligned);
  if (checkpoints_) checkpoints_->add(pair, path.result);
  table_.add(pair, path.result);
}

PathRunCount run_path_pairs(const Landscape& f, const EndPoints& ends, const std::vector<PathPair>& pairs,
                            const PathRunSettings& settings, PathRun& run, const std::string& where,
                            const std::function<void(const PairDone&)>& done,
                            const std::function<void(const PairStep&)>& on_step) {
  check_mini_batches(settings);
  std::size_t todo = 0;
  for (const PathPair& pair : pairs) todo += !run.has(pair);
  PathRunCount count;
  const auto run_start = WallClock::now();
  const bool keeps_state = settings.method == PathMethod::Fourier && !run.files().trace.trace &&
                           run.files().keep_state_seconds >= 0;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const PathPair& pair = pairs[k];
    if (run.has(pair)) {
      forget_pair_state(run.directory(), pair);  // a kill between the row and the forgetting
      ++count.skipped;
      continue;
    }
    const std::string label = where + "pair " + pair_name(pair);
    std::optional<FourierPathState> kept;
    if (keeps_state) kept = kept_pair_state(run.directory(), pair, f.dimension(), settings.params.fourier);
    if (kept)
      std::fprintf(stderr, "%s: continuing from step %d of %d, kept in %s\n", label.c_str(), kept->steps_done,
                   settings.params.fourier.steps, pair_state_file(run.directory(), pair).c_str());
    // A continued pair's clock includes the time its kept state had spent (the ETA's pace).
    const auto start = WallClock::now() - std::chrono::duration_cast<WallClock::duration>(
                                              std::chrono::duration<double>(kept ? kept->seconds : 0.0));
    auto last_kept = WallClock::now();
    PathResumption resume{kept ? &*kept : nullptr, {}};
    if (keeps_state)
      resume.keeper = {[&](int) { return seconds_since(last_kept) >= run.files().keep_state_seconds; },
                       [&](const FourierPathState& s) {
                         keep_pair_state(run.directory(), pair, s, f.dimension());
                         last_kept = WallClock::now();
                       }};
    std::optional<AlignedPair> aligned;
    if (settings.align) aligned = settings.aligner(pair);
    const EndPoints pair_ends = [&](int64_t r) {
      return aligned && r == pair.j ? aligned->aligned.data() : ends(r);
    };
    StepObserver step_observer;
    if (on_step)
      step_observer = [&](int step, int steps) {
        on_step({pair, step, steps, k + 1, pairs.size(), count.computed, todo, seconds_since(start),
                 seconds_since(run_start)});
      };
    std::optional<PairTrace> trace;  // --trace: FourierPathFinder's rows (check_trace)
    PathStepTracer tracer;
    if (run.files().trace.trace) {
      trace.emplace(make_pair_trace(settings.params.fourier));
      tracer = pair_tracer(*trace, run.files().trace, settings.params.fourier, f.dimension(),
                           pair_seed(settings.seed, pair));
    }
    const FoundPath path = find_pair_path(f, pair_ends, pair, settings.method, settings.params, settings.seed,
                                          label, settings.mini_batches, step_observer, tracer, resume);
    if (path.climbing && !path.climbing->converged())
      std::fprintf(
          stderr,
          "warning: %s: NEB's climbing image stopped at |grad f| %.3g, above %.3g (1e-3 x the first "
          "band's steepest gradient): the band's top is not a saddle yet, and H is its highest point; "
          "--refine descends to the saddle, or give more --steps\n",
          label.c_str(), path.climbing->gradient_norm, path.climbing->tolerance);
    RefinedSaddle saddle;
    if (settings.refine) {
      try {
        saddle = refine_saddle(f, path, settings.refine_params);
      } catch (const Error& e) {
        throw Error(label + ": " + e.what());
      }
      warn_if_unconverged(label, saddle);
    }
    run.record(pair, path, settings.refine ? &saddle : nullptr, aligned ? &*aligned : nullptr,
               trace ? &*trace : nullptr);
    forget_pair_state(run.directory(), pair);
    ++count.computed;
    done({pair, path, settings.refine ? &saddle : nullptr, aligned ? &*aligned : nullptr, k + 1, pairs.size(),
          count.computed, todo, seconds_since(start), seconds_since(run_start)});
  }
  return count;
}

double PairStep::seconds_left() const {
  const double pair_time = step > 0 ? seconds / step * steps : seconds;
  const double done_time = elapsed - seconds;  // the pairs computed before this one
  const double per_pair = computed > 0 ? done_time / double(computed) : pair_time;
  return (pair_time - seconds) + per_pair * double(todo - computed - 1);
}

void use_surface_learning_rate(PathMethodParams& methods, RefineParams& refine) {
  methods.fourier.lr = methods.neb.lr = methods.curve.lr = refine.lr = kSurfaceLearningRate;
}

void warn_if_unconverged(const std::string& label, const RefinedSaddle& s) {
  if (s.converged) return;
  std::fprintf(
      stderr,
      "warning: %s: the refinement stopped after %d steps at |grad f| %.3g, above its tolerance %.3g "
      "(--refine-tol x the band's steepest gradient): H_refined %.6g is not a saddle's value; give more "
      "--refine-steps or another --lr (refined.csv: converged = no)\n",
      label.c_str(), s.steps, s.gradient_norm, s.tolerance, s.H_refined);
}

}  // namespace landscape
