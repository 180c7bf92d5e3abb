// landscape path: FourierPathFinder paths (Algorithm 2, NOTES.md section 5) between pairs of
// weight vectors on a model's mean-loss landscape over a split of MNIST (Figure 4: 300 random
// pairs per set of 48 vectors). Resumable: pairs already in DIR/paths.csv are skipped.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "experiments/path_pairs.hpp"
#include "experiments/path_table.hpp"
#include "experiments/progress.hpp"
#include "io/mnist.hpp"
#include "landscape/fourier_path_finder.hpp"
#include "landscape/model_landscape.hpp"
#include "models/weights_file.hpp"
#include "optim/adam.hpp"

namespace landscape {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The noise stream of one pair: a function of (seed, i, j) only (splitmix64 finaliser), so a
// pair gives the same path whatever ran before it and whether or not the run was resumed.
uint64_t pair_seed(uint64_t seed, const PathPair& p) {
  uint64_t z = seed ^ (uint64_t(p.i) * 0x9E3779B97F4A7C15ull) ^ (uint64_t(p.j) << 32 | 0x5bd1e995);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

PathParams read_path_flags(const Args& args) {
  PathParams p;
  p.terms = int(args.integer("terms", 1, 100000));
  p.points = int(args.integer("points", 2, 1000000));
  p.lambda = args.real("lambda", 0, 1e300);
  p.lr = args.real("lr", 1e-300, 1e300);
  p.steps = int(args.integer("steps", 0, 100000000));
  p.point_loss = parse_point_loss(args.str("point-loss"));
  p.grad_noise = args.real("grad-noise", 0, 1e300);
  p.select = parse_path_select(args.str("select"));
  p.check();
  return p;
}

// What the rows of DIR depend on (checked when resuming). The pair list is not part of it:
// a later run may add pairs.
std::string settings_text(const Args& args, const PathParams& p, const Dataset& data) {
  std::ostringstream s;
  s.precision(17);
  s << "arch " << args.str("arch") << "\nactivation " << args.str("activation") << "\nweights "
    << args.str("weights") << "\nsplit " << args.str("split") << "\nimages " << data.size()
    << "\nprecision " << kPrecisionName << "\nterms " << p.terms << "\npoints " << p.points
    << "\nlambda " << p.lambda << "\nlr " << p.lr << "\nsteps " << p.steps << "\npoint-loss "
    << to_string(p.point_loss) << "\ngrad-noise " << p.grad_noise << "\nselect "
    << to_string(p.select) << "\n";
  if (p.grad_noise > 0) s << "seed " << args.str("seed") << "\n";  // the noise depends on it
  return s.str();
}

// The performance point of the issue: one optimisation step (the M point evaluations with
// their gradients in parallel, the b-gradient, Adam) against M whole-dataset loss+gradient
// evaluations done back to back, each of those using every thread over the data.
void time_one_step(const Landscape& land, const NpyMatrix& weights, const PathPair& pair,
                   const PathParams& params) {
  const std::size_t P = land.dimension();
  FourierPathFinder finder(land, {weights.row(pair.i), P}, {weights.row(pair.j), P}, params);
  const std::size_t M = std::size_t(params.points), nb = std::size_t(params.terms) * P;
  std::vector<Scalar> W(M * P), grad(P), b(nb, Scalar(0)), grad_b(nb);
  finder.path_points(b.data(), W.data());
  land.evaluate(W.data(), grad.data());  // warm-up (first touch of the data, allocator)

  // Wall time, and the process's CPU time (all threads) as a check when the machine is shared.
  auto start = Clock::now();
  std::clock_t cpu_start = std::clock();
  for (std::size_t m = 0; m < M; ++m) land.evaluate(W.data() + m * P, grad.data());
  const double back_to_back = seconds_since(start);
  const double back_to_back_cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;

  AdamParams adam_params;
  adam_params.lr = params.lr;
  Adam adam(nb, adam_params);
  start = Clock::now();
  cpu_start = std::clock();
  finder.objective(b.data(), grad_b.data());
  adam.step(b.data(), grad_b.data());
  const double step = seconds_since(start);
  const double step_cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::printf(
      "%s, %d threads, %s\n"
      "one optimisation step (M = %zu points):    wall %.3f s, cpu %.3f s\n"
      "M loss+gradient evaluations back to back: wall %.3f s, cpu %.3f s\n"
      "ratio step / evaluations: wall %.3f, cpu %.3f\n",
      land.describe().c_str(), num_threads(), kPrecisionName, M, step, step_cpu, back_to_back,
      back_to_back_cpu, step / back_to_back, step_cpu / back_to_back_cpu);
}

}  // namespace

int cmd_path(int argc, char** argv) {
  Args args("path",
            "FourierPathFinder (Algorithm 2, NOTES.md section 5) between rows of a weights file\n"
            "on the model's mean loss over a split of MNIST. Writes DIR/paths.csv\n"
            "(i,j,H_linear,H,length,loss_sum,steps) and DIR/profiles.csv (i,j,kind,m,t,loss;\n"
            "kind linear | optimized). Pairs already in DIR/paths.csv are skipped.\n"
            "H is the highest loss over the M points; loss_sum their sum.");
  args.flag("arch", "", "model: fcp | lenet | lstm | ae", true)
      .flag("weights", "", ".npy file, one weight vector per row", true)
      .flag("pairs", "", "pairs of rows, e.g. 0-1,2-3 (path from the first to the second)")
      .flag("random-pairs", "0", "N distinct unordered pairs drawn with --seed")
      .flag("seed", "1", "seed of --random-pairs and of the gradient noise")
      .flag("split", "train", "train | test: the landscape's dataset")
      .flag("images", "0", "use the first N images of the split (0 = all)")
      .flag("activation", "softplus", "softplus (published code) | relu (paper's text)")
      .flag("data", "", "MNIST directory (else $LANDSCAPE_DATA, else data/mnist)")
      .flag("terms", "10", "NF, sine terms of the path")
      .flag("points", "51", "M, points t_m = linspace(0, 1, M)")
      .flag("lambda", "1e-4", "weight of the smoothness term")
      .flag("lr", "1e-3", "Adam learning rate")
      .flag("steps", "100", "Adam steps (0: the straight line)")
      .flag("point-loss", "plain", "plain (loss, Algorithm 2) | squared (loss^2, toy notebook)")
      .flag("grad-noise", "0", "SIGMA: N(0, SIGMA^2) added to each gradient component")
      .flag("select", "min-loss-sum",
            "reported iterate: min-loss-sum (NN notebook) | min-objective (toy notebook)")
      .flag("out", "", "output directory", true)
      .toggle("time-step", "time one step against M back-to-back evaluations, then exit");
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);

  const PathParams params = read_path_flags(args);
  auto model = make_model(args.str("arch"), parse_activation(args.str("activation")));
  const NpyMatrix weights = read_weights(args.str("weights"), *model);
  const auto seed = uint64_t(args.integer("seed", 0, (1LL << 62)));
  const long long n_random = args.integer("random-pairs", 0, 1LL << 40);
  if (args.given("pairs") == (n_random > 0))
    throw UsageError("give either --pairs or --random-pairs N");
  const std::vector<PathPair> pairs = args.given("pairs")
                                          ? parse_pairs(args.str("pairs"), weights.rows)
                                          : random_pairs(weights.rows, n_random, seed);
  const int images = int(args.integer("images", 0, 60000));
  const Dataset data = load_mnist(resolve_data_dir(args.str("data")),
                                  parse_split(args.str("split")), images > 0 ? images : -1);
  const ModelLandscape land(*model, data);

  if (args.on("time-step")) {
    time_one_step(land, weights, pairs.front(), params);
    return 0;
  }

  PathTable table(args.str("out"), settings_text(args, params, data));
  const std::size_t P = land.dimension();
  std::size_t done = 0, skipped = 0;
  Progress progress;
  for (const PathPair& pair : pairs) {
    if (table.has(pair)) {
      ++skipped;
      continue;
    }
    PathParams p = params;
    p.noise_seed = pair_seed(seed, pair);
    const auto start = Clock::now();
    FourierPathFinder finder(land, {weights.row(pair.i), P}, {weights.row(pair.j), P}, p);
    PathResult r;
    try {
      r = finder.run();
    } catch (const Error& e) {  // the finder knows its step, not which pair it was given
      throw Error("pair " + std::to_string(pair.i) + "-" + std::to_string(pair.j) + ": " +
                  e.what());
    }
    table.add(pair, r);
    ++done;
    char line[200];
    std::snprintf(line, sizeof line, "path %zu/%zu (%lld-%lld): H_linear %.6g -> H %.6g, %s",
                  done + skipped, pairs.size(), (long long)pair.i, (long long)pair.j, r.H_linear,
                  r.H, format_duration(seconds_since(start)).c_str());
    progress.update(line, true);
  }
  progress.finish();
  std::fprintf(stderr, "path: %zu pairs computed, %zu already in %s/paths.csv\n", done, skipped,
               args.str("out").c_str());
  return 0;
}

}  // namespace landscape
