#include "experiments/paper/study.hpp"

#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <optional>

#include "core/error.hpp"
#include "core/wall_clock.hpp"
#include "experiments/paper/report.hpp"
#include "experiments/paper/set_curvature.hpp"
#include "experiments/paper/study_layout.hpp"
#include "experiments/paper/weight_set_analysis.hpp"
#include "experiments/paths/path_pairs.hpp"
#include "experiments/paths/path_run.hpp"
#include "experiments/paths/path_table.hpp"
#include "experiments/support/progress.hpp"
#include "experiments/training/ensemble.hpp"
#include "io/data_directory.hpp"
#include "io/npy.hpp"
#include "io/provenance.hpp"
#include "io/run_directory.hpp"
#include "landscape/model_landscape.hpp"

namespace landscape {

namespace fs = std::filesystem;

namespace {

EnsembleConfig ensemble_config(const Preset& preset, const std::string& arch, const std::string& optimizer,
                               const StudyOptions* o) {
  const StudyPlan& p = preset.plan(arch);
  EnsembleConfig c;
  c.arch = preset.model_spec(arch);
  c.train.optimizer = parse_enum(kOptimizerNames, optimizer, "optimizer");
  c.train.epochs = c.train.optimizer == Optimizer::Sgd ? p.sgd_epochs : p.lbfgs_epochs;
  c.train.batch = p.batch;
  c.train.sgd = p.sgd;
  c.runs = p.runs;
  c.keep = p.keep;
  // SGD and L-BFGS-GSS runs start from the same seeds, so run r of both shares its init.
  c.seed = preset.seed;
  c.train_images = p.train_images;
  c.test_images = p.test_images;
  if (o) {
    c.data_dir = o->data_dir;
    c.shard_index = o->shard_index;
    c.shard_count = o->shard_count;
  }
  return c;
}

PathParams path_params(const StudyPlan& p) { return p.path; }

std::vector<std::string> landscapes_of(const StudyPlan& p) {
  return p.test_landscape ? std::vector<std::string>{"train", "test"} : std::vector<std::string>{"train"};
}

// One path run of a model's study: a weight set's pairs on a landscape, plain or aligned.
struct SetRun {
  std::string land;                  // train | test
  int set;                           // kWeightSets[set]
  std::optional<AlignMethod> align;  // row j permuted to match row i first (§14.6)
  std::string name() const { return StudyLayout::path_run_name(kWeightSets[set], land, align.has_value()); }
};

// Every landscape's four sets, then with `align` the training landscape's four again, aligned.
std::vector<SetRun> set_runs_of(const StudyPlan& p) {
  std::vector<SetRun> runs;
  for (const std::string& land : landscapes_of(p))
    for (int s = 0; s < 4; ++s) runs.push_back({land, s, std::nullopt});
  if (p.align)
    for (int s = 0; s < 4; ++s) runs.push_back({"train", s, p.align});
  return runs;
}

std::string path_dir(const std::string& out, const std::string& arch, const SetRun& r) {
  return StudyLayout(out).path_dir(arch, kWeightSets[r.set], r.land, r.align.has_value());
}

// A set's path settings (docs/algorithms.md §17): the lines older studies wrote, now from the
// tables; the batch lines only with stochastic steps (§5.7).
Settings path_settings(const std::string& arch, const SetRun& r, const StudyPlan& p, const Preset& preset) {
  const ParameterTable<StudyPlan>& plan = StudyPlan::table();
  const ParameterTable<PathParams>& path = PathParams::table();
  Settings s;
  s.add("arch", arch).add("set", kWeightSets[r.set]).add("landscape", r.land);
  s.field_as(plan, p, r.land == "train" ? "path-images" : "test-images", "images");
  s.fields(plan, p, {"pairs"}).add("seed", std::to_string(preset.seed));
  s.fields(path, p.path, {"terms", "points", "steps", "lambda", "lr"}).add("precision", kPrecisionName);
  if (p.path.batch > 0) s.fields(path, p.path, {"batch", "eval-every"});
  if (r.align) add_alignment_settings(s, *r.align);
  return s;
}

// The pairs of one set: a fixed random draw per set, as many as the set allows.
std::vector<PathPair> pairs_of(const Preset& preset, const StudyPlan& p, int64_t rows, int set_index) {
  const int64_t available = rows * (rows - 1) / 2;
  const int64_t n = std::min<int64_t>(p.pairs, available);
  if (n < 1) return {};
  return random_pairs(rows, n, preset.seed * 1000 + uint64_t(set_index));
}

void stage_train(const StudyOptions& o) {
  for (const std::string& arch : o.preset.archs)
    for (const char* opt : {"sgd", "lbfgs"}) {
      std::fprintf(stderr, "reproduce: training %s with %s\n", arch.c_str(), opt);
      train_ensemble(ensemble_config(o.preset, arch, opt, &o), StudyLayout(o.out).ensemble_dir(arch, opt),
                     o.command_line);
    }
}

// "paths fcp sgd-train-test: pair 3/10  1.2min elapsed, ~2.8min left"
std::string progress_line(const std::string& name, const PairDone& d) {
  const double left = d.elapsed / double(d.computed) * double(d.todo - d.computed);
  char line[200];
  std::snprintf(line, sizeof line, "paths %s: pair %zu/%zu  %s elapsed, ~%s left", name.c_str(), d.computed,
                d.todo, format_duration(d.elapsed).c_str(), format_duration(left).c_str());
  return line;
}

// "paths lstm lbfgs-train: pair 1/10, step 37/100  26.1min elapsed, ~16h left"
std::string progress_line(const std::string& name, const PairStep& s) {
  char line[200];
  std::snprintf(line, sizeof line, "paths %s: pair %zu/%zu, step %d/%d  %s elapsed, ~%s left", name.c_str(),
                s.computed + 1, s.todo, s.step, s.steps, format_duration(s.elapsed).c_str(),
                format_duration(s.seconds_left()).c_str());
  return line;
}

// The paths of one weight set on one landscape (docs/algorithms.md §5), aligned first where the
// run says (§14.6): this shard's share of the set's pairs, resumed from its table.
void set_paths(const StudyOptions& o, const std::string& arch, const ModelLandscape& f, const SetRun& r) {
  const StudyPlan& p = o.preset.plan(arch);
  const std::string set = kWeightSets[r.set];
  const std::string file = StudyLayout(o.out).set_file(arch, set);
  if (!fs::exists(file))
    throw Error(file +
                " is missing: run the train stage (and `landscape collect` after "
                "sharded training) first");
  const NpyMatrix W = read_npy(file);
  const std::vector<PathPair> pairs = pairs_of(o.preset, p, W.rows, r.set);
  std::vector<PathPair> mine;
  for (size_t k = o.shard_index; k < pairs.size(); k += o.shard_count) mine.push_back(pairs[k]);
  std::string dir = path_dir(o.out, arch, r);
  if (o.shard_count > 1) dir = StudyLayout::shard_dir(dir, o.shard_index, o.shard_count);
  PathRun run(dir, path_settings(arch, r, p, o.preset));
  PathRunSettings settings;
  settings.params.fourier = path_params(p);
  // Seeded as every path run is (pair_seed, docs/algorithms.md §5); without path_batch (§5.7)
  // the study's Fourier paths draw nothing from it.
  settings.seed = o.preset.seed;
  // path_batch (§5.7): each step on a mini-batch of this landscape's images, drawn per pair.
  settings.mini_batches = mini_batch_source(f.model(), f.data(), p.path.batch);
  if (r.align) {
    AlignParams align;
    align.method = *r.align;
    align.points = p.path.points;  // H_linear before and after on the path's own points
    settings.align = r.align;
    settings.aligner = [&f, &W, &o, align](const PathPair& pr) {
      return align_pair(f, pr, W.row(pr.i), W.row(pr.j), o.preset.seed, align);
    };
  }
  const std::string name = arch + " " + r.name();
  Progress progress;
  run_path_pairs(
      f, [&](int64_t i) { return W.row(i); }, mine, settings, run,
      arch + " " + set + " paths on the " + r.land + " landscape" + (r.align ? ", aligned, " : ", "),
      [&](const PairDone& d) { progress.update(progress_line(name, d), d.computed == d.todo); },
      [&](const PairStep& s) { progress.update(progress_line(name, s)); });
}

void stage_paths(const StudyOptions& o) {
  for (const std::string& arch : o.preset.archs) {
    const StudyPlan& p = o.preset.plan(arch);
    auto model = make_model(o.preset.model_spec(arch));
    const std::string data_dir = resolve_data_dir(o.data_dir);
    for (const std::string& land : landscapes_of(p)) {
      Dataset data = land == "train" ? load_dataset(data_dir, Split::Train, p.path_images)
                                     : load_dataset(data_dir, Split::Test, p.test_images);
      check_data_fits(data, *model, arch);
      const ModelLandscape f(*model, data);
      for (const SetRun& r : set_runs_of(p))
        if (r.land == land) set_paths(o, arch, f, r);
    }
  }
}

void merge_path_shards(const std::string& out, const Preset& preset) {
  for (const std::string& arch : preset.archs) {
    const StudyPlan& p = preset.plan(arch);
    for (const SetRun& r : set_runs_of(p)) {
      const std::string dir = path_dir(out, arch, r);
      if (!fs::exists(dir)) continue;
      std::vector<std::string> shard_dirs;
      for (const auto& e : fs::directory_iterator(dir))
        if (e.is_directory() && e.path().filename().string().rfind("shard-", 0) == 0)
          shard_dirs.push_back(e.path().string());
      if (shard_dirs.empty()) continue;
      const Settings settings = path_settings(arch, r, p, preset);
      std::deque<PathTable> shards;  // each holds its directory's lock: not movable
      for (const std::string& d : shard_dirs) shards.emplace_back(d, settings);
      NpyMatrix W = read_npy(StudyLayout(out).set_file(arch, kWeightSets[r.set]));
      PathTable merged(dir, settings);
      std::deque<AlignedTable> shards_aligned;  // aligned.csv of an aligned run's shards
      for (const PathTable& sh : shards) shards_aligned.emplace_back(sh);
      AlignedTable merged_aligned(merged);
      for (const PathPair& pr : pairs_of(preset, p, W.rows, r.set)) {
        bool found = merged.has(pr);
        for (size_t k = 0; k < shards.size() && !found; ++k)
          if (merged.copy_pair_from(shards[k], pr)) {
            merged_aligned.copy_pair_from(shards_aligned[k], pr);
            found = true;
          }
        if (!found)
          throw Error(dir + ": pair " + std::to_string(pr.i) + "-" + std::to_string(pr.j) +
                      " is in no shard; rerun the paths stage for every shard");
      }
      if (r.align) merged_aligned.save();  // before paths.csv, as a run writes them
      merged.save();
      for (const std::string& d : shard_dirs) fs::remove_all(d);
    }
  }
}

}  // namespace

void collect_study(const std::string& out, const std::string& data_dir) {
  const StudyLayout layout(out);
  const Preset preset = read_preset(layout.preset_file());
  for (const std::string& arch : preset.archs)
    for (const char* opt : {"sgd", "lbfgs"}) {
      const std::string dir = layout.ensemble_dir(arch, opt);
      if (!fs::exists(dir)) continue;
      EnsembleConfig c = ensemble_config(preset, arch, opt, nullptr);
      c.data_dir = data_dir;
      collect_ensemble(c, dir);
    }
  merge_path_shards(out, preset);
}

void run_paper_study(const StudyOptions& o, const RunDirectory& out) {
  const Stage st = o.stage;
  JsonObject stages;
  auto timed = [&](const char* name, auto&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    stages.add(std::string(name) + "_seconds", seconds_since(t0));
  };
  if (st == Stage::All || st == Stage::Train) timed("train", [&] { stage_train(o); });
  if (st == Stage::All || st == Stage::Paths) timed("paths", [&] { stage_paths(o); });
  if (st == Stage::All || st == Stage::Analysis)
    timed("analysis", [&] {
      const StudyLayout layout(o.out);
      for (const std::string& arch : o.preset.archs) {
        std::vector<std::string> files;
        for (const char* set : kWeightSets) files.push_back(layout.set_file(arch, set));
        analyse_weight_sets(files, layout.analysis_dir(arch));
        const StudyPlan& p = o.preset.plan(arch);
        if (p.curvature_images == 0) continue;
        auto model = make_model(o.preset.model_spec(arch));
        const Dataset data = load_dataset(resolve_data_dir(o.data_dir), Split::Train, p.curvature_images);
        check_data_fits(data, *model, arch);
        analyse_set_curvature(*model, data, files, {std::begin(kWeightSets), std::end(kWeightSets)},
                              o.preset.seed, layout.curvature_file(arch));
      }
    });
  if (st == Stage::All || st == Stage::Report) timed("report", [&] { write_report(o.out, o.preset); });
  JsonObject m = provenance(o.command_line);
  m.add("preset", o.preset.name).add("seed", (long long)o.preset.seed).add("stage", to_string(st));
  if (o.shard_count > 1) m.add("shard", std::to_string(o.shard_index) + "/" + std::to_string(o.shard_count));
  m.add_raw("wall_seconds", stages.str(2));
  std::string name = "manifest";
  if (st != Stage::All) name += '-' + to_string(st);
  if (o.shard_count > 1) name += '-' + StudyLayout::shard_name(o.shard_index, o.shard_count);
  out.write_manifest(m, name + ".json");
}

}  // namespace landscape
