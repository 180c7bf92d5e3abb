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
#include "experiments/support/progress.hpp"
#include "experiments/support/provenance.hpp"
#include "io/atomic_file.hpp"
#include "io/npy.hpp"
#include "models/init.hpp"
#include "models/weights_file.hpp"

namespace landscape {

namespace fs = std::filesystem;

namespace {

// This file's CSV and settings text keep 12 significant digits.
std::string fmt(double v) { return number_text(v, "%.12g"); }

std::string run_dir(const std::string& dir, int run) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "/run-%03d", run);
  return dir + buf;
}

void write_vector(const std::string& path, const std::vector<Scalar>& w) {
  write_npy(path, w.data(), 1, int64_t(w.size()), true);
}

std::string summary_line(const RunSummary& s) {
  return std::to_string(s.run) + "," + std::to_string(s.seed) + "," + fmt(s.min_train_loss) +
         "," + std::to_string(s.epoch_train) + "," + fmt(s.min_test_loss) + "," +
         std::to_string(s.epoch_test) + "," + s.status;
}

RunSummary parse_summary(const std::string& path) {
  std::ifstream in(path);
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
  std::ostringstream curve;
  curve << "epoch,train_loss,test_loss\n";
  for (const EpochRecord& e : rec.curve)
    curve << e.epoch << ',' << fmt(e.train_loss) << ',' << fmt(e.test_loss) << '\n';
  write_text_atomic(rd + "/curve.csv", curve.str());
  write_vector(rd + "/w_init.npy", rec.w_init);
  write_vector(rd + "/w_train.npy", rec.w_train);
  write_vector(rd + "/w_test.npy", rec.w_test);
  write_vector(rd + "/w_final.npy", rec.w_final);
  if (!rec.snapshot_epochs.empty()) {  // train --snapshots K: the trajectory [S, P]
    write_npy(rd + "/snapshots.npy", rec.snapshots.data(), int64_t(rec.snapshot_epochs.size()),
              int64_t(rec.w_final.size()));
    std::ostringstream epochs;
    epochs << "row,epoch\n";
    for (size_t k = 0; k < rec.snapshot_epochs.size(); ++k) epochs << k << ',' << rec.snapshot_epochs[k] << '\n';
    write_text_atomic(rd + "/snapshots.csv", epochs.str());
  }
  RunSummary s{run, rec.seed, rec.min_train_loss, rec.min_test_loss, rec.epoch_train,
               rec.epoch_test, rec.status, false};
  write_text_atomic(rd + "/summary.csv",
                    "run,seed,min_train_loss,epoch_train,min_test_loss,epoch_test,status\n" +
                        summary_line(s) + "\n");
  return s;
}

void check_settings(const std::string& dir, const std::string& settings) {
  const std::string path = dir + "/settings.txt";
  if (fs::exists(path)) {
    std::ifstream in(path);
    std::stringstream old;
    old << in.rdbuf();
    if (old.str() != settings)
      throw Error(dir + " holds runs made with other settings (see " + path +
                  "); use another --out, or delete it to start again.\nthere:\n" + old.str() +
                  "now:\n" + settings);
  } else {
    write_text_atomic(path, settings);
  }
}

}  // namespace

std::string EnsembleConfig::settings() const {
  std::ostringstream os;
  os << "arch=" << arch << "\nactivation=" << (activation == Activation::Relu ? "relu" : "softplus")
     << "\noptimizer=" << to_string(train.optimizer) << "\nepochs=" << train.epochs << "\nruns=" << runs
     << "\nkeep=" << keep << "\nseed=" << seed << "\ntrain_images=" << train_images
     << "\ntest_images=" << test_images << "\ninit=" << init_path << "\nprecision=" << kPrecisionName;
  if (train.optimizer == Optimizer::Sgd)
    os << "\nbatch=" << train.batch << "\nlr=" << fmt(train.sgd.lr) << "\nmomentum=" << fmt(train.sgd.momentum);
  else
    os << "\nhistory=" << train.lbfgs.history << "\nbudget=" << train.lbfgs.budget
       << "\ntol=" << fmt(train.lbfgs.tol);
  if (train.snapshot_every > 0) os << "\nsnapshots=" << train.snapshot_every;
  os << "\n";
  return os.str();
}

std::vector<int> select_kept(const std::vector<RunSummary>& runs, int keep) {
  std::vector<int> order;
  for (size_t i = 0; i < runs.size(); ++i)
    if (runs[i].status == "ok" && std::isfinite(runs[i].min_train_loss)) order.push_back(int(i));
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return runs[a].min_train_loss < runs[b].min_train_loss;
  });
  if (int(order.size()) > keep) order.resize(keep);
  std::sort(order.begin(), order.end());
  return order;
}

std::vector<RunSummary> collect_ensemble(const EnsembleConfig& config, const std::string& dir) {
  std::vector<RunSummary> runs;
  for (int r = 0; r < config.runs; ++r) {
    const std::string path = run_dir(dir, r) + "/summary.csv";
    if (!fs::exists(path)) throw Error("run " + std::to_string(r) + " is not finished (" + path + " missing)");
    runs.push_back(parse_summary(path));
  }
  std::vector<int> kept = select_kept(runs, config.keep);
  for (int k : kept) runs[k].kept = true;
  remove_stale_temporaries(dir);  // collect runs alone: no shard is writing here any more

  std::ostringstream csv;
  csv << "run,seed,min_train_loss,epoch_train,min_test_loss,epoch_test,kept,status\n";
  for (const RunSummary& s : runs)
    csv << s.run << ',' << s.seed << ',' << fmt(s.min_train_loss) << ',' << s.epoch_train << ','
        << fmt(s.min_test_loss) << ',' << s.epoch_test << ',' << (s.kept ? 1 : 0) << ','
        << s.status << '\n';
  write_text_atomic(dir + "/runs.csv", csv.str());

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

std::vector<RunSummary> train_ensemble(const EnsembleConfig& given, const std::string& dir,
                                       const std::string& command_line) {
  EnsembleConfig config = given;
  if (config.keep == 0) config.keep = config.runs;
  if (config.runs < 1) throw UsageError("--runs must be at least 1");
  if (config.keep < 1 || config.keep > config.runs)
    throw UsageError("--keep must be between 1 and --runs (" + std::to_string(config.runs) + ")");
  const auto started = std::chrono::steady_clock::now();
  auto model = make_model(config.arch, config.activation);
  const std::string data_dir = resolve_data_dir(config.data_dir);
  Dataset train = load_mnist(data_dir, Split::Train, config.train_images);
  Dataset test = load_mnist(data_dir, Split::Test, config.test_images);
  config.train.check(train.size());
  std::vector<Scalar> fixed_init;
  if (!config.init_path.empty()) {
    NpyMatrix m = read_weights(config.init_path, *model);
    fixed_init.assign(m.row(0), m.row(0) + m.cols);
  }

  make_directories(dir);
  check_settings(dir, config.settings());

  int done_before = 0, todo = 0;
  for (int r = config.shard_index; r < config.runs; r += config.shard_count)
    (fs::exists(run_dir(dir, r) + "/summary.csv") ? done_before : todo)++;
  int trained = 0;
  double seconds_per_epoch = 0;
  long epochs_done = 0;
  Progress progress;
  for (int r = config.shard_index; r < config.runs; r += config.shard_count) {
    if (fs::exists(run_dir(dir, r) + "/summary.csv")) continue;
    const uint64_t seed = config.seed + uint64_t(r);
    if (fs::exists(run_dir(dir, r))) remove_stale_temporaries(run_dir(dir, r));  // a killed try
    std::vector<Scalar> w0 = fixed_init.empty() ? init_weights(*model, seed) : fixed_init;
    ++trained;
    auto on_epoch = [&](const EpochRecord& e, double secs) {
      ++epochs_done;
      seconds_per_epoch += (secs - seconds_per_epoch) / double(epochs_done);
      const double left = seconds_per_epoch *
          (double(config.train.epochs - e.epoch) + double(todo - trained) * config.train.epochs);
      char line[256];
      std::snprintf(line, sizeof line,
                    "train %s/%s: run %d/%d (seed %llu) epoch %d/%d  train %.4g  test %.4g  "
                    "%.2fs/epoch  ~%s left",
                    config.arch.c_str(), to_string(config.train.optimizer).c_str(), trained, todo,
                    (unsigned long long)seed, e.epoch, config.train.epochs, e.train_loss,
                    e.test_loss, secs, format_duration(left).c_str());
      progress.update(line, e.epoch == config.train.epochs);
    };
    RunRecord rec = train_run(*model, train, test, config.train, seed, std::move(w0), on_epoch);
    progress.finish();
    if (rec.status != "ok")
      std::fprintf(stderr, "train: run %d diverged: %s (marked in runs.csv; the ensemble goes on)\n",
                   r, rec.failure.c_str());
    if (rec.lbfgs_resets > 0)
      std::fprintf(stderr, "train: run %d had %d L-BFGS history resets\n", r, rec.lbfgs_resets);
    save_run(dir, r, rec);
  }

  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  JsonObject manifest = provenance(command_line);
  manifest.add("arch", config.arch)
      .add("optimizer", to_string(config.train.optimizer))
      .add("runs", config.runs)
      .add("keep", config.keep)
      .add("first_seed", (long long)config.seed)
      .add("train_images", train.size())
      .add("test_images", test.size())
      .add("runs_trained_now", trained)
      .add("runs_found_finished", done_before)
      .add("wall_seconds", wall);
  std::string shard_suffix;
  if (config.shard_count > 1) {
    shard_suffix = ".shard-" + std::to_string(config.shard_index) + "-of-" + std::to_string(config.shard_count);
    write_text_atomic(dir + "/manifest" + shard_suffix + ".json", manifest.str() + "\n");
    std::vector<RunSummary> mine;
    for (int r = config.shard_index; r < config.runs; r += config.shard_count)
      mine.push_back(parse_summary(run_dir(dir, r) + "/summary.csv"));
    return mine;
  }
  std::vector<RunSummary> runs = collect_ensemble(config, dir);
  write_text_atomic(dir + "/manifest.json", manifest.str() + "\n");
  return runs;
}

}  // namespace landscape
