#include "experiments/training/ensemble.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/strings.hpp"
#include "core/wall_clock.hpp"
#include "experiments/support/progress.hpp"
#include "io/atomic_file.hpp"
#include "io/data_directory.hpp"
#include "io/npy.hpp"
#include "io/provenance.hpp"
#include "io/run_directory.hpp"
#include "io/table_writer.hpp"
#include "io/whole_file.hpp"
#include "models/init.hpp"
#include "models/model_description.hpp"
#include "models/weights_file.hpp"

namespace landscape {

namespace fs = std::filesystem;

namespace {

// This file's CSV and settings text keep 12 significant digits.
std::string fmt(double v) { return number_text(v, "%.12g"); }

std::string run_name(int run) {  // "run-007"
  char buf[32];
  std::snprintf(buf, sizeof buf, "run-%03d", run);
  return buf;
}

std::string run_dir(const std::string& dir, int run) { return dir + "/" + run_name(run); }

void write_vector(const std::string& path, const std::vector<Scalar>& w) {
  write_npy(path, w.data(), 1, int64_t(w.size()), true);
}

// DIR/run-NNN/summary.csv (one row, the run's completion mark) and DIR/runs.csv (every run).
std::vector<Column<RunSummary>> summary_columns() {
  return {{"run", [](const RunSummary& s) { return std::to_string(s.run); }},
          {"seed", [](const RunSummary& s) { return std::to_string(s.seed); }},
          {"min_train_loss", [](const RunSummary& s) { return fmt(s.min_train_loss); }},
          {"epoch_train", [](const RunSummary& s) { return std::to_string(s.epoch_train); }},
          {"min_test_loss", [](const RunSummary& s) { return fmt(s.min_test_loss); }},
          {"epoch_test", [](const RunSummary& s) { return std::to_string(s.epoch_test); }}};
}

Table<RunSummary> summary_table() {
  auto columns = summary_columns();
  columns.push_back({"status", [](const RunSummary& s) { return s.status; }});
  return Table<RunSummary>(columns);
}

Table<RunSummary> runs_table() {
  auto columns = summary_columns();
  columns.push_back({"kept", [](const RunSummary& s) { return std::string(s.kept ? "1" : "0"); }});
  columns.push_back({"status", [](const RunSummary& s) { return s.status; }});
  return Table<RunSummary>(columns);
}

RunSummary parse_summary(const std::string& path) {
  std::istringstream in(read_whole_file(path));
  std::string header, line;
  if (!std::getline(in, header) || !std::getline(in, line))
    throw Error(path + ": empty or truncated run summary");
  std::vector<std::string> f = split_commas(line);
  if (f.size() != 7) throw Error(path + ": expected 7 fields, found " + std::to_string(f.size()));
  RunSummary s;
  try {
    s.run = std::stoi(f[0]);
    s.seed = std::stoull(f[1]);
    s.min_train_loss = std::stod(f[2]);
    s.epoch_train = std::stoi(f[3]);
    s.min_test_loss = std::stod(f[4]);
    s.epoch_test = std::stoi(f[5]);
  } catch (const std::exception&) {
    throw Error(path + ": malformed run summary '" + line + "'");
  }
  s.status = f[6];
  return s;
}

// Writes one finished run: weights and curve first, summary.csv last (the completion mark).
RunSummary save_run(const std::string& dir, int run, const RunRecord& rec) {
  const std::string rd = run_dir(dir, run);
  make_directories(rd);
  curve_table().write(rd + "/curve.csv", rec.curve);
  write_vector(rd + "/w_init.npy", rec.w_init);
  write_vector(rd + "/w_train.npy", rec.w_train);
  write_vector(rd + "/w_test.npy", rec.w_test);
  write_vector(rd + "/w_final.npy", rec.w_final);
  if (!rec.snapshot_epochs.empty()) {  // train --snapshots K: the trajectory [S, P]
    write_npy(rd + "/snapshots.npy", rec.snapshots.data(), int64_t(rec.snapshot_epochs.size()),
              int64_t(rec.w_final.size()));
    std::ostringstream epochs;
    epochs << "row,epoch\n";
    for (size_t k = 0; k < rec.snapshot_epochs.size(); ++k)
      epochs << k << ',' << rec.snapshot_epochs[k] << '\n';
    write_text_atomic(rd + "/snapshots.csv", epochs.str());
  }
  if (rec.trace) {  // --trace (docs/algorithms.md §16): beside the results, never instead of them
    write_text_atomic(rd + "/trace.csv", rec.trace->text());
    if (!rec.trace_states.empty()) {
      write_npy(rd + "/trace-states.npy", rec.trace_states.rows.data(),
                int64_t(rec.trace_states.steps.size()), int64_t(rec.w_final.size()));
      write_text_atomic(rd + "/trace-states.csv", rec.trace_states.steps_csv());
    }
    if (!rec.shuffles.empty()) {                              // SGD: each epoch's order [E, N]
      const int64_t epochs = int64_t(rec.trace->size()) - 1;  // rows after step 0, one per epoch
      write_npy(rd + "/shuffles.npy", rec.shuffles.data(), epochs, int64_t(rec.shuffles.size()) / epochs);
    }
  }
  RunSummary s{run,        rec.seed, rec.min_train_loss, rec.min_test_loss, rec.epoch_train, rec.epoch_test,
               rec.status, false};
  summary_table().write(rd + "/summary.csv", {s});
  return s;
}

}  // namespace

Settings EnsembleConfig::settings(const std::string& data_fingerprint) const {
  const ParameterTable<TrainConfig>& train_table = TrainConfig::table();
  Settings s;
  s.add("arch", arch).add("activation", enum_name(kActivationNames, activation));
  s.fields(train_table, train, {"optimizer", "epochs"});
  s.fields(table(), *this, {"runs", "keep", "seed", "train-images", "test-images", "init"});
  s.add("precision", kPrecisionName);
  if (train.optimizer == Optimizer::Sgd)  // each optimizer's own parameters: the other's change nothing
    s.fields(train_table, train, {"batch", "lr", "momentum"});
  else
    s.fields(train_table, train, {"history", "budget", "tol"});
  s.fields(train_table, train, {"snapshots"});
  s.add_recorded_since_rule("data", data_fingerprint);
  return s;
}

std::vector<int> select_kept(const std::vector<RunSummary>& runs, int keep) {
  std::vector<int> order;
  for (size_t i = 0; i < runs.size(); ++i)
    if (runs[i].status == "ok" && std::isfinite(runs[i].min_train_loss)) order.push_back(int(i));
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return runs[a].min_train_loss < runs[b].min_train_loss; });
  if (int(order.size()) > keep) order.resize(keep);
  std::sort(order.begin(), order.end());
  return order;
}

std::vector<RunSummary> collect_ensemble(const EnsembleConfig& config, const std::string& dir) {
  std::vector<RunSummary> runs;
  for (int r = 0; r < config.runs; ++r) {
    const std::string path = run_dir(dir, r) + "/summary.csv";
    if (!fs::exists(path))
      throw Error("run " + std::to_string(r) + " is not finished (" + path + " missing)");
    runs.push_back(parse_summary(path));
  }
  std::vector<int> kept = select_kept(runs, config.keep);
  for (int k : kept) runs[k].kept = true;
  const RunDirectory out(dir);  // collect runs alone: no shard is writing here any more
  out.write("runs.csv", runs_table().text(runs));

  for (const char* which : {"w_train", "w_test"}) {
    std::vector<Scalar> stack;
    int64_t width = 0;
    for (int k : kept) {
      NpyMatrix m = read_npy(run_dir(dir, k) + "/" + which + ".npy");
      width = m.cols;
      stack.insert(stack.end(), m.data.begin(), m.data.end());
    }
    write_npy(dir + "/" + which + ".npy", stack.data(), int64_t(kept.size()), width);
  }
  return runs;
}

namespace {

// What every run of the ensemble starts from: the model, the data subsets, and the fixed
// initial weights of --init (empty: each run draws its own from its seed).
struct EnsembleInputs {
  std::unique_ptr<Model> model;
  Dataset train, test;
  std::vector<Scalar> fixed_init;
};

EnsembleInputs load_inputs(const EnsembleConfig& config) {
  EnsembleInputs in;
  in.model = make_model(config.arch, config.activation);
  const std::string data_dir = resolve_data_dir(config.data_dir);
  in.train = load_dataset(data_dir, Split::Train, config.train_images > 0 ? config.train_images : -1);
  in.test = load_dataset(data_dir, Split::Test, config.test_images > 0 ? config.test_images : -1);
  for (const Dataset* d : {&in.train, &in.test}) check_data_fits(*d, *in.model, "--arch " + config.arch);
  config.train.check(in.train.size());
  if (!config.init_path.empty()) {
    // --init net.onnx: the weights the ONNX file holds (models/weights_file.hpp)
    NpyMatrix m = is_onnx_path(config.init_path) ? read_weights_or_model_file("", config.init_path, *in.model)
                                                 : read_weights(config.init_path, *in.model);
    in.fixed_init.assign(m.row(0), m.row(0) + m.cols);
  }
  return in;
}

// The runs of this shard (r % n == i), in order.
std::vector<int> shard_runs(const EnsembleConfig& config) {
  std::vector<int> runs;
  for (int r = config.shard_index; r < config.runs; r += config.shard_count) runs.push_back(r);
  return runs;
}

// How many runs are trained now and how many were found finished (summary.csv written).
struct EnsembleCounts {
  int trained = 0, found_finished = 0;
};

// Trains each unfinished run of this shard and saves it (summary.csv last), with one progress
// line per epoch whose ETA counts the runs still to train.
EnsembleCounts train_missing_runs(const EnsembleConfig& config, const RunDirectory& out, EnsembleInputs& in) {
  EnsembleCounts counts;
  std::vector<int> todo;
  for (int r : shard_runs(config))
    if (out.finished(run_name(r) + "/summary.csv"))
      ++counts.found_finished;
    else
      todo.push_back(r);
  double seconds_per_epoch = 0;
  long epochs_done = 0;
  Progress progress;
  for (int r : todo) {
    const uint64_t seed = config.seed + uint64_t(r);
    if (fs::exists(run_dir(out.path(), r))) remove_stale_temporaries(run_dir(out.path(), r));  // a killed try
    std::vector<Scalar> w0 = in.fixed_init.empty() ? init_weights(*in.model, seed) : in.fixed_init;
    ++counts.trained;
    auto on_epoch = [&](const EpochRecord& e, double secs) {
      ++epochs_done;
      seconds_per_epoch += (secs - seconds_per_epoch) / double(epochs_done);
      const double left =
          seconds_per_epoch * (double(config.train.epochs - e.epoch) +
                               double(int(todo.size()) - counts.trained) * config.train.epochs);
      char line[256];
      std::snprintf(line, sizeof line,
                    "train %s/%s: run %d/%d (seed %llu) epoch %d/%d  train %.4g  test %.4g  "
                    "%.2fs/epoch  ~%s left",
                    config.arch.c_str(), to_string(config.train.optimizer).c_str(), counts.trained,
                    int(todo.size()), (unsigned long long)seed, e.epoch, config.train.epochs, e.train_loss,
                    e.test_loss, secs, format_duration(left).c_str());
      progress.update(line, e.epoch == config.train.epochs);
    };
    RunRecord rec = train_run(*in.model, in.train, in.test, config.train, seed, std::move(w0), on_epoch);
    progress.finish();
    if (rec.status != "ok")
      std::fprintf(stderr, "train: run %d diverged: %s (marked in runs.csv; the ensemble goes on)\n", r,
                   rec.failure.c_str());
    if (rec.lbfgs_resets > 0)
      std::fprintf(stderr, "train: run %d had %d L-BFGS history resets\n", r, rec.lbfgs_resets);
    save_run(out.path(), r, rec);
  }
  return counts;
}

JsonObject ensemble_manifest(const Settings& settings, const EnsembleCounts& counts,
                             const std::string& command_line, double wall_seconds) {
  JsonObject manifest = provenance(command_line);
  manifest.add_settings(settings)
      .add("runs_trained_now", counts.trained)
      .add("runs_found_finished", counts.found_finished)
      .add("wall_seconds", wall_seconds);
  return manifest;
}

}  // namespace

std::vector<RunSummary> train_ensemble(const EnsembleConfig& given, const std::string& dir,
                                       const std::string& command_line) {
  EnsembleConfig config = given;
  if (config.keep == 0) config.keep = config.runs;
  if (config.runs < 1) throw UsageError("--runs must be at least 1");
  if (config.keep < 1 || config.keep > config.runs)
    throw UsageError("--keep must be between 1 and --runs (" + std::to_string(config.runs) + ")");
  const auto started = std::chrono::steady_clock::now();
  EnsembleInputs in = load_inputs(config);
  config.train_images = in.train.size();  // "all" becomes the count, as an explicit N would be
  config.test_images = in.test.size();

  // Runs already trained with other settings are worth keeping: refuse rather than overwrite.
  const RunDirectory out(dir, config.shard_index, config.shard_count);
  const Settings settings =
      config.settings(examples_fingerprint(in.train) + "," + examples_fingerprint(in.test));
  out.require_settings(settings, OnOtherSettings::Refuse);
  const EnsembleCounts counts = train_missing_runs(config, out, in);

  const double wall = seconds_since(started);
  const JsonObject manifest = ensemble_manifest(settings, counts, command_line, wall);
  if (config.shard_count > 1) {  // `landscape collect` writes runs.csv once every shard is done
    out.write_manifest(manifest, "manifest.shard-" + std::to_string(config.shard_index) + "-of-" +
                                     std::to_string(config.shard_count) + ".json");
    std::vector<RunSummary> mine;
    for (int r : shard_runs(config)) mine.push_back(parse_summary(run_dir(dir, r) + "/summary.csv"));
    return mine;
  }
  std::vector<RunSummary> runs = collect_ensemble(config, dir);
  out.write_manifest(manifest);
  return runs;
}

}  // namespace landscape
