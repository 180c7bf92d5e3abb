// Minima spread with network size (Choromanska, Henaff, Mathieu, Ben Arous & LeCun 2015;
// docs/algorithms.md §12): one-hidden-layer networks of growing width W (models/one_hidden_layer.cpp), R
// restarts each, trained by SGD and by simulated annealing (optim/simulated_annealing.hpp). The
// paper's finding: for small networks the final test losses scatter widely; as W grows they
// concentrate in a narrow band (std and interquartile range shrink), SGD and annealing land in
// similar bands, and the train/test correlation of the minima fades.
//
// Restart r of width W starts from init seed + r for both optimizers (the same start), and the
// losses are those of the final weights (no early stopping: the paper compares the minima).
// Annealing proposes changes to one hidden unit at a time, priced incrementally
// (models/one_hidden_layer_moves.hpp), with a budget of --anneal-sweeps proposals per unit.
//
// Three parts: this file computes (run_spread, summarise_spread), minima_spread_files.hpp writes
// the CSV files, minima_spread_figures.hpp draws from the results in memory.
//
//   OUT/spread.csv   one row per optimizer x width x restart   (minima_spread_files.hpp)
//   OUT/summary.csv  one row per optimizer x width
//   OUT/spread_hist.*, spread_width.*   figures (gnuplot: .png, .svg, .dat, .gp)
//   OUT/manifest.json
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/statistics.hpp"
#include "io/data_directory.hpp"
#include "optim/simulated_annealing.hpp"

namespace landscape {

enum class SpreadOptimizer { Sgd, Anneal };
inline constexpr EnumName<SpreadOptimizer> kSpreadOptimizerNames[] = {{SpreadOptimizer::Sgd, "sgd"},
                                                                      {SpreadOptimizer::Anneal, "anneal"}};
inline std::string to_string(SpreadOptimizer o) { return enum_name(kSpreadOptimizerNames, o); }

// What one annealing proposal changes (docs/algorithms.md §12.2): one hidden unit's incoming and
// outgoing weights, priced incrementally (models/one_hidden_layer_moves.hpp), or every weight at
// once, one full loss each (the first pass; at 1,500 proposals it stayed far above SGD's band).
enum class AnnealMoves { Unit, Full };
inline constexpr EnumName<AnnealMoves> kAnnealMovesNames[] = {{AnnealMoves::Unit, "unit"},
                                                              {AnnealMoves::Full, "full"}};
inline std::string to_string(AnnealMoves m) { return enum_name(kAnnealMovesNames, m); }

// Flags and preset keys (spread_<name>): table() below (docs/algorithms.md §12).
struct SpreadConfig {
  std::vector<int> widths = {10, 25, 50, 100, 250};
  int restarts = 10;
  std::vector<SpreadOptimizer> optimizers = {SpreadOptimizer::Sgd};
  int pools = 1;    // 2x2 poolings of the input (1: 14x14 = 196 inputs), as the paper
                    // shrank MNIST to keep annealing affordable
  int epochs = 10;  // SGD
  int batch = 64;   // SGD
  double lr = 0.1;  // SGD
  AnnealMoves anneal_moves = AnnealMoves::Unit;
  long anneal_sweeps = 2000;  // proposals per hidden unit: W K unit moves, or K full moves
  // t_start, t_end, sigma (steps: from anneal_sweeps; seed: per restart). Cooler than the
  // annealer's own defaults: at T the walk sits about P T / 2 above a minimum, and T_0 = 1e-2
  // sent it into flat regions whose drifting weights gave test losses of 1e9 (§12.2).
  AnnealParams anneal = [] {
    AnnealParams a;
    a.t_start = 1e-4;
    a.t_end = 1e-7;
    return a;
  }();
  int train_images = 5000, test_images = 10000;
  uint64_t seed = 0;  // restart r uses seed + r
  std::string data_dir;
  static const ParameterTable<SpreadConfig>& table();
  void check() const;  // UsageError naming the flag
};

inline const ParameterTable<SpreadConfig>& SpreadConfig::table() {
  using P = SpreadConfig;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("widths", &P::widths, "hidden units of each network size").range(1, 1000000)
      .field("restarts", &P::restarts, "restarts per width").range(1, 1000000)
      .field("optimizer", &P::optimizers, "sgd | anneal | sgd,anneal", kSpreadOptimizerNames)
          .preset_name("optimizers")
      .field("pool", &P::pools, "2x2 average poolings of the input: 0 (28x28), 1 (14x14), 2 (7x7)")
          .range(0, 2)
      .field("epochs", &P::epochs, "SGD epochs").range(1, 1000000)
      .field("lr", &P::lr, "SGD learning rate").above(0)
      .field("batch", &P::batch, "SGD mini-batch size").range(1, 60000)
      .field("anneal-moves", &P::anneal_moves,
             "annealing proposals: unit (one hidden unit's weights) | full (every weight)",
             kAnnealMovesNames)
      .field("anneal-sweeps", &P::anneal_sweeps,
             "annealing budget, proposals per hidden unit: W x K one-unit proposals (unit) or K "
             "proposals of every weight (full)").range(1, double(1LL << 40))
      .include(&P::anneal, AnnealParams::table(), "", {"t-start", "t-end", "sigma"})
      .field("images", &P::train_images, "training images: the first N").range(1, 60000)
      .field("test-images", &P::test_images, "test images: the first N").range(1, 10000)
      .field("seed", &P::seed, "restart r uses seed + r").range(0, double(1LL << 62))
      .field("data", &P::data_dir, kDataDirHelp);
  // clang-format on
  return t;
}

struct SpreadRun {
  std::string optimizer;
  int width = 0, restart = 0;
  uint64_t seed = 0;
  long params = 0;
  double train_loss = 0, test_loss = 0, test_accuracy = 0;
  long proposals = 0;         // annealing proposals (0 for SGD)
  double acceptance = NAN;    // accepted / proposals (annealing)
  double seconds = 0;         // wall time of the training, one thread
  std::string status = "ok";  // ok | diverged
};

struct SpreadSummary {
  std::string optimizer;
  int width = 0, restarts = 0;
  long params = 0;
  double test_mean = 0, test_std = 0, test_iqr = 0, test_min = 0, test_max = 0;
  double train_mean = 0, train_std = 0;
  double correlation = 0;  // Pearson, train vs test loss over the restarts (NaN below 3)
  double seconds = 0;      // mean wall time of one restart's training
};

// One of Choromanska et al.'s statements checked on the summary (docs/algorithms.md §12.4): the
// related report's "Findings at this scale" and the command's last lines.
struct SpreadFinding {
  std::string claim;     // the statement, for one optimizer or both
  std::string evidence;  // our numbers, width by width
  bool holds = false;
};

// Per optimizer (two widths or more): the test losses' std and IQR both smaller at the largest
// width than at the smallest; the train/test correlation lower there. With both optimizers: at
// every width the min..max ranges of their test losses overlap (the same band).
std::vector<SpreadFinding> check_spread_findings(const std::vector<SpreadSummary>& summary);

// Every optimizer x width x restart, in that order; restarts run in parallel.
std::vector<SpreadRun> run_spread(const SpreadConfig& config);
// The rows of one optimizer and width summarised (finite losses only).
std::vector<SpreadSummary> summarise_spread(const std::vector<SpreadRun>& runs);

// The study: the runs, their summary, files and figures in OUT, the manifest last.
std::vector<SpreadSummary> run_spread_study(const SpreadConfig& config, const std::string& out,
                                            const std::string& command_line);

}  // namespace landscape
