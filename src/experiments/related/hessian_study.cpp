#include "experiments/related/hessian_study.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "experiments/related/convexity_map.hpp"
#include "experiments/support/progress.hpp"
#include "experiments/support/provenance.hpp"
#include "experiments/support/report_document.hpp"
#include "io/atomic_file.hpp"
#include "io/csv.hpp"
#include "landscape/spectra/hessian_operator.hpp"
#include "landscape/spectra/hutchinson_trace.hpp"
#include "landscape/spectra/lanczos.hpp"
#include "landscape/spectra/spectral_density.hpp"
#include "models/dataset_hvp.hpp"
#include "models/dataset_loss.hpp"
#include "models/weights_file.hpp"

namespace landscape {

namespace fs = std::filesystem;

void HessianStudyParams::check() const {
  table().check(*this);
  if (weights.empty()) throw UsageError("--weights is required");
  if (!(range_lo < range_hi) || !std::isfinite(range_lo) || !std::isfinite(range_hi))
    throw UsageError("--range A:B needs finite A < B");
}

std::string HessianStudyParams::settings() const {
  std::ostringstream s;
  s.precision(17);
  s << "arch=" << arch << "\nactivation=" << (activation == Activation::Relu ? "relu" : "softplus")
    << "\nweights=" << weights << "\nsplit=" << (split == Split::Train ? "train" : "test")
    << "\nimages=" << images << "\niterations=" << iterations << "\nprobes=" << probes
    << "\nbroadening=" << broadening << "\ndensity_grid=" << density_grid << "\nseed=" << seed
    << "\nper_layer=" << per_layer << "\nmap=" << map << "\nmap_grid=" << map_grid
    << "\nrange=" << range_lo << ":" << range_hi << "\nmap_iterations=" << map_iterations
    << "\nprecision=" << kPrecisionName << "\n";
  return s.str();
}

namespace {

// |lambda_min / lambda_max|: 0 when lambda_max is 0 (a flat spot has no curvature to compare).
double convexity_ratio(double lambda_min, double lambda_max) {
  return lambda_max == 0 ? 0.0 : std::abs(lambda_min / lambda_max);
}

const char* kSpectrumHeader =
    "row,loss,lambda_max,lambda_min,ratio,residual_max,residual_min,trace,trace_se,slq_trace,"
    "hvps,seconds";

std::string spectrum_line(const HessianRowResult& r) {
  return std::to_string(r.row) + "," + number_text(r.loss) + "," + number_text(r.lambda_max) + "," +
         number_text(r.lambda_min) + "," + number_text(r.ratio) + "," +
         number_text(r.residual_max) + "," + number_text(r.residual_min) + "," +
         number_text(r.trace) + "," + number_text(r.trace_se) + "," + number_text(r.slq_trace) +
         "," + std::to_string(r.hvps) + "," + number_text(r.seconds);
}

HessianRowResult read_row(const std::string& path) {
  const CsvTable t = read_csv(path);
  if (t.rows.size() != 1) throw Error(path + ": expected one line of results");
  HessianRowResult r;
  r.row = long(t.number(0, "row"));
  r.loss = t.number(0, "loss");
  r.lambda_max = t.number(0, "lambda_max");
  r.lambda_min = t.number(0, "lambda_min");
  r.ratio = t.number(0, "ratio");
  r.residual_max = t.number(0, "residual_max");
  r.residual_min = t.number(0, "residual_min");
  r.trace = t.number(0, "trace");
  r.trace_se = t.number(0, "trace_se");
  r.slq_trace = t.number(0, "slq_trace");
  r.hvps = long(t.number(0, "hvps"));
  r.seconds = t.number(0, "seconds");
  return r;
}

// A previous run with other settings leaves nothing to resume: its row files go.
void prepare_directory(const std::string& dir, const std::string& settings) {
  make_directories(dir + "/rows");
  remove_stale_temporaries(dir);
  remove_stale_temporaries(dir + "/rows");
  const std::string path = dir + "/settings.txt";
  if (fs::exists(path)) {
    std::ostringstream old;
    old << std::ifstream(path).rdbuf();
    if (old.str() != settings) {
      std::fprintf(stderr, "hessian: %s holds results of other settings; starting afresh\n",
                   dir.c_str());
      fs::remove_all(dir + "/rows");
      fs::remove_all(dir + "/map");
      fs::remove(dir + "/manifest.json");
      make_directories(dir + "/rows");
    }
  }
  write_text_atomic(path, settings);
}

// The whole spectrum of one weight vector; writes DIR/rows/row-R*.csv, the summary last.
HessianRowResult run_row(const HessianStudyParams& p, const Model& model, const Dataset& data,
                         const Scalar* w, long row, const std::string& dir, Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string label = "hessian: row " + std::to_string(row);
  auto products = std::make_shared<long>(0);
  auto say = [&](const std::string& what) {
    progress.update(label + ": " + what + " (" + std::to_string(*products) + " HVPs, " +
                    format_duration(std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - t0).count()) + ")", true);
  };
  HessianRowResult r;
  r.row = row;
  r.loss = dataset_loss(model, data, w, nullptr).loss;
  const SymmetricOperator H = hessian_operator(model, data, w, -1, products);

  say("Lanczos for the extreme eigenvalues");
  const ExtremeEigenvalues e = extreme_eigenvalues(H, p.iterations, p.seed);
  r.lambda_max = e.lambda_max;
  r.lambda_min = e.lambda_min;
  r.ratio = convexity_ratio(e.lambda_min, e.lambda_max);
  r.residual_max = e.residual_max;
  r.residual_min = e.residual_min;

  say("Hutchinson trace");
  const TraceEstimate tr = hutchinson_trace(H, p.probes, p.seed + 1);
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
  const std::string base = dir + "/rows/row-" + std::to_string(row);
  write_file_atomic(base + "-density.csv", [&](std::ostream& os) {
    os << "t,density\n";
    for (size_t i = 0; i < d.grid.size(); ++i)
      os << number_text(d.grid[i]) << ',' << number_text(d.density[i]) << '\n';
  });

  if (p.per_layer) {
    std::ostringstream layers;
    layers << "block,name,size,lambda_max,lambda_min,ratio,trace,trace_se\n";
    for (size_t b = 0; b < model.layout().size(); ++b) {
      const ParamBlock& blk = model.layout()[b];
      say("block " + blk.name);
      const SymmetricOperator Hb = hessian_operator(model, data, w, int(b), products);
      const ExtremeEigenvalues eb = extreme_eigenvalues(Hb, p.iterations, p.seed);
      const TraceEstimate tb = hutchinson_trace(Hb, p.probes, p.seed + 1);
      layers << b << ',' << blk.name << ',' << blk.size() << ',' << number_text(eb.lambda_max)
             << ',' << number_text(eb.lambda_min) << ','
             << number_text(convexity_ratio(eb.lambda_min, eb.lambda_max)) << ','
             << number_text(tb.trace) << ',' << number_text(tb.standard_error) << '\n';
    }
    write_text_atomic(base + "-layers.csv", layers.str());
  }
  r.hvps = *products;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  write_text_atomic(base + ".csv", std::string(kSpectrumHeader) + "\n" + spectrum_line(r) + "\n");
  char line[256];
  std::snprintf(line, sizeof line,
                "lambda_max %.4g, lambda_min %.4g, ratio %.3g, trace %.4g +- %.2g; done", r.lambda_max,
                r.lambda_min, r.ratio, r.trace, r.trace_se);
  say(line);
  progress.finish();
  return r;
}

// DIR/spectrum.csv, density.csv (+ the figure) and layers.csv from the finished rows.
void write_tables(const HessianStudyParams& p, const std::vector<HessianRowResult>& rows,
                  const std::string& dir) {
  std::ostringstream spectrum, density, layers, dat;
  spectrum << kSpectrumHeader << '\n';
  density << "row,t,density\n";
  layers << "row,block,name,size,lambda_max,lambda_min,ratio,trace,trace_se\n";
  std::string plot;
  for (size_t k = 0; k < rows.size(); ++k) {
    const std::string base = dir + "/rows/row-" + std::to_string(rows[k].row);
    spectrum << spectrum_line(rows[k]) << '\n';
    const CsvTable d = read_csv(base + "-density.csv");
    dat << "# row " << rows[k].row << '\n';
    for (const auto& line : d.rows) {
      density << rows[k].row << ',' << line[0] << ',' << line[1] << '\n';
      dat << line[0] << ' ' << line[1] << '\n';
    }
    dat << "\n\n";
    plot += std::string(plot.empty() ? "plot " : ", ") + "'density.dat' index " +
            std::to_string(k) + " using 1:2 with lines lw 2 title 'row " +
            std::to_string(rows[k].row) + "'";
    if (p.per_layer) {
      const CsvTable l = read_csv(base + "-layers.csv");
      for (const auto& line : l.rows) {
        layers << rows[k].row;
        for (const auto& cell : line) layers << ',' << cell;
        layers << '\n';
      }
    }
  }
  write_text_atomic(dir + "/spectrum.csv", spectrum.str());
  write_text_atomic(dir + "/density.csv", density.str());
  if (p.per_layer) write_text_atomic(dir + "/layers.csv", layers.str());
  write_text_atomic(dir + "/density.dat", dat.str());
  // Log scale: the outliers that set lambda_max carry a weight of about 1/P each, the bulk
  // near 0 nearly all of it (Ghorbani et al. 2019, PyHessian draw it so).
  const std::string body =
      "set logscale y\nset yrange [1e-6:*]\nset format y '%.0e'\nset xlabel 'eigenvalue of the loss Hessian'\n"
      "set ylabel 'density (SLQ, Gaussian-broadened)'\nset title '" + p.arch +
      ": Hessian eigenvalue density, " + std::to_string(p.probes) + " probes x " +
      std::to_string(p.iterations) + " Lanczos steps'\n" + plot;
  if (!run_gnuplot(dir, "density", both_terminals("density", body)))
    std::fprintf(stderr, "hessian: density figure not drawn (gnuplot missing or failed); data in "
                 "%s/density.dat\n", dir.c_str());
}

}  // namespace

std::vector<HessianRowResult> run_hessian(const HessianStudyParams& params,
                                          const std::string& out_dir,
                                          const std::string& command_line) {
  params.check();
  const auto started = std::chrono::steady_clock::now();
  auto model = make_model(params.arch, params.activation);
  const NpyMatrix weights = read_weights(params.weights, *model);
  const std::vector<int64_t> rows = parse_rows(params.rows, weights.rows);
  const Dataset data = load_mnist(resolve_data_dir(params.data_dir), params.split,
                                  params.images > 0 ? params.images : -1);
  prepare_directory(out_dir, params.settings());

  // The price of one product against one gradient, on the first row (manifest and stderr).
  const Scalar* w0 = weights.row(rows.front());
  const size_t P = model->num_params();
  std::vector<Scalar> v(P, Scalar(1)), hv(P), grad(P);
  auto seconds_of = [](auto&& f) {  // the faster of two calls: the first also warms caches
    double best = 1e300;
    for (int k = 0; k < 2; ++k) {
      const auto t = std::chrono::steady_clock::now();
      f();
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
    }
    return best;
  };
  const double gradient_seconds = seconds_of([&] { dataset_loss(*model, data, w0, grad.data()); });
  const double hvp_seconds =
      seconds_of([&] { dataset_hvp(*model, data, w0, v.data(), hv.data()); });
  std::fprintf(stderr, "hessian: %s on %d images: one gradient %.3f s, one Hessian-vector "
               "product %.3f s (%.2fx)\n", params.arch.c_str(), data.size(), gradient_seconds,
               hvp_seconds, hvp_seconds / gradient_seconds);

  std::vector<HessianRowResult> results;
  Progress progress;
  for (int64_t row : rows) {
    const std::string done = out_dir + "/rows/row-" + std::to_string(row) + ".csv";
    if (fs::exists(done)) {
      results.push_back(read_row(done));
      std::fprintf(stderr, "hessian: row %lld finished before, kept\n", (long long)row);
      continue;
    }
    results.push_back(run_row(params, *model, data, weights.row(row), row, out_dir, progress));
  }
  write_tables(params, results, out_dir);

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
  manifest.add("arch", params.arch)
      .add("weights", params.weights)
      .add("rows", params.rows)
      .add("split", params.split == Split::Train ? "train" : "test")
      .add("images", (long long)data.size())
      .add("iterations", params.iterations)
      .add("probes", params.probes)
      .add("broadening", params.broadening)
      .add("seed", (long long)params.seed)
      .add("per_layer", params.per_layer)
      .add("map", params.map)
      .add("gradient_seconds", gradient_seconds)
      .add("hvp_seconds", hvp_seconds)
      .add("wall_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  write_text_atomic(out_dir + "/manifest.json", manifest.str());
  return results;
}

}  // namespace landscape
