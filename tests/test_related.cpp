// The related studies of docs/algorithms.md §11-§12: simulated annealing on a 1-D function with two
// minima, the walk's segment measurements against direct computation, the spread's statistics
// and its table, the walk and spread commands, and a miniature `related` preset with its report.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "experiments/related/minima_spread.hpp"
#include "experiments/related/minima_spread_files.hpp"
#include "experiments/related/sgd_walk.hpp"
#include "experiments/related/sgd_walk_files.hpp"
#include "experiments/support/preset.hpp"
#include "io/csv.hpp"
#include "landscape/model_landscape.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"
#include "models/one_hidden_layer_moves.hpp"
#include "optim/simulated_annealing.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using testing::binary;
using testing::have_mnist;
using testing::mnist_dir;
using testing::read_file;
using testing::run_capture;

// ---------------------------------------------------------------------------------------------
// Simulated annealing

// f(x) = x^4 - 3x^2 + x: a local minimum near x = 1.1309 (f = -1.07) and the global one near
// x = -1.3008 (f = -3.51), a barrier near x = 0.1699 (f = 0.08) between them.
struct TwoWells {
  std::size_t dimension() const { return 1; }
  double evaluate(const Scalar* x, Scalar* grad) const {
    const double v = x[0];
    if (grad) grad[0] = Scalar(4 * v * v * v - 6 * v + 1);
    return v * v * v * v - 3 * v * v + v;
  }
};
constexpr double kGlobalMin = -1.30084, kLocalMin = 1.13090;

TEST(SimulatedAnnealing, TemperatureFallsGeometricallyFromStartToEnd) {
  AnnealParams p;
  p.steps = 11, p.t_start = 2, p.t_end = 2e-3;
  EXPECT_DOUBLE_EQ(anneal_temperature(p, 0), 2);
  EXPECT_NEAR(anneal_temperature(p, 10), 2e-3, 1e-15);
  for (long k = 1; k < 10; ++k)  // equal ratios: T_{k+1} / T_k = (T_K / T_0)^(1/(K-1))
    EXPECT_NEAR(anneal_temperature(p, k + 1) / anneal_temperature(p, k), std::pow(1e-3, 0.1), 1e-12);
}

TEST(SimulatedAnnealing, MetropolisTakesDownhillAlwaysAndUphillWithBoltzmannProbability) {
  EXPECT_TRUE(metropolis_accept(-5, 1e-9, 0.999999));
  EXPECT_TRUE(metropolis_accept(0, 1, 0.999999));
  EXPECT_TRUE(metropolis_accept(1, 1, std::exp(-1.0) - 1e-12));
  EXPECT_FALSE(metropolis_accept(1, 1, std::exp(-1.0) + 1e-12));
}

TEST(SimulatedAnnealing, FindsTheGlobalMinimumFromTheWrongBasin) {
  for (uint64_t seed = 0; seed < 10; ++seed) {
    AnnealParams p;
    p.steps = 3000, p.t_start = 2, p.t_end = 1e-3, p.sigma = 0.5, p.seed = seed;
    Scalar x[1] = {Scalar(kLocalMin)};
    const AnnealResult r = SimulatedAnnealing(p).minimize(TwoWells{}, x);
    EXPECT_NEAR(x[0], kGlobalMin, 0.05) << "seed " << seed;
    EXPECT_NEAR(r.best_loss, TwoWells{}.evaluate(x, nullptr), 1e-12);
    EXPECT_LT(r.best_loss, -3.4) << "seed " << seed;
    EXPECT_GT(r.accepted, 0);
  }
}

TEST(SimulatedAnnealing, ColdWalkStaysInTheWrongBasin) {
  // The control: at a temperature too low to climb the barrier the walk is a random descent
  // and never leaves the local minimum, so the test above measures the annealing.
  AnnealParams p;
  p.steps = 3000, p.t_start = 1e-6, p.t_end = 1e-7, p.sigma = 0.05;
  Scalar x[1] = {Scalar(kLocalMin)};
  SimulatedAnnealing(p).minimize(TwoWells{}, x);
  EXPECT_NEAR(x[0], kLocalMin, 0.05);
}

TEST(SimulatedAnnealing, SameSeedSameWalk) {
  AnnealParams p;
  p.steps = 500, p.t_start = 2, p.t_end = 1e-3, p.sigma = 0.5, p.seed = 3;
  Scalar a[1] = {1}, b[1] = {1};
  const AnnealResult ra = SimulatedAnnealing(p).minimize(TwoWells{}, a);
  const AnnealResult rb = SimulatedAnnealing(p).minimize(TwoWells{}, b);
  EXPECT_EQ(a[0], b[0]);
  EXPECT_EQ(ra.accepted, rb.accepted);
}

TEST(SimulatedAnnealing, ParametersNameTheirFlags) {
  AnnealParams p;
  p.t_end = 1;  // above t_start
  try {
    p.check();
    ADD_FAILURE() << "t_end > t_start accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--t-end"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------
// The walk

Dataset synthetic(int n, unsigned seed) {
  Dataset d;
  d.images = testing::random_tensor({n, kImagePixels}, seed, 0, 1);
  for (int i = 0; i < n; ++i) d.labels.push_back(int((i * 7 + seed) % 10));
  return d;
}

double distance(const std::vector<Scalar>& a, const std::vector<Scalar>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (double(a[i]) - double(b[i])) * (double(a[i]) - double(b[i]));
  return std::sqrt(s);
}

TEST(Walk, SegmentFloorIsTheFirstLowestPoint) {
  const SegmentFloor f = segment_floor({3, 1, 2, 1, 4});
  EXPECT_EQ(f.index, 1);
  EXPECT_DOUBLE_EQ(f.alpha, 0.25);
  EXPECT_EQ(f.loss, 1);
  EXPECT_EQ(segment_floor({0.5, 2}).alpha, 0);
  EXPECT_EQ(segment_floor({2, 0.5}).alpha, 1);
}

TEST(Walk, SegmentEndsAreTheIteratesBitForBit) {
  auto model = make_model("fcp");
  const Dataset data = synthetic(40, 1);
  const std::vector<Scalar> a = init_weights(*model, 1), b = init_weights(*model, 2);
  const std::vector<double> prof = segment_losses(*model, data, a.data(), b.data(), 7);
  ASSERT_EQ(prof.size(), 7u);
  EXPECT_EQ(prof.front(), dataset_loss(*model, data, a.data(), nullptr).loss);
  EXPECT_EQ(prof.back(), dataset_loss(*model, data, b.data(), nullptr).loss);
  // The midpoint is the average of the two weight vectors.
  std::vector<Scalar> mid(a.size());
  for (size_t i = 0; i < a.size(); ++i) mid[i] = Scalar(0.5 * double(a[i]) + 0.5 * double(b[i]));
  EXPECT_EQ(prof[3], dataset_loss(*model, data, mid.data(), nullptr).loss);
}

TEST(Walk, EveryMeasureEqualsItsDirectComputation) {
  auto model = make_model("fcp");
  const Dataset train = synthetic(120, 2), test = synthetic(30, 3), eval = train.first(50);
  TrainConfig tc;
  tc.epochs = 2, tc.batch = 40, tc.sgd.lr = 0.5;
  WalkParams wp;
  wp.points = 9;
  const std::vector<Scalar> w0 = init_weights(*model, 5);
  const WalkResult walk = walk_sgd(*model, train, test, eval, tc, wp, 5, w0);
  ASSERT_EQ(walk.steps.size(), 6u);  // 2 epochs x 3 batches

  // The same run again, keeping every iterate and mini-batch through the step hook.
  std::vector<std::vector<Scalar>> iterates = {w0};
  std::vector<Dataset> batches;
  train_run(*model, train, test, tc, 5, w0, nullptr, [&](const SgdStepView& v) {
    const size_t P = model->num_params();
    EXPECT_TRUE(std::equal(v.w_before, v.w_before + P, iterates.back().begin())) << "step " << v.step;
    // The hook shows the step SGD took: w_after = w_before - lr * (gradient on this batch).
    std::vector<Scalar> g(P);
    dataset_loss(*model, *v.batch, v.w_before, g.data());
    for (size_t i = 0; i < P; i += 997)
      ASSERT_EQ(v.w_after[i], Scalar(v.w_before[i] + Scalar(-tc.sgd.lr) * g[i])) << "component " << i;
    iterates.emplace_back(v.w_after, v.w_after + P);
    batches.push_back(v.batch->first(v.batch->size()));  // a deep copy: SGD refills its batch
  });
  ASSERT_EQ(iterates.size(), 7u);
  for (size_t t = 0; t < walk.steps.size(); ++t) {
    const WalkStep& s = walk.steps[t];
    const std::vector<Scalar>&a = iterates[t], &b = iterates[t + 1];
    EXPECT_EQ(s.step, long(t));
    EXPECT_EQ(s.eval_loss.front(), dataset_loss(*model, eval, a.data(), nullptr).loss);
    EXPECT_EQ(s.eval_loss.back(), dataset_loss(*model, eval, b.data(), nullptr).loss);
    EXPECT_EQ(s.batch_loss.front(), dataset_loss(*model, batches[t], a.data(), nullptr).loss);
    EXPECT_EQ(s.batch_loss.back(), dataset_loss(*model, batches[t], b.data(), nullptr).loss);
    for (const auto* profile : {&s.eval_loss, &s.batch_loss}) {
      const SegmentFloor f = segment_floor(*profile);
      EXPECT_GE(f.alpha, 0);
      EXPECT_LE(f.alpha, 1);
      EXPECT_LE(f.loss, profile->front());
      EXPECT_LE(f.loss, profile->back());
    }
    EXPECT_NEAR(s.step_norm, distance(a, b), 1e-12 * (1 + s.step_norm));
    EXPECT_NEAR(s.distance_from_init, distance(b, w0), 1e-12 * (1 + s.distance_from_init));
    if (t == 0) {
      EXPECT_TRUE(std::isnan(s.cosine_previous));
    } else {
      const std::vector<Scalar>& before = iterates[t - 1];
      double dot = 0;
      for (size_t i = 0; i < a.size(); ++i)
        dot += (double(b[i]) - double(a[i])) * (double(a[i]) - double(before[i]));
      // previous_step is stored in Scalar: float32 rounds it to 7 digits.
      EXPECT_NEAR(s.cosine_previous, dot / (distance(a, b) * distance(before, a)),
                  testing::kFloat64 ? 1e-10 : 1e-5);
    }
  }
}

TEST(Walk, EveryKthStepIsRecorded) {
  auto model = make_model("fcp");
  const Dataset train = synthetic(100, 4), test = synthetic(20, 5);
  TrainConfig tc;
  tc.epochs = 1, tc.batch = 10, tc.sgd.lr = 0.1;
  WalkParams wp;
  wp.every = 4, wp.points = 3;
  const WalkResult walk = walk_sgd(*model, train, test, train.first(10), tc, wp, 0, init_weights(*model, 0));
  ASSERT_EQ(walk.steps.size(), 3u);  // steps 0, 4, 8 of 10
  EXPECT_EQ(walk.steps[2].step, 8);
  EXPECT_TRUE(std::isfinite(walk.steps[1].cosine_previous));  // step 3 was seen, unrecorded
}

// ---------------------------------------------------------------------------------------------
// The spread

TEST(Spread, StatisticsMatchHandComputedValues) {
  EXPECT_DOUBLE_EQ(interquartile_range({4, 1, 3, 2}), 1.5);  // numpy: 3.25 - 1.75
  EXPECT_DOUBLE_EQ(interquartile_range({1, 2, 3, 4, 5}), 2);
  EXPECT_DOUBLE_EQ(interquartile_range({7}), 0);
  EXPECT_DOUBLE_EQ(sample_std({2, 4, 4, 4, 5, 5, 7, 9}), std::sqrt(32.0 / 7));
  EXPECT_NEAR(pearson_correlation({1, 2, 3, 4}, {2, 4, 6, 8.5}), 10.75 / std::sqrt(5 * 23.1875), 1e-15);
  EXPECT_DOUBLE_EQ(pearson_correlation({1, 2, 3}, {3, 2, 1}), -1);
  EXPECT_TRUE(std::isnan(pearson_correlation({1, 2}, {1, 2})));        // fewer than 3
  EXPECT_TRUE(std::isnan(pearson_correlation({1, 1, 1}, {1, 2, 3})));  // no variance
}

TEST(Spread, OneHiddenLayerModelHasTheWidthsParameters) {
  EXPECT_EQ(make_one_hidden_layer(10, 0)->num_params(), 10u * 784 + 10 * 10);
  EXPECT_EQ(make_one_hidden_layer(25, 1)->num_params(), 25u * 196 + 25 * 10);
  EXPECT_EQ(make_one_hidden_layer(50, 2)->num_params(), 50u * 49 + 50 * 10);
  const double error =
      testing::gradient_check_error({testing::random_tensor({6, 49}, 1), testing::random_tensor({10, 6}, 2)},
                                    [](Graph& g, const std::vector<Var>& p) {
                                      auto model = make_one_hidden_layer(6, 2);
                                      Dataset d = synthetic(3, 9);
                                      Var x = g.constant(d.images);
                                      return model->loss(g, model->forward(g, p, x), x, d.labels);
                                    });
  if (testing::kFloat64) {
    EXPECT_LT(error, 1e-6);
  }
}

TEST(Spread, OneRowPerOptimizerWidthAndRestart) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  SpreadConfig c;
  c.widths = {3, 6};
  c.restarts = 3;
  c.optimizers = {SpreadOptimizer::Sgd, SpreadOptimizer::Anneal};
  c.pools = 2;
  c.epochs = 1;
  c.batch = 50;
  c.anneal_sweeps = 5;
  c.train_images = 200;
  c.test_images = 100;
  c.seed = 4;
  c.data_dir = mnist_dir();
  const std::vector<SpreadRun> runs = run_spread(c);
  ASSERT_EQ(runs.size(), 12u);
  size_t k = 0;
  for (const char* o : {"sgd", "anneal"})
    for (int w : {3, 6})
      for (int r = 0; r < 3; ++r, ++k) {
        EXPECT_EQ(runs[k].optimizer, o);
        EXPECT_EQ(runs[k].width, w);
        EXPECT_EQ(runs[k].restart, r);
        EXPECT_EQ(runs[k].seed, 4u + r);
        EXPECT_TRUE(std::isfinite(runs[k].test_loss)) << o << " " << w << " " << r;
        // unit moves: every unit is proposed a change anneal_sweeps times
        EXPECT_EQ(runs[k].proposals, std::string(o) == "anneal" ? 5L * w : 0L);
      }
  const std::vector<SpreadSummary> s = summarise_spread(runs);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[3].optimizer, "anneal");
  EXPECT_EQ(s[3].width, 6);
  EXPECT_EQ(s[3].restarts, 3);
  EXPECT_LE(s[3].test_min, s[3].test_mean);
  EXPECT_LE(s[3].test_mean, s[3].test_max);
}

SpreadSummary summary_row(const char* optimizer, int width, double std, double iqr, double lo, double hi,
                          double r) {
  SpreadSummary s;
  s.optimizer = optimizer;
  s.width = width;
  s.restarts = 8;
  s.test_std = std, s.test_iqr = iqr, s.test_min = lo, s.test_max = hi, s.correlation = r;
  s.train_mean = std::string(optimizer) == "sgd" ? 0.1 : 0.3;
  return s;
}

TEST(Spread, FindingsFollowTheSummarysNumbers) {
  // SGD narrows (std and IQR both fall) and decorrelates; annealing's IQR grows, so it does not
  // narrow; at width 20 the two ranges are apart.
  const std::vector<SpreadSummary> s = {summary_row("sgd", 5, 0.04, 0.05, 0.60, 0.75, 0.9),
                                        summary_row("sgd", 20, 0.01, 0.02, 0.45, 0.50, 0.2),
                                        summary_row("anneal", 5, 0.05, 0.02, 0.70, 0.80, 0.5),
                                        summary_row("anneal", 20, 0.03, 0.04, 0.55, 0.60, 0.7)};
  const std::vector<SpreadFinding> f = check_spread_findings(s);
  ASSERT_EQ(f.size(), 5u);
  EXPECT_NE(f[0].claim.find("sgd: the spread"), std::string::npos) << f[0].claim;
  EXPECT_TRUE(f[0].holds) << f[0].evidence;
  EXPECT_NE(f[0].evidence.find("std 0.04 (W = 5) -> 0.01 (W = 20)"), std::string::npos) << f[0].evidence;
  EXPECT_FALSE(f[1].holds) << f[1].evidence;  // annealing: IQR 0.02 -> 0.04
  EXPECT_FALSE(f[2].holds) << f[2].evidence;  // the same band: apart at W = 20
  EXPECT_NE(f[2].evidence.find("W = 5: annealing 0.7..0.8, SGD 0.6..0.75;"), std::string::npos)
      << f[2].evidence;
  EXPECT_NE(f[2].evidence.find("W = 20: annealing 0.55..0.6, SGD 0.45..0.5 (apart: annealing higher, "
                               "training loss 0.3 vs SGD's 0.1)"),
            std::string::npos)
      << f[2].evidence;
  EXPECT_TRUE(f[3].holds);   // sgd: r 0.9 -> 0.2
  EXPECT_FALSE(f[4].holds);  // anneal: r 0.5 -> 0.7
  // Overlapping ranges everywhere: the same band.
  std::vector<SpreadSummary> t = s;
  t[3].test_min = 0.48;
  EXPECT_TRUE(check_spread_findings(t)[2].holds);
  // One width and one optimizer: nothing to compare.
  EXPECT_TRUE(check_spread_findings({s[0]}).empty());
}

// ---------------------------------------------------------------------------------------------
// Annealing by unit moves (models/one_hidden_layer_moves.hpp)

TEST(UnitMoves, BlocksAreEachUnitsIncomingAndOutgoingWeights) {
  const int W = 4;
  auto model = make_one_hidden_layer(W, 2);
  const auto blocks = one_hidden_layer_unit_blocks(W, 2);
  ASSERT_EQ(blocks.size(), size_t(W));
  std::vector<int> seen(model->num_params(), 0);
  const size_t fc2 = model->layout()[1].offset;
  for (int j = 0; j < W; ++j) {
    ASSERT_EQ(blocks[size_t(j)].size(), 49u + 10u);
    EXPECT_EQ(blocks[size_t(j)][0], long(j) * 49);            // fc1.weight[j, 0]
    EXPECT_EQ(blocks[size_t(j)][49], long(fc2) + j);          // fc2.weight[0, j]
    EXPECT_EQ(blocks[size_t(j)][58], long(fc2) + 9 * W + j);  // fc2.weight[9, j]
    for (long i : blocks[size_t(j)]) ++seen[size_t(i)];
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), long(seen.size()));  // a partition
}

// Every priced move equals the model's own loss at the moved point, through a walk of accepted
// and rejected moves (the incremental logits are checked against a full forward each time).
TEST(UnitMoves, PriceEveryMoveAsTheFullModelDoes) {
  const int W = 5;
  auto model = make_one_hidden_layer(W, 2);
  const Dataset data = synthetic(64, 11);
  std::vector<Scalar> w = init_weights(*model, 3);
  OneHiddenLayerMoves moves(W, 2, Activation::Softplus, data, w.data());
  const double tol = testing::kFloat64 ? 1e-12 : 2e-5;
  EXPECT_NEAR(moves.value(), dataset_loss(*model, data, w.data(), nullptr).loss, tol);
  Rng rng(7);
  for (int k = 0; k < 40; ++k) {
    const int unit = int(rng.below(W));
    std::vector<Scalar> d(59), moved = w;
    for (size_t i = 0; i < d.size(); ++i) d[i] = Scalar(0.3 * rng.normal());
    for (size_t i = 0; i < d.size(); ++i) moved[size_t(moves.block(unit)[i])] += d[i];
    const double priced = moves.try_move(unit, d.data());
    EXPECT_NEAR(priced, dataset_loss(*model, data, moved.data(), nullptr).loss, tol) << "move " << k;
    if (k % 3 != 2) {
      moves.accept();
      w = moved;
    }
    EXPECT_EQ(std::vector<Scalar>(moves.point(), moves.point() + w.size()), w) << "move " << k;
    EXPECT_NEAR(moves.value(), dataset_loss(*model, data, w.data(), nullptr).loss, tol) << "move " << k;
  }
}

// The fast evaluator against its plain twin (every move a full forward of the model): the same
// annealing walk, the same acceptances, the same best point.
TEST(UnitMoves, SameWalkAsTheFullEvaluationTwin) {
  const int W = 3;
  auto model = make_one_hidden_layer(W, 2);
  const Dataset data = synthetic(50, 12);
  const std::vector<Scalar> w0 = init_weights(*model, 5);
  AnnealParams p;
  p.steps = 300;
  p.t_start = 1e-2;
  p.t_end = 1e-4;
  p.sigma = 0.05;
  p.seed = 9;
  std::vector<Scalar> fast(w0.size()), plain(w0.size());
  OneHiddenLayerMoves unit_moves(W, 2, Activation::Softplus, data, w0.data());
  const AnnealResult a = SimulatedAnnealing(p).minimize_by_blocks(unit_moves, fast.data());
  const ModelLandscape f(*model, data);
  FullEvaluationMoves full_moves(f, w0.data(), one_hidden_layer_unit_blocks(W, 2));
  const AnnealResult b = SimulatedAnnealing(p).minimize_by_blocks(full_moves, plain.data());
  EXPECT_EQ(a.accepted, b.accepted);
  EXPECT_GT(a.accepted, 30);                                                           // the walk moved
  EXPECT_LT(a.best_loss, dataset_loss(*model, data, w0.data(), nullptr).loss - 0.01);  // and descended
  EXPECT_NEAR(a.best_loss, b.best_loss, testing::kFloat64 ? 1e-12 : 2e-5);
  EXPECT_LT(distance(fast, plain), testing::kFloat64 ? 1e-12 : 1e-4);
  EXPECT_NEAR(dataset_loss(*model, data, fast.data(), nullptr).loss, a.best_loss,
              testing::kFloat64 ? 1e-12 : 2e-5);
}

// ---------------------------------------------------------------------------------------------
// Commands and the related preset (real binary, MNIST)

std::vector<std::string> with_data(std::vector<std::string> argv) {
  setenv("LANDSCAPE_DATA", mnist_dir().c_str(), 0);
  argv.insert(argv.begin(), binary());
  argv.insert(argv.end(), {"--threads", "2"});
  return argv;
}

size_t lines(const std::string& text) { return size_t(std::count(text.begin(), text.end(), '\n')); }

TEST(Commands, WalkSweepWritesEveryRunAndItsFigures) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string out = testing::temp_dir();
  const auto r = run_capture(with_data(
      {"walk", "--arch",         "fcp", "--lr",          "0.1,0.05", "--batch",       "50,100", "--epochs",
       "1",    "--train-images", "200", "--test-images", "100",      "--eval-images", "100",    "--points",
       "5",    "--every",        "2",   "--out",         out}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(lines(read_file(out + "/summary.csv")), 5u);                      // header + 2 x 2 runs
  EXPECT_EQ(lines(read_file(out + "/lr0.05-batch50/steps.csv")), 3u);         // steps 0 and 2 of 4
  EXPECT_EQ(lines(read_file(out + "/lr0.1-batch100/segments.csv")), 1u + 5);  // step 0 of 2
  for (const char* f :
       {"walk_valley.png", "walk_story.png", "walk_story.svg", "walk_valley.dat", "manifest.json"})
    EXPECT_TRUE(fs::exists(out + "/" + f)) << f;
  const auto bad = run_capture(with_data({"walk", "--arch", "fcp", "--lr", "0.1,x", "--out", out}));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--lr"), std::string::npos) << bad.err;
}

// Each file's columns come from one Table; these are the names the reports and readers use.
TEST(Commands, WalkAndSpreadFilesHaveTheirTablesColumns) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  EXPECT_EQ(walk_steps_table().header(),
            "epoch,step,step_norm,distance_from_init,cosine_previous,batch_start,batch_end,"
            "batch_floor_alpha,batch_floor_loss,eval_start,eval_end,eval_floor_alpha,eval_floor_loss,"
            "height_start,height_end");
  EXPECT_EQ(walk_summary_table().header(),
            "lr,batch,name,steps,height,floor_alpha,interior,cosine,distance,train_loss,test_loss");
  EXPECT_EQ(spread_runs_table().header(),
            "optimizer,width,restart,seed,params,train_loss,test_loss,test_accuracy,proposals,acceptance,"
            "seconds,status");
  EXPECT_EQ(spread_summary_table().header(),
            "optimizer,width,restarts,params,test_mean,test_std,test_iqr,test_min,test_max,train_mean,"
            "train_std,train_test_corr,seconds");
  const std::string out = testing::temp_dir();
  ASSERT_EQ(run_capture(with_data({"walk", "--arch", "fcp", "--lr", "0.1", "--batch", "100", "--epochs", "1",
                                   "--train-images", "200", "--test-images", "100", "--eval-images", "50",
                                   "--points", "3", "--out", out + "/walk"}))
                .status,
            0);
  ASSERT_EQ(run_capture(with_data({"spread", "--widths", "2", "--restarts", "1", "--optimizer", "anneal",
                                   "--anneal-sweeps", "2", "--pool", "2", "--images", "100", "--test-images",
                                   "100", "--out", out + "/spread"}))
                .status,
            0);
  auto first_line = [](const std::string& file) {
    return read_file(file).substr(0, read_file(file).find('\n'));
  };
  EXPECT_EQ(first_line(out + "/walk/lr0.1-batch100/steps.csv"), walk_steps_table().header());
  EXPECT_EQ(first_line(out + "/walk/lr0.1-batch100/segments.csv"), walk_segments_table().header());
  EXPECT_EQ(first_line(out + "/walk/lr0.1-batch100/curve.csv"), walk_curve_table().header());
  EXPECT_EQ(first_line(out + "/walk/summary.csv"), walk_summary_table().header());
  EXPECT_EQ(first_line(out + "/spread/spread.csv"), spread_runs_table().header());
  EXPECT_EQ(first_line(out + "/spread/summary.csv"), spread_summary_table().header());
  // a row has as many cells as the header
  const CsvTable steps = read_csv(out + "/walk/lr0.1-batch100/steps.csv");
  ASSERT_EQ(steps.rows.size(), 2u);
  EXPECT_EQ(steps.rows[0].size(), steps.header.size());
}

TEST(Commands, SpreadWritesOneRowPerWidthAndRestart) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string out = testing::temp_dir();
  const auto r = run_capture(
      with_data({"spread", "--widths", "2,4,8", "--restarts", "3", "--optimizer", "anneal", "--anneal-sweeps",
                 "4", "--pool", "2", "--images", "100", "--test-images", "100", "--out", out}));
  ASSERT_EQ(r.status, 0) << r.err;
  const CsvTable rows = read_csv(out + "/spread.csv");
  EXPECT_EQ(rows.rows.size(), 9u);
  EXPECT_EQ(rows.number(8, "proposals"), 4 * 8);  // width 8, unit moves
  // The first pass's proposals of every weight at once: one proposal per sweep.
  const auto full =
      run_capture(with_data({"spread", "--widths", "3", "--restarts", "1", "--optimizer", "anneal",
                             "--anneal-moves", "full", "--anneal-sweeps", "6", "--pool", "2", "--images",
                             "100", "--test-images", "100", "--out", out + "/full"}));
  ASSERT_EQ(full.status, 0) << full.err;
  EXPECT_EQ(read_csv(out + "/full/spread.csv").number(0, "proposals"), 6);
  // The budget is per unit now: the old total-proposals flag is refused, not reinterpreted.
  const auto old = run_capture(with_data({"spread", "--anneal-steps", "100", "--out", out + "/old"}));
  EXPECT_EQ(old.status, 2);
  EXPECT_NE(old.err.find("--anneal-steps"), std::string::npos) << old.err;
  EXPECT_EQ(read_csv(out + "/summary.csv").rows.size(), 3u);
  for (const char* f : {"spread_hist.png", "spread_width.png", "spread_width.svg", "manifest.json"})
    EXPECT_TRUE(fs::exists(out + "/" + f)) << f;
  const auto bad = run_capture(with_data({"spread", "--optimizer", "adam", "--out", out}));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--optimizer"), std::string::npos) << bad.err;
}

TEST(RelatedPreset, KeysAreCheckedAndThePaperStudyDoesNotMix) {
  const Preset p =
      parse_preset("r.conf", "studies = walk, spread\nwalk_lr = 0.1, 0.05\nspread_widths = 3, 7\n");
  EXPECT_TRUE(p.is_related());
  EXPECT_TRUE(p.runs("spread"));
  EXPECT_FALSE(p.runs("surface"));
  EXPECT_EQ(p.related.walk.lrs, (std::vector<double>{0.1, 0.05}));
  EXPECT_EQ(p.related.spread.widths, (std::vector<int>{3, 7}));
  EXPECT_FALSE(parse_preset("q.conf", "seed = 1\n").is_related());
  for (const char* bad : {"studies = paper, walk\n", "studies = walk, dance\n", "spread_optimizers = adam\n",
                          "walk_batch = 16, x\n"}) {
    try {
      parse_preset("bad.conf", bad);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("bad.conf:1"), std::string::npos) << e.what();
    }
  }
}

TEST(RelatedPreset, MiniatureRunWritesItsReportSections) {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found in " << mnist_dir() << " (make data)";
  const std::string dir = testing::temp_dir();
  // presets/related.conf in miniature: the same keys, tiny sizes.
  std::string preset = read_file(testing::source_dir() + "/presets/related.conf");
  ASSERT_FALSE(preset.empty());
  preset +=
      "\n# miniature\ntrain_images = 200\ntest_images = 100\nwalk_batch = 50\nwalk_lr = 0.1\n"
      "walk_epochs = 1\nwalk_eval_images = 50\nwalk_points = 5\nspread_widths = 2, 4\n"
      "spread_restarts = 2\nspread_epochs = 1\nspread_batch = 50\nspread_anneal_sweeps = 3\n"
      "brief_epochs = 1\nsurface_grid = 3\nsurface_images = 50\nhessian_images = 50\n"
      "hessian_iterations = 4\nhessian_probes = 1\n";
  std::ofstream(dir + "/mini-related.conf") << preset;
  const std::string out = dir + "/out";
  const auto r = run_capture(with_data({"reproduce", "--config", dir + "/mini-related.conf", "--out", out}));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string md = read_file(out + "/report/report.md"), html = read_file(out + "/report/index.html");
  for (const char* heading : {"A walk with SGD", "Minima spread with network size",
                              "Loss surface around a solution", "Hessian spectrum"}) {
    EXPECT_NE(md.find(heading), std::string::npos) << heading;
    EXPECT_NE(html.find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(md.find("SGD and simulated annealing reach the same band"), std::string::npos);
  for (const char* fig : {"walk_valley", "walk_story", "spread_hist", "spread_width", "surface", "density"}) {
    EXPECT_TRUE(fs::exists(out + "/report/" + std::string(fig) + ".png")) << fig;
    EXPECT_NE(html.find(std::string("<img src=\"") + fig + ".png\""), std::string::npos) << fig;
  }
  EXPECT_TRUE(fs::exists(out + "/manifest.json"));
  EXPECT_TRUE(fs::exists(out + "/brief/w_final.npy"));
  EXPECT_NE(read_file(out + "/hessian/spectrum.csv").find("lambda_max"), std::string::npos);
  // A rerun finds every study finished and only rewrites the report.
  const auto again =
      run_capture(with_data({"reproduce", "--config", dir + "/mini-related.conf", "--out", out}));
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(again.err.find("A walk with SGD"), std::string::npos) << again.err;
  // The paper's stages do not apply.
  const auto bad = run_capture(
      with_data({"reproduce", "--config", dir + "/mini-related.conf", "--out", out, "--stage", "paths"}));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--stage"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace landscape
