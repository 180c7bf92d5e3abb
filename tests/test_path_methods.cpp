// The path methods behind `landscape path --method` (landscape/paths/path_method.hpp): nudged elastic
// band with a climbing image (AutoNEB), the Bezier curve and the polygonal chain of Garipov et
// al., FourierPathFinder, and the refinement of a path's highest point to its saddle.
// On the 2-D surfaces the true barriers are known exactly: Figure 3's lowest saddle 0.62439
// (docs/algorithms.md §6), and Mueller-Brown's path from minimum A to minimum B, which must cross
// the saddle near (-0.822, 0.624) at -40.66 (then the intermediate minimum (-0.050, 0.467) and
// the lower saddle (0.212, 0.293) at -72.25). On a trained network's landscape (the paper's
// published LSTM weights, 128 images) every method must keep its ends, stay finite and not be
// higher than the straight line.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "experiments/paths/path_comparison.hpp"
#include "experiments/paths/path_table.hpp"
#include "io/mnist.hpp"
#include "landscape/analytic_landscapes.hpp"
#include "landscape/counting_landscape.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/paths/bezier_curve.hpp"
#include "landscape/paths/nudged_elastic_band.hpp"
#include "landscape/paths/path_method.hpp"
#include "landscape/paths/polygonal_chain.hpp"
#include "landscape/paths/saddle_refinement.hpp"
#include "models/weights_file.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using Vec = std::vector<Scalar>;

constexpr double kMbSaddleHigh = -40.66;  // near (-0.822, 0.624): the barrier from A to B
constexpr double kMbSaddleLow = -72.25;   // near (0.212, 0.293)

Vec fig3_start() { return {Scalar(Figure3Landscape::kStart[0]), Scalar(Figure3Landscape::kStart[1])}; }
Vec fig3_end() { return {Scalar(Figure3Landscape::kEnd[0]), Scalar(Figure3Landscape::kEnd[1])}; }
Vec mb_start() { return {Scalar(-0.558), Scalar(1.442)}; }
Vec mb_end() { return {Scalar(0.623), Scalar(0.028)}; }

// Settings for the 2-D surfaces: coordinates of order 1, so steps of 0.01.
PathMethodParams surface_params() {
  return {.fourier = {.terms = 10, .points = 51, .lambda = 1, .lr = 0.01, .steps = 400},
          .neb = {.lr = 0.01, .steps = 400, .cycle_steps = 40},
          .curve = {.lr = 0.01, .steps = 1500, .samples = 2, .points = 51}};
}

RefineParams surface_refine() { return {.steps = 400, .lr = 0.01}; }

void expect_ends_kept(const FoundPath& path, const Vec& a, const Vec& b, const std::string& what) {
  const std::size_t P = a.size(), K = path.size();
  ASSERT_EQ(path.points.size(), K * P) << what;
  for (std::size_t p = 0; p < P; ++p) {
    EXPECT_EQ(path.points[p], a[p]) << what << ": start moved, component " << p;
    EXPECT_EQ(path.points[(K - 1) * P + p], b[p]) << what << ": end moved, component " << p;
  }
  EXPECT_EQ(path.result.t.front(), 0.0) << what;
  EXPECT_EQ(path.result.t.back(), 1.0) << what;
}

// --- parameters and the pieces ---------------------------------------------------------------

TEST(PathMethods, NamesAndChecksNameTheFlag) {
  for (PathMethod m : kPathMethods) EXPECT_EQ(parse_path_method(to_string(m)), m);
  // The UsageError's message names the flag ("" when none is thrown: no flag found either).
  auto names = [](auto&& f, const std::string& flag) {
    return testing::usage_error_of(f).find(flag) != std::string::npos;
  };
  EXPECT_TRUE(names([] { parse_path_method("string"); }, "--method"));
  EXPECT_TRUE(names([] { NebParams{.images = 2}.check(); }, "--neb-images"));
  EXPECT_TRUE(names([] { NebParams{.max_images = 4}.check(); }, "--neb-max-images"));
  EXPECT_TRUE(names([] { NebParams{.spring = -1}.check(); }, "--neb-spring"));
  EXPECT_TRUE(names([] { CurveParams{.samples = 0}.check(); }, "--curve-samples"));
  EXPECT_TRUE(names([] { CurveParams{.lr = 0}.check(); }, "--lr"));
  EXPECT_TRUE(names([] { RefineParams{.images = 2}.check(); }, "--refine-images"));
}

// The settings a path run is checked against when it resumes (path_run.hpp, docs/algorithms.md
// §17): "key=value" from the tables, and the "key value" texts earlier versions wrote, which
// still resume.
TEST(PathRunSettingsText, FromTheTablesAndTheTextsEarlierVersionsWroteResume) {
  const auto same = [](const std::string& older, const Settings& now) {
    return settings_differences(older, now);
  };
  PathRunSettings fourier;
  fourier.params.fourier.terms = 3;
  fourier.params.fourier.points = 7;
  fourier.params.fourier.steps = 5;
  Settings land;
  land.add("arch", "fcp");
  EXPECT_EQ(path_run_settings(land, fourier).text(),
            "arch=fcp\nmethod=fourier\nterms=3\npoints=7\nlambda=1e-04\nlr=0.001\nsteps=5\n"
            "point_loss=plain\ngrad_noise=0\nselect=min-loss-sum\n");
  EXPECT_EQ(same("arch fcp\nterms 3\npoints 7\nlambda 0.0001\nlr 0.001\nsteps 5\npoint-loss plain\n"
                 "grad-noise 0\nselect min-loss-sum\n",
                 path_run_settings(land, fourier)),
            "");
  fourier.params.fourier.grad_noise = 0.1;
  fourier.seed = 5;
  EXPECT_EQ(same("terms 3\npoints 7\nlambda 0.0001\nlr 0.001\nsteps 5\npoint-loss plain\n"
                 "grad-noise 0.10000000000000001\nselect min-loss-sum\nseed 5\n",
                 path_run_settings({}, fourier)),
            "");
  // stochastic steps (§5.7): their batch lines, and the seed their batches draw from
  fourier.params.fourier.grad_noise = 0;
  fourier.params.fourier.batch = 500;
  fourier.params.fourier.eval_every = 20;
  const std::string batched =
      "terms 3\npoints 7\nlambda 0.0001\nlr 0.001\nsteps 5\npoint-loss plain\n"
      "grad-noise 0\nselect min-loss-sum\nbatch 500\neval-every 20\nseed 5\n";
  EXPECT_EQ(same(batched, path_run_settings({}, fourier)), "");
  fourier.params.fourier.batch = 400;
  EXPECT_EQ(same(batched, path_run_settings({}, fourier)), "\n  batch: here 400, there 500");
  PathRunSettings neb;
  neb.method = PathMethod::Neb;
  neb.refine = true;
  neb.params.neb.lr = 0.01;
  neb.params.neb.steps = 400;
  neb.params.neb.cycle_steps = 40;
  neb.refine_params.steps = 400;
  neb.refine_params.lr = 0.01;  // --lr sets it too
  EXPECT_EQ(same("method neb\nlr 0.01\nsteps 400\nneb-images 5\nneb-max-images 17\nneb-spring 1\n"
                 "neb-cycle 40\nneb-insert 0.050000000000000003\nrefine-steps 400\nrefine-images 9\n"
                 "refine-lr 0.01\nrefine-tol 0.001\n",
                 path_run_settings({}, neb)),
            "");
  PathRunSettings chain;
  chain.method = PathMethod::PolyChain;
  chain.params.curve.lr = 0.01;
  chain.params.curve.steps = 50;
  EXPECT_EQ(same("method polychain\nlr 0.01\nsteps 50\ncurve-samples 1\npoints 51\nseed 1\n",
                 path_run_settings({}, chain)),
            "");
  chain.align = AlignMethod::Weight;  // an older directory without --align is not this run
  EXPECT_NE(same("method polychain\nlr 0.01\nsteps 50\ncurve-samples 1\npoints 51\nseed 1\n",
                 path_run_settings({}, chain)),
            "");
}

TEST(TrainedCurves, EndsExactAndStraightAtTheMidpoint) {
  for (CurveShape shape : {bezier_weights, polygonal_chain_weights}) {
    auto ace = [](const CurveWeights& k) { return std::array{k.a, k.c, k.e}; };
    EXPECT_EQ(ace(shape(0)), (std::array{1.0, 0.0, 0.0}));
    EXPECT_EQ(ace(shape(1)), (std::array{0.0, 0.0, 1.0}));
    // theta at the midpoint: phi(t) = (1 - t) w_i + t w_j, for every t
    for (double t : {0.1, 0.25, 0.5, 0.7, 0.93}) {
      const CurveWeights k = shape(t);
      EXPECT_NEAR(k.a + 0.5 * k.c, 1 - t, 1e-15) << t;
      EXPECT_NEAR(k.e + 0.5 * k.c, t, 1e-15) << t;
    }
  }
  // the polygonal chain passes through theta at t = 1/2; Bezier only pulls towards it
  EXPECT_EQ(polygonal_chain_weights(0.5).c, 1.0);
  EXPECT_EQ(bezier_weights(0.5).c, 0.5);
}

TEST(Refinement, HighestPointAtAnEndIsNoBarrier) {
  const Figure3Landscape f;
  FoundPath path;  // a path that only climbs: from the minimum up to the bump
  const std::vector<double> t = {0, 0.5, 1};
  const Vec pts = {Scalar(-0.6138), Scalar(-0.5354), Scalar(-0.4), Scalar(-0.45), Scalar(-0.2), Scalar(-0.4)};
  path = measure_path(f, t, pts, 0);
  const RefinedSaddle s = refine_saddle(f, path, RefineParams());
  EXPECT_TRUE(s.at_end);
  EXPECT_EQ(s.H_refined, path.result.H);
}

TEST(Budget, EveryMethodSpendsAtMostItsBudgetAsCounted) {
  const MuellerBrownLandscape f;
  const PathMethodParams base = surface_params();
  for (PathMethod m : kPathMethods)
    for (long budget : {60L, 500L}) {
      const CountingLandscape counted(f);
      const FoundPath path = find_path(m, counted, mb_start(), mb_end(), base.with_budget(m, budget));
      EXPECT_LE(counted.gradient_evaluations(), budget) << to_string(m);
      EXPECT_GT(counted.gradient_evaluations(), budget * 3 / 4) << to_string(m) << " left much unused";
      EXPECT_GT(counted.loss_evaluations(), 0) << to_string(m) << ": the path is measured";
    }
}

TEST(Neb, AutoNebInsertsImagesWhereTheBandRises) {
  // Mueller-Brown's straight line crosses a high ridge; one image between the ends cannot
  // follow the bent valley through both saddles, so the band must grow.
  const MuellerBrownLandscape f;
  PathMethodParams p = surface_params();
  p.neb.images = 3;
  const FoundPath path = find_neb_path(f, mb_start(), mb_end(), p.neb);
  EXPECT_GT(path.size(), std::size_t(p.neb.images));
  EXPECT_LE(path.size(), std::size_t(p.neb.max_images));
  // arc-length t: increasing from 0 to 1
  for (std::size_t k = 1; k < path.size(); ++k) EXPECT_GT(path.result.t[k], path.result.t[k - 1]);
  EXPECT_NEAR(path.result.H, kMbSaddleHigh, 0.01);  // the climbing image is on the saddle
}

// A surface that is NaN on the strip -0.1 < x < 0.1: every method must stop there with an
// Error that names what it was evaluating, never report a path with a NaN height.
class NanStrip : public Landscape {
 public:
  std::size_t dimension() const override { return 2; }
  double evaluate(const Scalar* x, Scalar* grad) const override {
    if (grad) grad[0] = grad[1] = Scalar(0);
    return std::abs(x[0]) < 0.1 ? std::nan("") : 0.0;
  }
  std::string describe() const override { return "NaN on -0.1 < x < 0.1"; }
};

TEST(PathMethods, NonFiniteLossIsAnErrorNamingThePoint) {
  const NanStrip f;
  const Vec a = {Scalar(-1), Scalar(0)}, b = {Scalar(-0.5), Scalar(0)}, across = {Scalar(1), Scalar(0)};
  PathMethodParams p;
  p.neb.steps = p.curve.steps = 3;
  for (PathMethod m : {PathMethod::Neb, PathMethod::Bezier, PathMethod::PolyChain}) {
    EXPECT_NO_THROW(find_path(m, f, a, b, p)) << to_string(m);
    try {
      find_path(m, f, a, across, p);
      ADD_FAILURE() << to_string(m) << ": no error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("non-finite loss nan at point"), std::string::npos)
          << to_string(m) << ": " << e.what();
    }
  }
}

// --- the 2-D surfaces: the true barrier after refinement --------------------------------------

TEST(Figure3Refined, EveryMethodFindsTheLowestSaddleWithin0p1Percent) {
  const Figure3Landscape f;
  const double saddle = Figure3Landscape::kLowestSaddleHeight;
  for (PathMethod m : kPathMethods) {
    const FoundPath path = find_path(m, f, fig3_start(), fig3_end(), surface_params());
    expect_ends_kept(path, fig3_start(), fig3_end(), to_string(m));
    EXPECT_LT(path.result.H, path.result.H_linear) << to_string(m);
    const RefinedSaddle s = refine_saddle(f, path, surface_refine());
    EXPECT_FALSE(s.at_end);
    EXPECT_NEAR(s.H_refined, saddle, 1e-3 * saddle)
        << to_string(m) << ": H " << path.result.H << ", refined at (" << s.point[0] << ", " << s.point[1]
        << "), |grad| " << s.gradient_norm;
    EXPECT_LT(s.gradient_norm, 1e-2) << to_string(m);
  }
}

TEST(MuellerBrownRefined, EveryMethodCrossesTheHigherSaddle) {
  const MuellerBrownLandscape f;
  for (PathMethod m : kPathMethods) {
    const FoundPath path = find_path(m, f, mb_start(), mb_end(), surface_params());
    expect_ends_kept(path, mb_start(), mb_end(), to_string(m));
    EXPECT_GT(path.result.H_linear, 0) << to_string(m);
    EXPECT_LT(path.result.H, path.result.H_linear) << to_string(m);
    const RefinedSaddle s = refine_saddle(f, path, surface_refine());
    EXPECT_NEAR(s.H_refined, kMbSaddleHigh, 0.5)
        << to_string(m) << ": H " << path.result.H << ", refined at (" << s.point[0] << ", " << s.point[1]
        << "), |grad| " << s.gradient_norm;
    EXPECT_NEAR(s.point[0], -0.822, 0.01) << to_string(m);
    EXPECT_NEAR(s.point[1], 0.624, 0.01) << to_string(m);
    EXPECT_GT(std::abs(s.H_refined - kMbSaddleLow), 20) << "the wrong saddle";
  }
}

// --- a trained network's landscape -------------------------------------------------------------

using PathMethodsOnLstm = testing::PublishedLstmLandscape;

TEST_F(PathMethodsOnLstm, FiniteEndsKeptAndNoHigherThanTheStraightLine) {
  const std::size_t P = land->dimension();
  const Vec a(weights.row(0), weights.row(0) + P), b(weights.row(1), weights.row(1) + P);
  PathMethodParams p;  // the NN defaults, few points and steps
  p.fourier.points = p.curve.points = 9;
  p.fourier.steps = 4;
  p.neb.steps = 8;
  p.neb.cycle_steps = 4;
  p.curve.steps = 12;
  for (PathMethod m : kPathMethods) {
    const FoundPath path = find_path(m, *land, a, b, p);
    expect_ends_kept(path, a, b, to_string(m));
    for (double v : path.result.profile) EXPECT_TRUE(std::isfinite(v)) << to_string(m);
    for (Scalar w : path.points) ASSERT_TRUE(std::isfinite(double(w))) << to_string(m);
    EXPECT_LE(path.result.H, path.result.H_linear) << to_string(m);
  }
}

// --- the command line ---------------------------------------------------------------------------

TEST(PathCommandMethods, SurfaceWithRefineWritesTheSameColumns) {
  const std::string dir = testing::temp_dir() + "/mb";
  const testing::CommandResult r =
      testing::run_capture({testing::binary(), "path", "--landscape", "mueller-brown", "--method", "neb",
                            "--lr", "0.01", "--steps", "400", "--neb-cycle", "40", "--refine",
                            "--refine-steps", "400", "--threads", "2", "--out", dir});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string paths = testing::read_file(dir + "/paths.csv");
  EXPECT_EQ(paths.rfind("i,j,H_linear,H,length,loss_sum,steps,H_excess\n0,1,", 0), 0u) << paths;
  EXPECT_EQ(testing::read_file(dir + "/refined.csv")
                .rfind("i,j,H,H_refined,gradient_norm,refine_steps,gradient_tolerance,converged\n0,1,", 0),
            0u);
  EXPECT_EQ(testing::read_file(dir + "/points.csv").rfind("m,t,x,y,f\n0,0,-0.558", 0), 0u);
  EXPECT_NE(testing::read_file(dir + "/manifest.json").find("\"method\": \"neb\""), std::string::npos);
  EXPECT_NE(r.out.find("refined barrier -40.6"), std::string::npos) << r.out;
  // usage errors name the flag and exit 2
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--landscape", "moon"},
                                              {"--landscape", "fig3", "--from", "1"},
                                              {"--landscape", "fig3", "--arch", "lstm"},
                                              {"--landscape", "fig3", "--method", "walk"},
                                              {"--from", "0,0"},
                                              {"--landscape", "fig3", "--neb-images", "2"}}) {
    std::vector<std::string> argv = {testing::binary(), "path"};
    argv.insert(argv.end(), bad.begin(), bad.end());
    argv.insert(argv.end(), {"--out", dir + "/bad"});
    const testing::CommandResult e = testing::run_capture(argv);
    EXPECT_EQ(e.status, 2) << bad[0] << " " << bad[1] << ": " << e.err;
    EXPECT_NE(e.err.find("--"), std::string::npos) << e.err;
  }
}

// With no flags but --refine, every method lands on both surfaces' saddles (the surface's own
// step size, 0.01), and says it converged.
TEST(PathCommandMethods, DefaultsRefineToTheSaddleOnBothSurfaces) {
  struct Surface {
    std::vector<std::string> flags;
    double saddle;
  };
  for (const Surface& s :
       {Surface{{"--landscape", "fig3", "--from", "-0.62,-0.54", "--to", "0.49,-0.02"}, 0.62439},
        Surface{{"--landscape", "mueller-brown"}, kMbSaddleHigh}})
    for (const char* method : {"fourier", "neb", "bezier", "polychain"}) {
      const std::string dir = testing::temp_dir() + "/" + method;
      std::vector<std::string> argv = {testing::binary(), "path", "--method", method, "--refine",
                                       "--threads",       "1",    "--out",    dir};
      argv.insert(argv.end(), s.flags.begin(), s.flags.end());
      const testing::CommandResult r = testing::run_capture(argv);
      ASSERT_EQ(r.status, 0) << r.err;
      const std::string row = testing::first_lines<2>(dir + "/refined.csv")[1];  // below the header
      const std::vector<std::string> cells = split_commas(row);
      ASSERT_EQ(cells.size(), 8u) << row;
      EXPECT_NEAR(std::stod(cells[3]), s.saddle, 1e-3 * std::abs(s.saddle))
          << s.flags[1] << " " << method << ": " << row;
    }
}

// NEB's climbing image: a warning names the pair when it stops short of a saddle, none when it
// gets there.
TEST(PathCommandMethods, NebSaysWhenItsClimbingImageIsNoSaddleYet) {
  auto run = [](const char* steps) {
    return testing::run_capture({testing::binary(), "path", "--landscape", "mueller-brown", "--method", "neb",
                                 "--steps", steps, "--neb-cycle", "40", "--out",
                                 testing::temp_dir() + "/neb"});
  };
  const testing::CommandResult few = run("45");
  ASSERT_EQ(few.status, 0) << few.err;
  EXPECT_NE(few.err.find("warning: pair 0-1: NEB's climbing image stopped at"), std::string::npos) << few.err;
  const testing::CommandResult many = run("400");
  ASSERT_EQ(many.status, 0) << many.err;
  EXPECT_EQ(many.err.find("climbing image stopped"), std::string::npos) << many.err;
}

// Too few steps: converged = no in refined.csv, and a warning naming the pair.
TEST(PathCommandMethods, AnUnconvergedRefinementSaysSo) {
  const std::string dir = testing::temp_dir() + "/short";
  const testing::CommandResult r =
      testing::run_capture({testing::binary(), "path", "--landscape", "mueller-brown", "--refine",
                            "--refine-steps", "3", "--out", dir});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("warning: pair 0-1: the refinement stopped after 3 steps"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("is not a saddle's value"), std::string::npos) << r.err;
  const std::string csv = testing::read_file(dir + "/refined.csv");
  EXPECT_EQ(csv.substr(csv.size() - 4), ",no\n") << csv;
}

TEST(PathCommandMethods, ResumesAndRefusesAnotherMethodInTheSameDirectory) {
  const std::string dir = testing::temp_dir() + "/fig3";
  auto run = [&](const std::string& method) {
    return testing::run_capture({testing::binary(), "path", "--landscape", "fig3", "--method", method, "--lr",
                                 "0.01", "--steps", "50", "--out", dir});
  };
  ASSERT_EQ(run("bezier").status, 0);
  const std::string first = testing::read_file(dir + "/paths.csv");
  const testing::CommandResult again = run("bezier");
  EXPECT_EQ(again.status, 0);
  EXPECT_NE(again.err.find("0 pairs computed, 1 already"), std::string::npos) << again.err;
  EXPECT_EQ(testing::read_file(dir + "/paths.csv"), first);
  const testing::CommandResult other = run("neb");
  EXPECT_EQ(other.status, 1);
  EXPECT_NE(other.err.find("method: here neb, there bezier"), std::string::npos) << other.err;
  EXPECT_EQ(testing::read_file(dir + "/paths.csv"), first);
}

TEST(CompareCommand, EveryMethodEveryLevelWithinBudget) {
  const std::string dir = testing::temp_dir() + "/cmp";
  const testing::CommandResult r =
      testing::run_capture({testing::binary(), "compare-paths", "--landscape", "fig3", "--budget", "400",
                            "--levels", "2", "--lr", "0.01", "--threads", "2", "--out", dir});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string csv = testing::read_file(dir + "/compare.csv");
  EXPECT_EQ(csv.rfind(std::string(kComparisonHeader) + "\n", 0), 0u) << csv;
  int rows = 0;
  for (std::size_t at = csv.find('\n'); at + 1 < csv.size(); at = csv.find('\n', at + 1)) ++rows;
  EXPECT_EQ(rows, 8) << csv;  // 4 methods x 2 levels
  for (const char* m : {",fourier,", ",neb,", ",bezier,", ",polychain,"})
    EXPECT_NE(csv.find(m), std::string::npos) << m;
  EXPECT_NE(testing::read_file(dir + "/manifest.json").find("\"budget\": 400"), std::string::npos);
  EXPECT_EQ(
      testing::run_command({testing::binary(), "compare-paths", "--landscape", "fig3", "--out", dir + "/x"}),
      2);  // no --budget
  EXPECT_EQ(testing::run_command({testing::binary(), "compare-paths", "--landscape", "fig3", "--budget", "10",
                                  "--methods", "fourier,tsp", "--out", dir + "/x"}),
            2);
  // its wrapper counts full-landscape evaluations only: no mini-batch steps (§5.7)
  const testing::CommandResult batch =
      testing::run_capture({testing::binary(), "compare-paths", "--landscape", "fig3", "--budget", "10",
                            "--batch", "5", "--out", dir + "/x"});
  EXPECT_EQ(batch.status, 2);
  EXPECT_NE(batch.err.find("--batch"), std::string::npos) << batch.err;
}

}  // namespace
}  // namespace landscape
