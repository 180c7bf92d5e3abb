#include "experiments/related/surface_study.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/wall_clock.hpp"
#include "experiments/related/surface_study_figures.hpp"
#include "experiments/related/surface_study_files.hpp"
#include "experiments/support/progress.hpp"
#include "io/csv.hpp"
#include "io/data_directory.hpp"
#include "io/npy.hpp"
#include "io/provenance.hpp"
#include "io/run_directory.hpp"
#include "models/dataset_loss.hpp"
#include "models/weights_file.hpp"

namespace landscape {

AxisRange parse_axis_range(const std::string& text, const std::string& flag) {
  const size_t colon = text.find(':', 1);  // from 1: "-1:1" starts with a sign
  AxisRange r;
  bool ok = colon != std::string::npos;
  if (ok) {
    try {
      size_t used_lo = 0, used_hi = 0;
      const std::string lo = text.substr(0, colon), hi = text.substr(colon + 1);
      r.lo = std::stod(lo, &used_lo);
      r.hi = std::stod(hi, &used_hi);
      ok = used_lo == lo.size() && used_hi == hi.size();
    } catch (const std::exception&) {
      ok = false;
    }
  }
  if (!ok || !std::isfinite(r.lo) || !std::isfinite(r.hi) || !(r.lo < r.hi))
    throw UsageError(flag + " expects A:B with A < B, e.g. -1:1; got '" + text + "'");
  return r;
}

void SurfaceParams::check() const {
  table().check(*this);
  make_model(arch);  // UsageError naming --arch
  if (trajectory.empty() == weights.empty())
    throw UsageError(trajectory.empty() ? "--weights W.npy (or --trajectory SNAPS.npy) is required"
                                        : "--weights and --trajectory exclude each other");
  if (!trajectory.empty() && directions != "pca")
    throw UsageError("--trajectory plots on the trajectory's pca directions; --directions " + directions +
                     " does not apply");
  if (row < 0) throw UsageError("--row must be 0 or more");
  if (directions == "pair" && row2 < 0) throw UsageError("--directions pair needs --row2 J (w_j)");
  if (directions != "pair" && (row2 >= 0 || !weights2.empty()))
    throw UsageError("--row2 and --weights2 belong to --directions pair");
  if (images < 0) throw UsageError("--images must be 0 (all) or more");
  if (!range.empty()) parse_axis_range(range, "--range");
  if (!yrange.empty()) {
    parse_axis_range(yrange, "--yrange");
    if (dims == 1) throw UsageError("--yrange needs --dims 2");
  }
}

Settings SurfaceParams::settings(const std::string& data_fingerprint) const {
  Settings s;
  s.fields(table(), *this,
           {"arch", "activation", "weights", "row", "weights2", "row2", "trajectory", "directions", "dims",
            "range", "yrange", "grid", "seed", "include-biases", "split", "images"});
  s.add("precision", kPrecisionName).add_recorded_since_rule("data", data_fingerprint);
  return s;
}

namespace {

// The plane of the params, and the vectors to mark on it ([V, D] coordinates).
SurfacePlane build_plane(const SurfaceParams& p, const Model& model, std::vector<double>& marks) {
  const int D = p.dims;
  auto row_of = [](const NpyMatrix& m, int r, const char* flag) {
    if (r >= m.rows)
      throw UsageError(std::string(flag) + " " + std::to_string(r) + " does not exist (the file has " +
                       std::to_string(m.rows) + " rows)");
    return m.row(r);
  };
  if (!p.trajectory.empty() || p.directions == "pca") {
    const std::string& file = p.trajectory.empty() ? p.weights : p.trajectory;
    const NpyMatrix set = read_weights(file, model);
    const Tensor X = Tensor::view(set.data.data(), {int(set.rows), int(set.cols)});
    SurfacePlane plane =
        p.trajectory.empty() ? pca_plane(X, row_of(set, p.row, "--row"), D) : trajectory_plane(X, D);
    for (int64_t k = 0; k < set.rows; ++k)
      for (double c : plane.project(set.row(k))) marks.push_back(c);
    return plane;
  }
  const NpyMatrix w = read_weights(p.weights, model);
  const Scalar* center = row_of(w, p.row, "--row");
  if (p.directions == "random") {
    marks.assign(size_t(D), 0.0);  // the solution itself
    return random_plane(model, center, D, p.seed, p.include_biases);
  }
  const NpyMatrix w2 = p.weights2.empty() ? w : read_weights(p.weights2, model);
  SurfacePlane plane = pair_plane(model, center, row_of(w2, p.row2, "--row2"), D, p.seed, p.include_biases);
  marks = D == 1 ? std::vector<double>{0, 1} : std::vector<double>{0, 0, 1, 0};  // w_i, w_j
  return plane;
}

// The default range of axis k: the marked vectors and the centre plus 10% (pca); pair: a in
// -0.5:1.5 (both ends inside); otherwise -1:1.
AxisRange default_range(const SurfaceParams& p, int k, const std::vector<double>& marks) {
  if (p.directions == "pca") {
    double lo = 0, hi = 0;
    for (size_t i = size_t(k); i < marks.size(); i += size_t(p.dims))
      lo = std::min(lo, marks[i]), hi = std::max(hi, marks[i]);
    const double pad = hi > lo ? 0.1 * (hi - lo) : 1.0;
    return {lo - pad, hi + pad};
  }
  if (p.directions == "pair" && k == 0) return {-0.5, 1.5};
  return {-1, 1};
}

// Rows of a previous run with these settings (RunDirectory kept them): its surface.csv, if
// the coordinates match.
std::vector<SurfacePoint> finished_points(const RunDirectory& dir, const std::vector<SurfacePoint>& grid,
                                          int dims) {
  std::vector<SurfacePoint> done;
  if (!dir.finished("surface.csv")) return done;
  const CsvTable t = read_csv(dir.file("surface.csv"));
  for (size_t r = 0; r < t.rows.size() && r < grid.size(); ++r) {
    SurfacePoint s = grid[r];  // coordinates are written to 10 digits, losses to all 17
    const double da = t.number(r, "a") - s.a, db = dims == 2 ? t.number(r, "b") - s.b : 0.0;
    if (std::abs(da) > 1e-9 * (1 + std::abs(s.a)) || std::abs(db) > 1e-9 * (1 + std::abs(s.b)))
      return {};  // not this grid: recompute all
    s.loss = t.number(r, "loss");
    const std::string& acc = t.rows[r][t.column("accuracy")];
    s.accuracy = acc.empty() ? NAN : t.number(r, "accuracy");
    done.push_back(s);
  }
  return done;
}

// The plane, its axes and the empty grid of the params (docs/algorithms.md §9).
SurfaceResult surface_plan(const SurfaceParams& params, const Model& model, std::vector<SurfacePoint>& grid) {
  SurfaceResult r;
  r.plane = build_plane(params, model, r.projections);
  // --range sets a; b follows --yrange, else --range for random directions, else its default.
  r.x = params.range.empty() ? default_range(params, 0, r.projections)
                             : parse_axis_range(params.range, "--range");
  if (params.dims == 1)
    r.y = {0, 0};
  else if (!params.yrange.empty())
    r.y = parse_axis_range(params.yrange, "--yrange");
  else
    r.y = params.directions == "random" ? r.x : default_range(params, 1, r.projections);
  r.xs = grid_coordinates(r.x.lo, r.x.hi, params.grid);
  r.ys = params.dims == 2 ? grid_coordinates(r.y.lo, r.y.hi, params.grid) : std::vector<double>{0.0};
  for (double b : r.ys)
    for (double a : r.xs) grid.push_back(SurfacePoint{a, b, NAN, NAN});
  return r;
}

// The grid's points after those resumed, one grid row at a time (its points in parallel),
// surface.csv rewritten after each row so that a rerun resumes there.
void evaluate_grid(const std::string& arch, const Model& model, const Dataset& data,
                   const std::vector<SurfacePoint>& grid, const Table<SurfacePoint>& table,
                   const RunDirectory& dir, SurfaceResult& r) {
  const size_t nx = r.xs.size();
  Progress progress;
  const auto rows_started = std::chrono::steady_clock::now();
  const size_t first_new = r.points.size();
  while (r.points.size() < grid.size()) {
    std::vector<SurfacePoint> row(grid.begin() + long(r.points.size()),
                                  grid.begin() + long(r.points.size() + nx));
    evaluate_surface_points(model, data, r.plane, row);
    r.points.insert(r.points.end(), row.begin(), row.end());
    table.write(dir.file("surface.csv"), r.points);
    const double secs = seconds_since(rows_started);
    const double per_point = secs / double(r.points.size() - first_new);
    char line[200];
    std::snprintf(line, sizeof line, "surface %s: %zu/%zu points (%d resumed), %.3gs/point, ~%s left",
                  arch.c_str(), r.points.size(), grid.size(), r.points_resumed, per_point,
                  format_duration(per_point * double(grid.size() - r.points.size())).c_str());
    progress.update(line, r.points.size() == grid.size());
  }
  progress.finish();
  if (r.points_resumed == int(grid.size()))  // nothing left: still write the complete file
    table.write(dir.file("surface.csv"), r.points);
}

// The plane's files: its centre and directions, to reuse (e.g. a Hessian map), and the marks.
void write_plane(const RunDirectory& dir, const SurfaceResult& r, int dims) {
  write_npy(dir.file("center.npy"), r.plane.center.data(), 1, int64_t(r.plane.size()), true);
  const std::vector<Scalar> dirs = r.plane.stacked_directions();
  write_npy(dir.file("directions.npy"), dirs.data(), dims, int64_t(r.plane.size()));
  projections_table(dims).write(dir.file("projections.csv"), plane_marks(r.projections, dims));
}

JsonObject surface_manifest(const Settings& settings, const SurfaceResult& r, int images, bool classifier,
                            const std::string& command_line) {
  double lo = INFINITY, hi = -INFINITY;
  for (const SurfacePoint& s : r.points) lo = std::min(lo, s.loss), hi = std::max(hi, s.loss);
  JsonObject manifest = provenance(command_line);
  manifest.add_settings(settings)
      .add("images_used", images)
      .add("a_range", number_text(r.x.lo, "%.10g") + ":" + number_text(r.x.hi, "%.10g"))
      .add("b_range", number_text(r.y.lo, "%.10g") + ":" + number_text(r.y.hi, "%.10g"))
      .add("center_loss", r.center_loss)
      .add("center_accuracy", classifier ? r.center_accuracy : -1.0)
      .add("min_loss", lo)
      .add("max_loss", hi)
      .add("points", (long long)r.points.size())
      .add("points_resumed", r.points_resumed)
      .add("figure_drawn", r.drawn);
  for (size_t k = 0; k < r.plane.explained.size(); ++k)
    manifest.add("explained_variance_pc" + std::to_string(k + 1), r.plane.explained[k]);
  return manifest;
}

}  // namespace

// The plot's steps: the plane and grid, the directory (other settings: restart, naming what
// goes), the plane's files, the grid resumed or evaluated, the centre, the figure, the manifest.
SurfaceResult run_surface(const SurfaceParams& params, const std::string& out_dir,
                          const std::string& command_line) {
  params.check();
  const auto started = std::chrono::steady_clock::now();
  auto model = make_model(params);
  std::vector<SurfacePoint> grid;
  SurfaceResult r = surface_plan(params, *model, grid);
  const Dataset data = load_examples(params, *model);
  const RunDirectory dir(out_dir);
  // Points resume only from a surface.csv made with these settings.
  const bool had_settings = dir.finished("settings.txt");
  const Settings settings = params.settings(examples_fingerprint(data));
  if (dir.require_settings(settings, OnOtherSettings::Restart, {"surface.csv", "manifest.json"}) &&
      had_settings)
    r.points = finished_points(dir, grid, params.dims);
  r.points_resumed = int(r.points.size());
  write_plane(dir, r, params.dims);

  const bool classifier = model->is_classifier();
  evaluate_grid(params.arch, *model, data, grid, surface_table(params.dims, classifier), dir, r);
  const DatasetLoss c = dataset_loss(*model, data, r.plane.center.data(), nullptr);
  r.center_loss = c.loss;
  r.center_accuracy = c.accuracy();
  r.drawn = draw_surface(out_dir, params, r, classifier);

  JsonObject manifest = surface_manifest(settings, r, data.size(), classifier, command_line);
  manifest.add("wall_seconds", seconds_since(started));
  dir.write_manifest(manifest);
  return r;
}

}  // namespace landscape
