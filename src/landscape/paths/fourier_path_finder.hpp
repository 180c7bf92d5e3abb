// FourierPathFinder (Algorithm 2 of Yu & Morozov; docs/algorithms.md §5): a low-loss path between
// two points w_i, w_j of a landscape, as the straight line plus a Fourier sine series
//   w(t) = (1-t) w_i + t w_j + sum_{n=1..NF} b_n sin(n pi t),   t in [0, 1],
// whose coefficients b_n (vectors of the landscape's dimension, starting at 0: the straight
// line) are moved by Adam to lower the objective over the M points t_m = linspace(0, 1, M)
//   L = sum_m l(w(t_m)) + lambda * sum_m |w(t_{m+1}) - w(t_m)|^2
//   dL/db_n = sum_m l'(w(t_m)) sin(n pi t_m)
//             + 2 lambda sum_m (w_{m+1} - w_m) (sin(n pi t_{m+1}) - sin(n pi t_m)).
// The point loss l is the landscape's value f (Algorithm 2 as written, the published NN
// notebook) or f^2 with gradient 2 f grad f (the published toy notebook of Figure 3,
// docs/algorithms.md §6.2). Heights, lengths and profiles are always reported on f itself.
//
// The sines at t = 0 and t = 1 (and wherever n t is an integer) are exact zeros, so the end
// points of every path equal w_i and w_j bit for bit; (PyTorch's float32 sin(n pi) is ~1e-7,
// which lets its end points drift by that much times b_n.)
//
// Iterates: b^0 = 0 (the straight line), b^{k+1} = Adam(b^k, dL/db(b^k) + noise). The finder
// evaluates b^0 .. b^steps (the last one loss only) and reports the best of them under the
// selection rule, so --steps 0 reports the straight line.
//
// Stochastic steps (beyond the paper, docs/algorithms.md §5.7): with --batch B > 0 the gradient
// of step k is taken on step k's mini-batch landscape (StepLandscapes below), and only b^0, every
// eval_every-th iterate and the last are judged, on the full landscape, loss only: the reported
// H, profile and loss sums are always full-landscape values, H_linear exact.
//
// Work: the M point evaluations of a step go to the landscape at once, with the basis the
// points are combinations of (w_i, w_j, b_1 .. b_NF): a model's landscape reads the data once
// for many points and computes their first layer from NF + 2 products (§2.6, §5.6);
// everything else in a step (building the points, the b-gradient) is O(M NF P) and reduces in
// point order, so a run gives the same bits for a given thread count when the landscape does.
//
// Legend: P = landscape dimension, NF = number of sine terms (--terms), M = points (--points).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/scalar.hpp"
#include "landscape/landscape.hpp"

namespace landscape {

enum class PointLoss { Plain, Squared };             // --point-loss plain|squared
enum class PathSelect { MinLossSum, MinObjective };  // --select min-loss-sum|min-objective
inline constexpr EnumName<PointLoss> kPointLossNames[] = {{PointLoss::Plain, "plain"},
                                                          {PointLoss::Squared, "squared"}};
inline constexpr EnumName<PathSelect> kPathSelectNames[] = {{PathSelect::MinLossSum, "min-loss-sum"},
                                                            {PathSelect::MinObjective, "min-objective"}};

PointLoss parse_point_loss(const std::string& name);    // UsageError naming --point-loss
PathSelect parse_path_select(const std::string& name);  // UsageError naming --select
std::string to_string(PointLoss loss);
std::string to_string(PathSelect select);

// Flags and preset keys (path_<name>): table() below, docs/algorithms.md §5.
struct PathParams {
  // Defaults: the published NN notebook (docs/algorithms.md §5.1).
  int terms = 10;        // NF
  int points = 51;       // M (t_m = linspace(0, 1, M), end points included)
  double lambda = 1e-4;  // weight of the smoothness term
  double lr = 1e-3;      // Adam's learning rate (betas 0.9/0.999, eps 1e-8)
  int steps = 100;       // Adam steps
  PointLoss point_loss = PointLoss::Plain;
  double grad_noise = 0;         // SIGMA: N(0, SIGMA^2) added to each gradient component
  std::uint64_t noise_seed = 0;  // the noise generator's seed (not a flag: per pair, from --seed)
  // The NN notebook keeps the iterate with the lowest sum of point losses (smoothness left out).
  PathSelect select = PathSelect::MinLossSum;
  // Beyond the paper (docs/algorithms.md §5.7): B images in each step's mini-batch, drawn afresh
  // for every step (0: the full landscape in every step, as the paper); and with B > 0, every
  // eval_every-th iterate is also judged on the full landscape (0: only b^0 and the last).
  int batch = 0;
  int eval_every = 0;

  static const ParameterTable<PathParams>& table();
  // The table's bounds, and --eval-every only with --batch; UsageError naming the flag. (That B
  // does not exceed the landscape's images is checked where the mini-batches are drawn.)
  void check() const {
    table().check(*this);
    if (eval_every > 0 && batch == 0)
      throw UsageError("--eval-every needs --batch B > 0: a full-batch run judges every iterate");
  }

  // The published toy procedure of Figure 3 (docs/algorithms.md §6.2): squared point loss, 15
  // terms, 101 points, Adam lr 0.01, 300 steps, N(0,1) gradient noise, lowest full objective.
  static PathParams figure3(double lambda, std::uint64_t seed);
};

inline const ParameterTable<PathParams>& PathParams::table() {
  using P = PathParams;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("terms", &P::terms, "fourier: NF, sine terms of the path").range(1, 100000)
      .field("points", &P::points, "M: fourier's points t_m = linspace(0, 1, M); where curves are measured")
          .range(2, 1000000)
      .field("lambda", &P::lambda, "fourier: weight of the smoothness term").at_least(0)
      .field("lr", &P::lr, "learning rate (Adam; for neb a distance per component per step); on a 2-D surface "
                           "0.01 unless given").above(0)
      .field("steps", &P::steps, "optimisation steps (0: the straight line; compare-paths: from --budget)")
          .at_least(0)
      .field("point-loss", &P::point_loss,
             "fourier: plain (loss, Algorithm 2) | squared (loss^2, toy notebook)", kPointLossNames)
      .field("grad-noise", &P::grad_noise, "fourier: SIGMA, N(0, SIGMA^2) added to each gradient component")
          .at_least(0)
      .field("select", &P::select,
             "fourier: reported iterate: min-loss-sum (NN notebook) | min-objective (toy notebook)",
             kPathSelectNames)
      .field("batch", &P::batch,
             "fourier: B images per step, a fresh mini-batch each step (0: full batch, the paper; "
             "beyond the paper)")
          .range(0, 60000)
      .field("eval-every", &P::eval_every,
             "fourier with --batch: also judge every k-th iterate on the full landscape (0: the "
             "straight line and the last only)")
          .at_least(0);
  // clang-format on
  return t;
}

// Step k's landscape in a stochastic run (docs/algorithms.md §5.7): the full landscape's loss
// over step k's mini-batch of images. The reference stays valid until the next call; the
// finder calls it once per step, k = 0, 1, ..., steps - 1.
using StepLandscapes = std::function<const Landscape&(int k)>;

// Told after each Adam step of run(), with the steps taken and the steps asked for: how a
// long run reports its progress (a full-batch LSTM step at 60,000 images is about 40 s). Called on
// the thread that called run(), outside the parallel regions.
using StepObserver = std::function<void(int done, int steps)>;

// One row of a path's step trace (`path --trace`, docs/algorithms.md §16), told for every iterate
// b^k, k = 0 .. steps, after the step from it. Nothing in it steers the run.
struct PathStepRecord {
  int step = 0;  // k
  // L, sum_m f and max_m f of b^k on the full landscape; NaN where b^k was not judged (a
  // stochastic run judges b^0, every eval_every-th and the last).
  double objective = 0, loss_sum = 0, H = 0;
  // Stochastic steps: L and sum_m f of b^k on step k's mini-batch (NaN in a full-batch run and
  // at the last iterate, which is not stepped from).
  double batch_objective = 0, batch_loss_sum = 0;
  double gradient_norm = 0;                 // |dL/db| at b^k, before any noise (NaN at the last iterate)
  double adam_m_norm = 0, adam_v_norm = 0;  // |m|, |v| after the step from b^k (NaN at the last)
  const Scalar* b = nullptr;                // [NF, P] b^k, valid during the call
};
using PathStepTracer = std::function<void(const PathStepRecord&)>;

// An iterate judged on the full landscape: in a full-batch run every b^k, in a stochastic run
// b^0, every eval_every-th and the last (docs/algorithms.md §5.7). What H against cost is drawn
// from (`path --checkpoints`, bench/stochastic_paths.sh).
struct PathCheckpoint {
  int step = 0;                // k of b^k
  double H = 0, loss_sum = 0;  // max_m f and sum_m f at b^k
  double H_reported = 0;       // H of the iterate selected among those judged up to k
  double seconds = 0;          // wall time since run() began
  double cpu_seconds = 0;      // the process's CPU time since run() began (all threads)
};

struct PathResult {
  double H_linear = 0;                      // max_m f on the straight line
  double H = 0;                             // max_m f(w(t_m)) on the reported path
  double length_linear = 0;                 // |w_j - w_i|
  double length = 0;                        // sum_m |w(t_{m+1}) - w(t_m)|
  double loss_sum_linear = 0;               // sum_m f on the straight line
  double loss_sum = 0;                      // sum_m f(w(t_m)) on the reported path
  double objective = 0;                     // L of the reported iterate (with its point loss, noise-free)
  int steps = 0;                            // Adam steps run
  int reported_step = 0;                    // k of the reported iterate b^k (0: the straight line)
  std::vector<double> t;                    // [M] t_m
  std::vector<double> profile_linear;       // [M] f on the straight line
  std::vector<double> profile;              // [M] f(w(t_m)) on the reported path
  std::vector<Scalar> b;                    // [NF, P] the reported b_n, row n-1 = b_n
  std::vector<PathCheckpoint> checkpoints;  // the judged iterates, in step order
};

// Everything run() carries from one step to the next, after K steps: with it a run stopped
// there (killed, out of time) continues and ends in the same bits as one that never stopped
// (docs/algorithms.md §5.8). `partial` holds what judging b^0 .. b^{K-1} gathered: the straight
// line's values (b^0 is always judged), the iterate selected so far and the checkpoints.
struct FourierPathState {
  int steps_done = 0;                   // K, 1 <= K <= steps: b is b^K, not yet judged
  std::vector<Scalar> b;                // [NF, P] b^K
  std::vector<double> adam_m, adam_v;   // [NF, P] Adam's moments after K steps (its t is K)
  std::string noise;                    // the gradient-noise generator after K steps (Rng::state)
  double best = 0;                      // the selection criterion of partial.reported_step
  double seconds = 0, cpu_seconds = 0;  // wall and CPU time spent before (checkpoints go on from them)
  PathResult partial;
};

// After each step, run() asks due(K) (K = the steps taken) and, where it says yes, hands its
// state to keep: how a caller keeps a long run's state on disk (experiments/paths/pair_state.hpp).
struct StateKeeper {
  std::function<bool(int steps_done)> due;
  std::function<void(const FourierPathState&)> keep;
};

// A FourierPathFinder run continued from a kept state (none: from b = 0), and who keeps its
// state as it goes (find_path; docs/algorithms.md §5.8).
struct PathResumption {
  const FourierPathState* from = nullptr;
  StateKeeper keeper;
};

class FourierPathFinder {
 public:
  // w_i, w_j [P] with P = f.dimension() (copied); f must outlive the finder. Checks the
  // parameters. `steps` gives the mini-batch landscapes of params.batch > 0 (required then,
  // unused otherwise; docs/algorithms.md §5.7).
  FourierPathFinder(const Landscape& f, std::span<const Scalar> w_i, std::span<const Scalar> w_j,
                    const PathParams& params, StepLandscapes steps = {});

  // Runs Algorithm 2 from b = 0, or continues it from `from` (a state this finder's kind of
  // run kept: its sizes and step are checked, Error otherwise), and reports the selected
  // iterate. A NaN or Inf in a point's loss, the objective or its gradient is an Error naming
  // the step and the point.
  PathResult run(const FourierPathState* from = nullptr);
  // run() offers its state to `keeper` after each step (nobody by default).
  void keep_state(StateKeeper keeper) { keeper_ = std::move(keeper); }
  // run() tells `observer` after each step (none by default).
  void observe_steps(StepObserver observer) { observer_ = std::move(observer); }
  // run() gives `tracer` a row per iterate (none by default).
  void trace_steps(PathStepTracer tracer) { tracer_ = std::move(tracer); }

  // The points of the path with coefficients b[NF, P]: W[M, P], row m = w(t_m).
  void path_points(const Scalar* b, Scalar* W) const;

  // L(b) for b[NF, P], as the chosen point loss defines it, and (unless grad_b is nullptr)
  // dL/db into grad_b[NF, P], noise-free. Also fills the per-point values below. On the full
  // landscape, except inside run() on a stochastic step.
  double objective(const Scalar* b, Scalar* grad_b);

  // sin(n pi t_m) for n = 1..NF, m = 0..M-1, with exact zeros where n t_m is an integer.
  double basis(int n, int m) const { return sine_[std::size_t(n - 1) * M_ + m]; }
  const std::vector<double>& t() const { return t_; }
  // After objective(): f at each point [M], and the squared segment lengths [M-1].
  const std::vector<double>& point_values() const { return f_; }
  const std::vector<double>& segment_squares() const { return seg_sq_; }

 private:
  // Threads pay off only when a point is real work: for the 2-D surfaces, starting a team
  // costs more than the 101 evaluations it would share (measured: 14x slower on 2 threads).
  static constexpr std::size_t kMinParallelDimension = 256;
  bool worth_threads() const { return P_ >= kMinParallelDimension; }
  void evaluate_points(const Scalar* b, bool with_gradient);
  void squared_loss_part();
  void gradient_b(Scalar* grad_b) const;
  // Error naming step k and the point or component when f, L or dL/db (if given) is not finite.
  void require_finite(int k, double L, const Scalar* grad_b) const;
  // Error unless `s` fits this finder: its sizes, a step in 1..steps, the straight line judged.
  void check_state(const FourierPathState& s) const;

  // The landscape the points are evaluated on: f_land_, or step k's mini-batch (§5.7).
  const Landscape& step_landscape() const { return *step_land_; }

  const Landscape& f_land_;
  StepLandscapes steps_;  // with params_.batch > 0
  StepObserver observer_;
  PathStepTracer tracer_;
  StateKeeper keeper_;
  const Landscape* step_land_;     // &f_land_ but inside a stochastic step
  std::vector<Scalar> w_i_, w_j_;  // [P] the end points
  PathParams params_;
  std::size_t P_;
  int NF_, M_;
  std::vector<double> t_;             // [M]
  std::vector<double> sine_;          // [NF, M] sin(n pi t_m)
  std::vector<double> coefficients_;  // [M, NF+2] each point over the basis below
  // Per-step workspace, allocated once (nothing is allocated inside the step loop).
  std::vector<Scalar> basis_;              // [NF+2, P] w_i, w_j, b_1 .. b_NF
  std::vector<Scalar> W_;                  // [M, P] path points
  std::vector<double> point_sines_;        // [M, NF] sin(n pi t_m), point-major
  std::vector<Scalar> G_;                  // [M, P] grad f at each point (squared point loss only)
  std::vector<Scalar> loss_part_;          // [NF, P] sum_m l'(w_m) sin(n pi t_m)
  std::vector<double> f_;                  // [M] f(w(t_m))
  std::vector<double> ell_;                // [M] point loss l = f or f^2
  std::vector<double> seg_sq_;             // [M-1] |w_{m+1} - w_m|^2
  std::vector<Scalar> trace_before_step_;  // [NF, P] b^k for the tracer (the step moves b in place)
};

}  // namespace landscape
