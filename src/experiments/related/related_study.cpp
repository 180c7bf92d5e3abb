#include "experiments/related/related_study.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/error.hpp"
#include "core/scalar.hpp"
#include "core/wall_clock.hpp"
#include "experiments/related/hessian_study.hpp"
#include "experiments/related/minima_spread.hpp"
#include "experiments/related/minima_spread_files.hpp"
#include "experiments/related/sgd_walk.hpp"
#include "experiments/related/surface_study.hpp"
#include "experiments/support/report_document.hpp"
#include "experiments/training/training_run.hpp"
#include "io/atomic_file.hpp"
#include "io/csv.hpp"
#include "io/data_directory.hpp"
#include "io/npy.hpp"
#include "io/provenance.hpp"
#include "io/run_directory.hpp"
#include "models/init.hpp"

namespace landscape {

namespace fs = std::filesystem;

namespace {

bool finished(const std::string& dir) { return fs::exists(dir + "/manifest.json"); }

// A study's parameters as the preset gives them (RelatedPlan), with the preset's data subsets,
// seed and MNIST directory, which every study shares.
template <class Config>
Config with_preset_inputs(Config c, const StudyOptions& o) {
  c.train_images = o.preset.defaults.train_images;
  c.test_images = o.preset.defaults.test_images;
  c.seed = o.preset.seed;
  c.data_dir = o.data_dir;
  return c;
}

WalkConfig walk_config(const StudyOptions& o) { return with_preset_inputs(o.preset.related.walk, o); }
SpreadConfig spread_config(const StudyOptions& o) { return with_preset_inputs(o.preset.related.spread, o); }

// The FCP that the surface and Hessian studies look at: brief SGD from the preset's seed.
//   OUT/brief/w_final.npy [1,P], curve.csv, manifest.json (its finished mark)
// Its settings are the preset's: OUT/preset.conf, which the study refuses to change, so a
// finished brief run is reused as it is and keeps no settings file of its own.
std::string train_brief(const StudyOptions& o) {
  const RunDirectory dir(o.out + "/brief");
  const std::string weights = dir.file("w_final.npy");
  if (dir.finished("manifest.json")) return weights;
  const std::string data_dir = resolve_data_dir(o.data_dir);
  const Dataset train = load_dataset(data_dir, Split::Train, o.preset.defaults.train_images);
  const Dataset test = load_dataset(data_dir, Split::Test, o.preset.defaults.test_images);
  auto model = make_model("fcp");
  for (const Dataset* d : {&train, &test}) check_data_fits(*d, *model, "fcp");
  const TrainConfig tc = o.preset.related.brief;
  std::fprintf(stderr, "reproduce: training the FCP for the surface and the Hessian (%d epochs)\n",
               tc.epochs);
  const RunRecord run =
      train_run(*model, train, test, tc, o.preset.seed, init_weights(*model, o.preset.seed));
  write_npy(weights, run.w_final.data(), 1, int64_t(run.w_final.size()), true);
  dir.write("curve.csv", curve_table("%g").text(run.curve));  // 6 significant digits
  JsonObject m = provenance(o.command_line);
  Settings settings;  // the manifest's fields, from the tables (docs/algorithms.md §17)
  settings.add("arch", "fcp")
      .fields(TrainConfig::table(), tc, {"optimizer", "epochs", "batch", "lr", "momentum"});
  settings.add("seed", std::to_string(o.preset.seed)).add("train_images", std::to_string(train.size()));
  m.add_settings(settings).add("final_train_loss", run.curve.empty() ? NAN : run.curve.back().train_loss);
  dir.write_manifest(m);
  return weights;
}

void run_surface_study(const StudyOptions& o, const std::string& dir, const std::string& line) {
  SurfaceParams p = o.preset.related.surface;
  p.arch = "fcp";
  p.weights = train_brief(o);
  p.directions = "random";  // two filter-normalised Gaussian directions (Li et al.)
  p.dims = 2;
  p.seed = o.preset.seed;
  p.data_dir = o.data_dir;
  run_surface(p, dir, line);
}

void run_hessian_study(const StudyOptions& o, const std::string& dir, const std::string& line) {
  HessianStudyParams p = o.preset.related.hessian;
  p.arch = "fcp";
  p.weights = train_brief(o);
  p.density_grid = 401;
  p.seed = o.preset.seed;
  p.data_dir = o.data_dir;
  run_hessian(p, dir, line);
}

std::string title_of(const std::string& study) {
  return study == "walk"      ? "A walk with SGD (Xing, Arpit et al. 2018)"
         : study == "spread"  ? "Minima spread with network size (Choromanska et al. 2015)"
         : study == "surface" ? "Loss surface around a solution (Li et al. 2018)"
                              : "Hessian spectrum (Li et al. 2018)";
}

void walk_section(Document& doc, const std::string& out, const std::string& report) {
  const std::string dir = out + "/walk";
  doc.paragraph(
      "The loss at M points on the segment between each pair of consecutive SGD iterates, on "
      "the step's mini-batch and on a fixed evaluation subset of training images. Paper: the "
      "loss along a segment is roughly convex with its minimum (the valley floor) inside, "
      "SGD bounces between the valley walls above the floor (negative cosine between "
      "consecutive steps); a larger learning rate keeps it higher above the floor, a "
      "smaller batch explores more (travels farther). CSV: ../walk/summary.csv, "
      "../walk/lr*-batch*/steps.csv and segments.csv.");
  const CsvTable s = read_csv(dir + "/summary.csv");
  DocumentTable t{{"lr", "batch", "recorded steps", "height above floor", "floor position", "floor inside",
                   "cosine", "distance from init", "train loss", "test loss"},
                  {}};
  for (size_t r = 0; r < s.rows.size(); ++r)
    t.rows.push_back({s.text(r, "lr"), s.text(r, "batch"), s.text(r, "steps"), num(s.number(r, "height")),
                      num(s.number(r, "floor_alpha"), "%.2f"), num(100 * s.number(r, "interior"), "%.0f%%"),
                      num(s.number(r, "cosine"), "%.3f"), num(s.number(r, "distance")),
                      num(s.number(r, "train_loss"), "%.4f"), num(s.number(r, "test_loss"), "%.4f")});
  doc.table(t);
  // The walk drew its figures from its results; the report shows those (docs/algorithms.md §11).
  doc.figure("walk_valley", copy_figure(dir, "walk_valley", report),
             "Loss along the last recorded segments between consecutive iterates");
  doc.figure("walk_story", copy_figure(dir, "walk_story", report),
             "Height above the floor, floor position, distance from the start, cosine of consecutive steps");
}

void spread_section(Document& doc, const std::string& out, const std::string& report) {
  const std::string dir = out + "/spread";
  doc.paragraph(
      "One-hidden-layer networks of growing width, every width trained from several "
      "initialisations by SGD and by simulated annealing; the final test loss of each. "
      "Paper: small networks scatter widely, large ones concentrate in a narrow band "
      "(std and IQR shrink with width), SGD and annealing reach similar bands, and the "
      "train/test correlation fades with size. CSV: ../spread/spread.csv, ../spread/summary.csv.");
  const std::vector<SpreadSummary> summary = read_spread_summary(dir + "/summary.csv");
  DocumentTable t{{"optimizer", "width", "params", "restarts", "test loss mean", "std", "IQR", "min..max",
                   "train loss mean", "train/test r"},
                  {}};
  for (const SpreadSummary& s : summary)
    t.rows.push_back({s.optimizer, std::to_string(s.width), std::to_string(s.params),
                      std::to_string(s.restarts), num(s.test_mean, "%.4f"), num(s.test_std, "%.2e"),
                      num(s.test_iqr, "%.2e"), num(s.test_min, "%.4f") + ".." + num(s.test_max, "%.4f"),
                      num(s.train_mean, "%.4f"), num(s.correlation, "%.2f")});
  doc.table(t);
  DocumentTable f{{"shows here", "finding (Choromanska et al. 2015)", "ours"}, {}};
  for (const SpreadFinding& x : check_spread_findings(summary))
    f.rows.push_back({x.holds ? "yes" : "no", x.claim, x.evidence});
  doc.paragraph(
      "Findings at this scale (docs/algorithms.md §12.4): \"no\" marks one these settings do not reproduce.");
  doc.table(f);
  doc.paragraph(
      "Where the two bands are apart, the training losses in the evidence say why. Annealing "
      "above SGD in training loss as well as in test loss has not descended as far in its "
      "budget (more --anneal-sweeps; the README gives what it takes). Annealing below SGD in "
      "test loss but above it in training loss found minima that fit the training subset "
      "less closely: SGD run long fits a small subset and its test loss rises.");
  doc.figure("spread_hist", copy_figure(dir, "spread_hist", report), "Final test losses per width");
  doc.figure("spread_width", copy_figure(dir, "spread_width", report),
             "Band, spread and train/test correlation against the width");
}

void surface_section(Document& doc, const std::string& out, const std::string& report) {
  const CsvTable curve = read_csv(out + "/brief/curve.csv");
  doc.paragraph("The loss of an FCP trained briefly by SGD (" + std::to_string(curve.rows.size()) +
                " epochs, final training loss " + (curve.rows.empty() ? "n/a" : curve.rows.back()[1]) +
                ") on a plane through its weights spanned by two random Gaussian directions, each "
                "rescaled filter by filter (per output unit) to the norm of the matching weights "
                "(filter normalisation, Li et al. 2018). CSV: ../surface/surface.csv.");
  doc.figure("surface", copy_figure(out + "/surface", "surface", report),
             "Loss around the trained FCP on two filter-normalised random directions");
}

void hessian_section(Document& doc, const std::string& out, const std::string& report) {
  doc.paragraph(
      "The Hessian of the training loss of the same FCP from exact Hessian-vector "
      "products: extreme eigenvalues by Lanczos, |lambda_min/lambda_max| (near 0: locally "
      "convex), the trace by Hutchinson and the eigenvalue density by stochastic Lanczos "
      "quadrature. CSV: ../hessian/spectrum.csv, ../hessian/density.csv.");
  const CsvTable s = read_csv(out + "/hessian/spectrum.csv");
  DocumentTable t{
      {"loss", "lambda_max", "lambda_min", "|lambda_min/lambda_max|", "trace (Hutchinson)", "trace SE"}, {}};
  for (size_t r = 0; r < s.rows.size(); ++r)
    t.rows.push_back({num(s.number(r, "loss"), "%.4f"), num(s.number(r, "lambda_max"), "%.4g"),
                      num(s.number(r, "lambda_min"), "%.4g"), num(s.number(r, "ratio"), "%.3g"),
                      num(s.number(r, "trace"), "%.4g"), num(s.number(r, "trace_se"), "%.2g")});
  doc.table(t);
  doc.figure("density", copy_figure(out + "/hessian", "density", report), "Hessian eigenvalue density (SLQ)");
}

}  // namespace

void write_related_report(const std::string& out, const Preset& preset) {
  const std::string report = out + "/report";
  make_directories(report);
  remove_stale_temporaries(report);
  Document doc;
  doc.paragraph("The related studies of docs/algorithms.md §9-§12 at reduced scale, preset <code>" +
                preset.name + "</code>. Made by landscape " + LANDSCAPE_VERSION + " (" + kPrecisionName +
                ") on " + utc_timestamp() + "; seed " + std::to_string(preset.seed) +
                "; settings in ../preset.conf, versions and wall times in ../manifest.json.");
  for (const std::string& study : preset.studies) {
    doc.heading(title_of(study));
    if (!finished(out + "/" + study)) {
      doc.paragraph("(not run: " + study + "/manifest.json is missing; run the preset's stage all)");
      continue;
    }
    if (study == "walk") walk_section(doc, out, report);
    if (study == "spread") spread_section(doc, out, report);
    if (study == "surface") surface_section(doc, out, report);
    if (study == "hessian") hessian_section(doc, out, report);
  }
  doc.write(report, "Related studies: report");
}

void run_related_study(const StudyOptions& o, const RunDirectory& out) {
  if (o.stage != Stage::All && o.stage != Stage::Report)
    throw UsageError("--stage: the related studies run as stage all (or report alone); got '" +
                     to_string(o.stage) + "'");
  JsonObject wall;
  for (const std::string& study : o.preset.studies) {
    const std::string dir = o.out + "/" + study;
    if (o.stage != Stage::All || finished(dir)) continue;
    std::fprintf(stderr, "reproduce: %s\n", title_of(study).c_str());
    const auto t0 = std::chrono::steady_clock::now();
    const std::string line = o.command_line + "  # study " + study;
    if (study == "walk") run_walk_study(walk_config(o), dir, line);
    if (study == "spread") run_spread_study(spread_config(o), dir, line);
    if (study == "surface") run_surface_study(o, dir, line);
    if (study == "hessian") run_hessian_study(o, dir, line);
    wall.add(study + "_seconds", seconds_since(t0));
  }
  const auto t0 = std::chrono::steady_clock::now();
  write_related_report(o.out, o.preset);
  wall.add("report_seconds", seconds_since(t0));
  JsonObject m = provenance(o.command_line);
  m.add("preset", o.preset.name).add("seed", (long long)o.preset.seed).add("stage", to_string(o.stage));
  m.add_raw("wall_seconds", wall.str(2));
  out.write_manifest(
      m, "manifest" + std::string(o.stage == Stage::All ? "" : "-" + to_string(o.stage)) + ".json");
}

}  // namespace landscape
