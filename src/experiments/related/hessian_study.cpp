#include "experiments/related/hessian_study.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <tuple>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/wall_clock.hpp"
#include "experiments/related/convexity_map.hpp"
#include "experiments/related/hessian_study_figures.hpp"
#include "experiments/related/hessian_study_files.hpp"
#include "experiments/support/progress.hpp"
#include "experiments/support/step_trace.hpp"
#include "io/atomic_file.hpp"
#include "io/data_directory.hpp"
#include "io/provenance.hpp"
#include "io/run_directory.hpp"
#include "landscape/spectra/curvature_operator.hpp"
#include "landscape/spectra/hutchinson_trace.hpp"
#include "landscape/spectra/lanczos.hpp"
#include "landscape/spectra/spectral_density.hpp"
#include "models/dataset_ggn.hpp"
#include "models/dataset_hvp.hpp"
#include "models/dataset_loss.hpp"
#include "models/weights_file.hpp"

namespace landscape {

void HessianStudyParams::check() const {
  table().check(*this);
  if (weights.empty()) throw UsageError("--weights is required");
  if (!(range_lo < range_hi) || !std::isfinite(range_lo) || !std::isfinite(range_hi))
    throw UsageError("--range A:B needs finite A < B");
}

Settings HessianStudyParams::settings(const std::string& data_fingerprint) const {
  const ParameterTable<HessianStudyParams>& t = table();
  Settings s;
  s.fields(t, *this,
           {"arch", "activation", "weights", "split", "images", "iterations", "probes", "broadening",
            "density-grid", "seed", "per-layer", "map"});
  s.field_as(t, *this, "grid", "map_grid");
  s.add("range", parameter_text::number(range_lo) + ":" + parameter_text::number(range_hi));
  s.fields(t, *this, {"map-iterations"}).add("precision", kPrecisionName);
  s.field_as(t, *this, "trace-estimator", "trace");  // the key before the flag was renamed
  s.fields(t, *this, {"curvature"}).add_recorded_since_rule("data", data_fingerprint);
  return s;
}

double convexity_ratio(double lambda_min, double lambda_max) {
  return lambda_max == 0 ? 0.0 : std::abs(lambda_min / lambda_max);
}

namespace {

// Lanczos stops after its steps whether or not the extreme Ritz values have converged; a
// residual |H y - theta y| that is not small against the spectrum's scale says they have not.
void warn_unconverged_eigenvalues(const std::string& label, const ExtremeEigenvalues& e, double tol) {
  const double scale = std::max(std::abs(e.lambda_max), std::abs(e.lambda_min)), bound = tol * scale;
  for (auto [name, value, residual] : {std::tuple{"lambda_max", e.lambda_max, e.residual_max},
                                       std::tuple{"lambda_min", e.lambda_min, e.residual_min}})
    if (residual > bound)
      std::fprintf(
          stderr,
          "\nwarning: %s: %s %.4g has the residual |H y - lambda y| %.3g, above %.3g (--residual-tol x "
          "the largest |eigenvalue|): not converged in %d Lanczos steps; give more --iterations\n",
          label.c_str(), name, value, residual, bound, e.steps);
}

// The trace by --trace: Hutchinson's with --probes probes, or Hutch++ with as many products
// (rounded up to a multiple of 3).
TraceEstimate estimate_trace(const SymmetricOperator& H, const HessianStudyParams& p) {
  if (p.trace_method == TraceMethod::HutchPlusPlus)
    return hutchpp_trace(H, 3 * ((p.probes + 2) / 3), p.seed + 1);
  return hutchinson_trace(H, p.probes, p.seed + 1);
}

// The spectrum of each parameter block on its own (--per-layer).
std::vector<HessianLayerResult> layer_spectra(const HessianStudyParams& p, const Model& model,
                                              const std::function<SymmetricOperator(int)>& curvature,
                                              long row, const std::function<void(const std::string&)>& say) {
  std::vector<HessianLayerResult> layers;
  for (size_t b = 0; b < model.layout().size(); ++b) {
    const ParamBlock& blk = model.layout()[b];
    say("block " + blk.name);
    const SymmetricOperator Hb = curvature(int(b));
    const ExtremeEigenvalues eb = extreme_eigenvalues(Hb, p.iterations, p.seed);
    const TraceEstimate tb = estimate_trace(Hb, p);
    layers.push_back({row, b, blk.name, blk.size(), eb.lambda_max, eb.lambda_min,
                      convexity_ratio(eb.lambda_min, eb.lambda_max), tb.trace, tb.standard_error});
  }
  return layers;
}

// The whole spectrum of one weight vector (docs/algorithms.md §10).
HessianRowResult hessian_row(const HessianStudyParams& p, const Model& model, const Dataset& data,
                             const Scalar* w, long row, Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string label = "hessian: row " + std::to_string(row);
  auto products = std::make_shared<long>(0);
  // A phase's line when it starts: the products it has made so far, which is none at its start
  // (the previous phases' count is on their own lines), then the products and time at the end.
  long phase_start = 0;
  std::string phase;
  const auto close_phase = [&] {
    const std::string elapsed = format_duration(seconds_since(t0));
    if (!phase.empty())
      progress.update(label + ": " + phase + ": " + std::to_string(*products - phase_start) + " products (" +
                          std::to_string(*products) + " in all, " + elapsed + ")",
                      true);
    phase.clear();
  };
  const std::function<void(const std::string&)> say = [&](const std::string& what) {
    close_phase();
    phase = what;
    phase_start = *products;
    progress.update(label + ": " + what + " ...", true);
  };
  HessianRowResult r;
  r.row = row;
  r.loss = dataset_loss(model, data, w, nullptr).loss;
  if (p.curvature == Curvature::Fisher) say("per-example gradients");
  const auto curvature = curvature_at(p.curvature, model, data, w, products);
  const SymmetricOperator H = curvature(-1);

  say("Lanczos for the extreme eigenvalues");
  const ExtremeEigenvalues e = extreme_eigenvalues(H, p.iterations, p.seed);
  r.lambda_max = e.lambda_max;
  r.lambda_min = e.lambda_min;
  r.ratio = convexity_ratio(e.lambda_min, e.lambda_max);
  r.residual_max = e.residual_max;
  r.residual_min = e.residual_min;
  warn_unconverged_eigenvalues(label, e, p.residual_tol);
  if (p.trace) r.lanczos_trace = lanczos_trace_text(e.run);

  say(p.trace_method == TraceMethod::HutchPlusPlus ? "Hutch++ trace" : "Hutchinson trace");
  const TraceEstimate tr = estimate_trace(H, p);
  r.trace = tr.trace;
  r.trace_se = tr.standard_error;

  say("stochastic Lanczos quadrature");
  SlqParams slq;
  slq.probes = p.probes;
  slq.iterations = p.iterations;
  slq.broadening = p.broadening;
  slq.grid = p.density_grid;
  slq.seed = p.seed + 1;
  const SpectralDensity d = spectral_density(H, slq);
  r.slq_trace = d.mean() * double(H.n);
  r.density_t = d.grid;
  r.density = d.density;

  if (p.per_layer) r.layers = layer_spectra(p, model, curvature, row, say);
  r.hvps = *products;
  r.seconds = seconds_since(t0);
  char line[256];
  std::snprintf(line, sizeof line, "lambda_max %.4g, lambda_min %.4g, ratio %.3g, trace %.4g +- %.2g; done",
                r.lambda_max, r.lambda_min, r.ratio, r.trace, r.trace_se);
  close_phase();
  progress.update(label + ": " + line, true);
  progress.finish();
  return r;
}

}  // namespace

std::string lanczos_trace_text(const LanczosResult& run) {
  StepTrace trace({"alpha", "beta", "ritz_max", "ritz_min", "residual_max", "residual_min"});
  for (int j = 1; j <= run.steps(); ++j) {
    const LanczosResult t = lanczos_after(run, j);
    trace.add(j, {run.alpha[j - 1], run.beta[j - 1], t.ritz_values.back(), t.ritz_values.front(),
                  t.residuals.back(), t.residuals.front()});
  }
  return trace.text();
}

namespace {

// Every row of --rows: those finished before read back, the others computed and written as
// they finish (the resume needs them on disk).
std::vector<HessianRowResult> hessian_rows(const HessianStudyParams& p, const Model& model,
                                           const Dataset& data, const NpyMatrix& weights,
                                           const std::vector<int64_t>& rows, const RunDirectory& dir) {
  std::vector<HessianRowResult> results;
  Progress progress;
  for (int64_t row : rows) {
    if (dir.finished(row_mark(row))) {
      results.push_back(read_row_files(dir, row, p.per_layer));
      std::fprintf(stderr, "hessian: row %lld finished before, kept\n", (long long)row);
      continue;
    }
    results.push_back(hessian_row(p, model, data, weights.row(row), row, progress));
    write_row_files(dir, results.back(), p.per_layer);
  }
  return results;
}

// The price of one product against one gradient at w (manifest and stderr).
struct ProductCost {
  double gradient_seconds = 0, hvp_seconds = 0;
};
ProductCost product_cost(const Model& model, const Dataset& data, const Scalar* w, Curvature curvature) {
  const size_t P = model.num_params();
  std::vector<Scalar> v(P, Scalar(1)), hv(P), grad(P);
  auto seconds_of = [](auto&& f) {  // the faster of two calls: the first also warms caches
    double best = 1e300;
    for (int k = 0; k < 2; ++k) {
      const auto t = std::chrono::steady_clock::now();
      f();
      best = std::min(best, seconds_since(t));
    }
    return best;
  };
  ProductCost c;
  c.gradient_seconds = seconds_of([&] { dataset_loss(model, data, w, grad.data()); });
  c.hvp_seconds = seconds_of([&] {
    if (curvature == Curvature::Ggn)
      dataset_ggn_product(model, data, w, v.data(), hv.data());
    else
      dataset_hvp(model, data, w, v.data(), hv.data());  // the Fisher's: its per-example gradients, once
  });
  return c;
}

}  // namespace

// The study's steps: the directory (other settings: restart, naming what goes), the price of a
// product, every row, the tables and figure, the map, the manifest last.
std::vector<HessianRowResult> run_hessian(const HessianStudyParams& params, const std::string& out_dir,
                                          const std::string& command_line) {
  params.check();
  const auto started = std::chrono::steady_clock::now();
  const auto [model, weights, data] = load_model_on_data(params);
  const std::vector<int64_t> rows = parse_rows(params.rows, weights.rows);
  const RunDirectory dir(out_dir);
  const Settings settings = params.settings(examples_fingerprint(data));
  dir.require_settings(settings, OnOtherSettings::Restart, {"rows", "map", "manifest.json"});
  make_directories(dir.file("rows"));
  remove_stale_temporaries(dir.file("rows"));

  const ProductCost cost = product_cost(*model, data, weights.row(rows.front()), params.curvature);
  std::fprintf(stderr,
               "hessian: %s on %d images: one gradient %.3f s, one %s-vector "
               "product %.3f s (%.2fx)\n",
               params.arch.c_str(), data.size(), cost.gradient_seconds,
               params.curvature == Curvature::Ggn ? "Gauss-Newton" : "Hessian", cost.hvp_seconds,
               cost.hvp_seconds / cost.gradient_seconds);
  const std::vector<HessianRowResult> results = hessian_rows(params, *model, data, weights, rows, dir);
  write_hessian_files(dir, results, params.per_layer);
  if (!draw_hessian_density(out_dir, params, results))
    std::fprintf(stderr,
                 "hessian: density figure not drawn (gnuplot missing or failed); data in "
                 "%s/density.dat\n",
                 out_dir.c_str());

  if (params.map) {
    ConvexityMapParams mp;
    mp.grid = params.map_grid;
    mp.lo = params.range_lo;
    mp.hi = params.range_hi;
    mp.iterations = params.map_iterations;
    mp.seed = params.seed;
    run_convexity_map(*model, data, weights.row(rows.front()), mp, out_dir + "/map");
  }

  JsonObject manifest = provenance(command_line);
  manifest.add_settings(settings)
      .add("rows", params.rows)
      .add("images_used", (long long)data.size())
      .add("gradient_seconds", cost.gradient_seconds)
      .add("hvp_seconds", cost.hvp_seconds)
      .add("wall_seconds", seconds_since(started));
  dir.write_manifest(manifest);
  return results;
}

}  // namespace landscape
