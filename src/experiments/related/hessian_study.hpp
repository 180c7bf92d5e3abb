// Hessian spectra of trained networks (docs/algorithms.md §10: Li et al. 2018, PyHessian): for each
// chosen weight vector, the extreme eigenvalues of the loss Hessian by Lanczos, the ratio
// |lambda_min / lambda_max| (near 0: locally convex; large: a saddle with strong negative
// curvature), the trace by Hutchinson and the eigenvalue density by stochastic Lanczos
// quadrature; all from exact Hessian-vector products (models/dataset_hvp.hpp). Optionally the
// same per parameter block (layer), and the |lambda_min / lambda_max| map over a plane of two
// filter-normalised directions around the first row (convexity_map.hpp).
//
//   DIR/spectrum.csv        row,loss,lambda_max,lambda_min,ratio,residual_max,residual_min,
//                           trace,trace_se,slq_trace,hvps,seconds   (one line per row)
//   DIR/density.csv         row,t,density   (the SLQ density of each row on its grid)
//   DIR/density.dat|.gp|.png|.svg   the densities drawn (log scale)
//   DIR/layers.csv          row,block,name,size,lambda_max,lambda_min,ratio,trace,trace_se
//                           (--per-layer)
//   DIR/map/                the convexity map (--map)
//   DIR/rows/               one finished row per file (resume), DIR/settings.txt
//   DIR/manifest.json       provenance and parameters, written last: its presence = finished
// Resumable per row: a rerun with the same settings skips the rows already in DIR/rows; a rerun
// with other settings removes rows/, map/ and manifest.json and says so (io/run_directory.hpp).
// Three parts: this file computes, hessian_study_files.hpp writes the CSV files,
// hessian_study_figures.hpp draws the densities from the results in memory.
//
// Random streams: the Lanczos start of every row is Gaussian from Rng(seed); the Hutchinson
// and SLQ probes are the same Rademacher vectors, from Rng(seed + 1), so slq_trace (the
// density's mean times P) and trace differ by round-off only and every row sees the same probes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/settings_text.hpp"
#include "experiments/support/model_on_data.hpp"
#include "landscape/spectra/curvature_operator.hpp"
#include "landscape/spectra/lanczos.hpp"
#include "models/model.hpp"

namespace landscape {

// Flags and preset keys (hessian_<name>): table() below (docs/algorithms.md §10); --range A:B
// is the command's (two numbers in one flag).
// The trace estimator: Hutchinson's (PyHessian's) or Hutch++ (landscape/spectra/hutchinson_trace.hpp).
enum class TraceMethod { Hutchinson, HutchPlusPlus };
inline constexpr EnumName<TraceMethod> kTraceMethodNames[] = {{TraceMethod::Hutchinson, "hutchinson"},
                                                              {TraceMethod::HutchPlusPlus, "hutchpp"}};

// The model, weights and examples (the loss of split whose Hessian is taken) are ModelOnData's.
struct HessianStudyParams : ModelOnData {
  std::string rows = "0";    // "all" or e.g. 0,3,7
  int iterations = 30;       // Lanczos steps (extreme eigenvalues; nodes per probe)
  int probes = 10;           // Rademacher vectors for the trace and the density
  double broadening = 0.01;  // SLQ Gaussian width / the spectrum's width
  int density_grid = 1001;   // points of each density curve
  uint64_t seed = 0;
  bool per_layer = false;  // each parameter block's own spectrum
  // The convexity map (--map): a grid of map_grid x map_grid points over range x range on two
  // filter-normalised directions (seed) around the first row; map_iterations Lanczos steps each.
  bool map = false;
  int map_grid = 11;                   // --grid
  double range_lo = -1, range_hi = 1;  // --range A:B
  int map_iterations = 20;
  // A reported eigenvalue whose residual |H y - theta y| is above residual_tol x max(|lambda_max|,
  // |lambda_min|) is not yet an eigenvalue: a warning says so (it changes no result, so it is
  // not part of settings()).
  double residual_tol = 1e-2;
  // Hutch++ spends --probes products too (rounded up to a multiple of 3). Its settings key is
  // `trace` (the flag's name before --trace meant the step trace).
  TraceMethod trace_method = TraceMethod::Hutchinson;
  // --curvature ggn | fisher (docs/algorithms.md §10.8): the same Lanczos, trace and density of
  // the Gauss-Newton matrix or the empirical Fisher instead.
  // The --map stays the Hessian's (the ratio of a positive semi-definite matrix says nothing).
  Curvature curvature = Curvature::Hessian;
  bool trace = false;  // --trace: DIR/trace-R.csv per row (not in table(): it changes no result)
  static const ParameterTable<HessianStudyParams>& table();
  void check() const;  // UsageError naming the flag
  // What defines the results (docs/algorithms.md §17), with the examples' fingerprint; not the
  // rows (each has its own files), --residual-tol (a warning) or --data (the fingerprint).
  Settings settings(const std::string& data_fingerprint) const;
};

inline const ParameterTable<HessianStudyParams>& HessianStudyParams::table() {
  using P = HessianStudyParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .include_base(ModelOnData::table())
      .field("rows", &P::rows, "'all' or row numbers, e.g. 0,3,7")
      .field("iterations", &P::iterations, "Lanczos steps (extreme eigenvalues; SLQ nodes per probe)")
          .range(2, 10000)
      .field("probes", &P::probes, "Rademacher probes for the trace and the density").range(1, 100000)
      .field("broadening", &P::broadening, "SLQ Gaussian width as a fraction of the spectrum's width")
          .above(0).at_most(1)
      .field("density-grid", &P::density_grid, "points of each density curve").range(11, 1000000)
      .field("seed", &P::seed, "seed of the Lanczos start, the probes and the map's directions")
          .range(0, double(1LL << 62))
      .field("per-layer", &P::per_layer, "also each parameter block's own spectrum (layers.csv)")
      .field("map", &P::map, "the |lambda_min/lambda_max| map around the first row")
      .field("grid", &P::map_grid, "--map: points per axis").range(2, 1001)
      .field("map-iterations", &P::map_iterations, "--map: Lanczos steps per point").range(2, 10000)
      .field("trace-estimator", &P::trace_method, "hutchinson | hutchpp: the trace estimator (--probes products either way)",
             kTraceMethodNames)
      .field("curvature", &P::curvature, "hessian | ggn | fisher: the matrix whose spectrum is taken", kCurvatureNames)
      .field("residual-tol", &P::residual_tol,
             "warn when an extreme eigenvalue's residual passes this x the largest |eigenvalue|").above(0);
  // clang-format on
  return t;
}

// |lambda_min / lambda_max|: 0 when lambda_max is 0 (a flat spot has no curvature to compare).
double convexity_ratio(double lambda_min, double lambda_max);

// One parameter block's own spectrum (--per-layer).
struct HessianLayerResult {
  long row = 0;      // the weight vector's row
  size_t block = 0;  // index in the model's layout
  std::string name;
  size_t size = 0;  // parameters in the block
  double lambda_max = 0, lambda_min = 0, ratio = 0, trace = 0, trace_se = 0;
};

struct HessianRowResult {
  long row = 0;
  double loss = 0, lambda_max = 0, lambda_min = 0, ratio = 0;
  double residual_max = 0, residual_min = 0, trace = 0, trace_se = 0, slq_trace = 0;
  long hvps = 0;
  double seconds = 0;
  std::vector<double> density_t, density;  // [G] the SLQ density on its grid
  std::vector<HessianLayerResult> layers;  // one per block with --per-layer, else empty
  // --trace (docs/algorithms.md §16): DIR/trace-R.csv's text, a row per Lanczos step of the
  // extreme eigenvalues; empty otherwise (and for rows finished before).
  std::string lanczos_trace;
};

// A row per Lanczos step j = 1..k: alpha_j, beta_j, the extreme Ritz values of T_j and their
// residuals (docs/algorithms.md §16).
std::string lanczos_trace_text(const LanczosResult& run);

// Runs every row (skipping those finished in out_dir), then the map; writes out_dir's files.
// command_line goes into the manifest. Returns the rows' results in --rows order.
std::vector<HessianRowResult> run_hessian(const HessianStudyParams& params, const std::string& out_dir,
                                          const std::string& command_line = "");

}  // namespace landscape
