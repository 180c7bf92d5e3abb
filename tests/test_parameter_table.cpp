// The parameter tables (core/parameter_table.hpp): one declaration per parameter gives the
// flags (cli/args.hpp), the preset keys (experiments/support/preset.cpp) and check(). Defaults
// come from the struct, bounds refuse a value naming the flag or file:line and the key, enum
// names round-trip, --help lists every flag with its default, and the shipped presets parse to
// the plans their files state.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "cli/args.hpp"
#include "core/error.hpp"
#include "core/parameter_table.hpp"
#include "experiments/paper/study.hpp"
#include "experiments/paths/path_problem.hpp"
#include "experiments/related/hessian_study.hpp"
#include "experiments/related/sharpness_study.hpp"
#include "experiments/support/preset.hpp"
#include "experiments/training/ensemble.hpp"
#include "landscape/analysis/kernels.hpp"
#include "landscape/paths/path_method.hpp"
#include "landscape/paths/saddle_refinement.hpp"
#include "optim/sgd.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

// The message of the exception `f` throws as E ("" and a failure when it throws none).
template <class E, class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "no exception";
  return "";
}

// The settings of a path run as one tuple: compared, or checked against stated values, at once.
auto path_settings(const PathParams& p) {
  return std::tie(p.terms, p.points, p.lambda, p.lr, p.steps, p.point_loss, p.select);
}

// What every shipped preset states for a model's plan: its runs, its training and its paths.
auto schedule(const StudyPlan& p) {
  return std::tie(p.runs, p.keep, p.sgd_epochs, p.sgd.lr, p.lbfgs_epochs, p.pairs, p.path_images,
                  p.path.points, p.path.steps, p.test_landscape);
}

Args path_args(const std::vector<std::string>& tokens) {
  Args a("path", "test");
  a.declare(PathParams::table())
      .declare(NebParams::table(), {}, {"lr", "steps"})
      .declare(CurveParams::table(), {}, {"lr", "steps", "points"});
  a.declare(RefineParams::table(), {}, {"lr"});
  EXPECT_TRUE(a.parse(tokens));
  return a;
}

TEST(ParameterTable, DefaultsComeFromTheStruct) {
  const Args a = path_args({});
  const PathParams p = a.read(PathParams::table());
  const PathParams d;
  EXPECT_EQ(path_settings(p), path_settings(d));
  // the flag's default text is the struct's value, and reads back to the same bits
  for (const auto& entry : PathParams::table().parameters()) {
    EXPECT_EQ(a.str(entry.name), entry.text(d)) << entry.name;
    PathParams q;
    EXPECT_EQ(entry.read(q, entry.text(d)), "") << entry.name;
    EXPECT_EQ(entry.text(q), entry.text(d)) << entry.name;
  }
  EXPECT_EQ(a.str("terms"), "10");
  EXPECT_EQ(a.str("lambda"), "1e-04");
  EXPECT_EQ(a.str("point-loss"), "plain");
  const TrainConfig t = Args("train", "").declare(TrainConfig::table()).read(TrainConfig::table());
  EXPECT_EQ(t.optimizer, Optimizer::Sgd);
  EXPECT_EQ(t.epochs, 10);
  EXPECT_EQ(t.sgd.lr, 0.01);
  EXPECT_EQ(t.lbfgs.history, 10);
}

TEST(ParameterTable, GivenFlagsAreReadIntoTheStructAndItsMembers) {
  Args a("train", "");
  a.declare(TrainConfig::table());
  ASSERT_TRUE(a.parse({"--optimizer", "lbfgs", "--lr", "0.25", "--history=4", "--tol", "1e-6"}));
  const TrainConfig t = a.read(TrainConfig::table());
  EXPECT_EQ(t.optimizer, Optimizer::Lbfgs);
  EXPECT_EQ(t.sgd.lr, 0.25);  // included from SgdParams' table
  EXPECT_EQ(t.lbfgs.history, 4);
  EXPECT_EQ(t.lbfgs.tol, 1e-6);
  EXPECT_EQ(t.epochs, 10);
  // --lr, --steps and --points are shared by the path methods: declared once, read by each
  const Args p = path_args({"--lr", "0.5", "--steps", "7", "--points", "9"});
  const PathMethodParams m = [&] {
    PathMethodParams x;
    p.read(PathParams::table(), x.fourier);
    p.read(NebParams::table(), x.neb);
    p.read(CurveParams::table(), x.curve);
    return x;
  }();
  EXPECT_EQ(m.fourier.lr, 0.5);
  EXPECT_EQ(m.neb.lr, 0.5);
  EXPECT_EQ(m.curve.lr, 0.5);
  EXPECT_EQ(m.neb.steps, 7);
  EXPECT_EQ(m.curve.points, 9);
  EXPECT_EQ(p.read(RefineParams::table()).lr, 0.5);
}

TEST(ParameterTable, AValueOutOfRangeIsRefusedNamingTheFlag) {
  struct Case {
    std::vector<std::string> tokens;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {{"--terms", "0"}, "path: --terms: 0 must be at least 1"},
      {{"--points", "1"}, "--points: 1 must be at least 2"},
      {{"--lambda", "-1"}, "--lambda: -1 must be at least 0"},
      {{"--lr", "0"}, "--lr: 0 must be greater than 0"},
      {{"--lr", "nan"}, "--lr: expected a finite number, got 'nan'"},
      {{"--steps", "many"}, "--steps: expected an integer, got 'many'"},
      {{"--terms", "100001"}, "--terms: 100001 must be at most 100000"},
      {{"--point-loss", "cubic"}, "--point-loss: expected plain | squared, got 'cubic'"},
  };
  for (const Case& c : cases) {
    const Args a = path_args(c.tokens);
    const std::string what = error_of<UsageError>([&] { a.read(PathParams::table()); });
    EXPECT_NE(what.find(c.needle), std::string::npos) << what;
  }
  Args t("train", "");
  t.declare(TrainConfig::table());
  ASSERT_TRUE(t.parse({"--momentum", "1"}));
  EXPECT_NE(
      error_of<UsageError>([&] { t.read(TrainConfig::table()); }).find("--momentum: 1 must be less than 1"),
      std::string::npos);
  // check() of a struct set in code applies the same bounds
  PathParams p;
  p.points = 1;
  EXPECT_NE(error_of<UsageError>([&] { p.check(); }).find("--points"), std::string::npos);
  NebParams n;
  n.spring = -1;
  EXPECT_NE(error_of<UsageError>([&] { n.check(); }).find("--neb-spring: -1 must be at least 0"),
            std::string::npos);
}

TEST(ParameterTable, AValueOutOfRangeIsRefusedNamingThePresetKey) {
  struct Case {
    std::string text, needle;
  };
  const std::vector<Case> cases = {
      {"path_terms = 0\n", "t.conf:1 (path_terms): 0 must be at least 1"},
      {"runs = 3\npath_points = 1\n", "t.conf:2 (path_points): 1 must be at least 2"},
      {"sgd_lr = -0.1\n", "t.conf:1 (sgd_lr): -0.1 must be greater than 0"},
      {"train_images = -1\n", "t.conf:1 (train_images): -1 must be at least 0"},
      {"test_images = 2000000000\n", "t.conf:1 (test_images): 2000000000 must be at most 1073741824"},
      {"test_landscape = maybe\n", "t.conf:1 (test_landscape): expected true or false, got 'maybe'"},
      {"lenet.path_lr = 0\n", "t.conf:1 (lenet.path_lr): 0 must be greater than 0"},
      {"path_select = min-objective\n", "t.conf:1 (path_select): unknown key 'path_select'"},
      {"path_batch = -5\n", "t.conf:1 (path_batch): -5 must be at least 0"},
      {"path_eval_every = -1\n", "t.conf:1 (path_eval_every): -1 must be at least 0"},
      // the related studies' keys: prefix + the study's own flag names
      {"studies = walk\nwalk_batch = 16, 0\n", "t.conf:2 (walk_batch): 0 must be at least 1"},
      {"spread_optimizers = sgd, adam\n", "t.conf:1 (spread_optimizers): expected sgd | anneal, got 'adam'"},
      {"surface_grid = 2000\n", "t.conf:1 (surface_grid): 2000 must be at most 1001"},
      {"walk_arch = cnn\n",
       "t.conf:1 (walk_arch): expected fcp | lenet | lstm | ae or a file ending in .json or .onnx, got 'cnn'"},
      {"brief_momentum = 0.5\n", "t.conf:1 (brief_momentum): unknown key 'brief_momentum'"},
      {"spread_optimizer = sgd\n", "t.conf:1 (spread_optimizer): unknown key 'spread_optimizer'"},
  };
  for (const Case& c : cases) {
    const std::string what = error_of<Error>([&] { parse_preset("t.conf", c.text); });
    EXPECT_NE(what.find(c.needle), std::string::npos) << what;
  }
}

TEST(ParameterTable, PresetKeysOfStochasticPathSteps) {
  // docs/algorithms.md §5.7; presets/paper.conf names them in a comment
  const Preset p = parse_preset("t.conf", "path_batch = 2000\npath_eval_every = 10\nlstm.path_batch = 500\n");
  EXPECT_EQ(p.plan("fcp").path.batch, 2000);
  EXPECT_EQ(p.plan("fcp").path.eval_every, 10);
  EXPECT_EQ(p.plan("lstm").path.batch, 500);
  EXPECT_EQ(parse_preset("t.conf", "seed = 1\n").plan("lstm").path.batch, 0);  // full batch
}

TEST(ParameterTable, EnumNamesRoundTrip) {
  for (const auto& n : kOptimizerNames)
    EXPECT_EQ(enum_name(kOptimizerNames, parse_enum(kOptimizerNames, n.name, "optimizer")), n.name);
  for (const auto& n : kPointLossNames) EXPECT_EQ(to_string(parse_point_loss(n.name)), n.name);
  for (const auto& n : kPathSelectNames) EXPECT_EQ(to_string(parse_path_select(n.name)), n.name);
  const std::string what = error_of<UsageError>([] { parse_enum(kOptimizerNames, "adam", "optimizer"); });
  EXPECT_NE(what.find("--optimizer: expected sgd | lbfgs, got 'adam'"), std::string::npos) << what;
  Args a("train", "");
  a.declare(TrainConfig::table());
  ASSERT_TRUE(a.parse({"--optimizer", "lbfgs"}));
  EXPECT_EQ(a.read(TrainConfig::table()).optimizer, Optimizer::Lbfgs);
  EXPECT_EQ(TrainConfig::table().find("optimizer")->choices, (std::vector<std::string>{"sgd", "lbfgs"}));
  for (const auto& n : kStageNames) EXPECT_EQ(to_string(parse_enum(kStageNames, n.name, "stage")), n.name);
  for (const auto& n : kSpreadOptimizerNames)
    EXPECT_EQ(to_string(parse_enum(kSpreadOptimizerNames, n.name, "optimizer")), n.name);
  Args s("spread", "");
  s.declare(SpreadConfig::table());
  ASSERT_TRUE(s.parse({"--optimizer", "anneal,sgd"}));
  EXPECT_EQ(s.read(SpreadConfig::table()).optimizers,
            (std::vector<SpreadOptimizer>{SpreadOptimizer::Anneal, SpreadOptimizer::Sgd}));
}

TEST(ParameterTable, OptionalNumbersAreNoneUntilGiven) {
  Args a("kpca", "");
  a.declare(KernelParams::table());
  ASSERT_TRUE(a.parse({"--sigma2", "4"}));
  EXPECT_EQ(a.str("gamma"), "");  // the default: none
  const KernelParams k = a.read(KernelParams::table());
  ASSERT_TRUE(k.sigma2.has_value());
  EXPECT_EQ(*k.sigma2, 4.0);
  EXPECT_FALSE(k.gamma.has_value());
  Args b("kpca", "");
  b.declare(KernelParams::table());
  ASSERT_TRUE(b.parse({"--sigma2", "0"}));
  const std::string what = error_of<UsageError>([&] { b.read(KernelParams::table()); });
  EXPECT_NE(what.find("--sigma2: 0 must be greater than 0"), std::string::npos) << what;
}

// An optional enum and a point X,Y (PathProblemSpec's --landscape and --from): none until
// given, read by name and as two finite numbers, refused naming the flag.
TEST(ParameterTable, OptionalEnumsAndPointsAreNoneUntilGiven) {
  Args a("path", "");
  a.declare(PathProblemSpec::table());
  ASSERT_TRUE(a.parse({"--landscape", "mueller-brown", "--from", "-0.5, 1.25"}));
  EXPECT_EQ(a.str("to"), "");  // the default: none
  const PathProblemSpec spec = a.read(PathProblemSpec::table());
  ASSERT_TRUE(spec.surface.has_value());
  EXPECT_EQ(*spec.surface, PathSurface::MuellerBrown);
  ASSERT_TRUE(spec.from.has_value());
  EXPECT_EQ(*spec.from, (Point2{-0.5, 1.25}));
  EXPECT_FALSE(spec.to.has_value());
  EXPECT_EQ(PathProblemSpec::table().find("from")->text(spec), "-0.5,1.25");
  EXPECT_EQ(PathProblemSpec::table().find("landscape")->text(spec), "mueller-brown");
  EXPECT_EQ(PathProblemSpec::table().find("landscape")->text(PathProblemSpec{}), "");
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--from", "1"},
                                              {"--from", "1,2,3"},
                                              {"--to", "1,inf"},
                                              {"--to", "x,2"},
                                              {"--landscape", "moon"}}) {
    Args b("path", "");
    b.declare(PathProblemSpec::table());
    ASSERT_TRUE(b.parse(bad));
    const std::string what = error_of<UsageError>([&] { b.read(PathProblemSpec::table()); });
    EXPECT_NE(what.find(bad[0] + ": "), std::string::npos) << what;
    EXPECT_NE(what.find("'" + bad[1] + "'"), std::string::npos) << what;
  }
}

TEST(ParameterTable, HelpListsEveryFlagWithItsDefault) {
  Args a("train", "summary");
  a.declare(EnsembleConfig::table());
  const std::string help = a.help();
  const EnsembleConfig d;
  for (const auto& p : EnsembleConfig::table().parameters()) {
    const std::string text = p.text(d);
    const std::string line = "--" + p.name + " VALUE";
    const size_t at = help.find(line);
    ASSERT_NE(at, std::string::npos) << p.name << "\n" << help;
    const std::string rest = help.substr(at, help.find('\n', at) - at);
    EXPECT_NE(rest.find(p.help), std::string::npos) << rest;
    EXPECT_NE(rest.find("(default: " + (text.empty() ? std::string("none") : text) + ")"), std::string::npos)
        << rest;
  }
  EXPECT_NE(help.find("--optimizer VALUE       sgd | lbfgs (L-BFGS-GSS, full batch) (default: sgd)"),
            std::string::npos)
      << help;
  // a bool field is a switch
  Args r("x", "");
  ParameterTable<StudyPlan> only;
  only.field("test-landscape", &StudyPlan::test_landscape, "also the test landscape");
  r.declare(only);
  const std::string switch_help = r.help();
  const size_t at = switch_help.find("  --test-landscape ");
  ASSERT_NE(at, std::string::npos) << switch_help;
  const std::string line = switch_help.substr(at, switch_help.find('\n', at) - at);
  EXPECT_NE(line.find("also the test landscape"), std::string::npos) << line;
  EXPECT_EQ(line.find("VALUE"), std::string::npos) << line;
  EXPECT_EQ(line.find("default"), std::string::npos) << line;
  ASSERT_TRUE(r.parse({"--test-landscape"}));
  EXPECT_TRUE(r.read(only).test_landscape);
}

// The shipped presets give the plans their files state (values taken from presets/*.conf).
TEST(ParameterTable, EveryShippedPresetParsesToThePlanItStates) {
  const std::string dir = testing::source_dir() + "/presets/";
  const Preset mini = read_preset(dir + "mini.conf");
  const StudyPlan& m = mini.plan("fcp");
  EXPECT_EQ(mini.archs, (std::vector<std::string>{"fcp", "ae"}));
  EXPECT_EQ(mini.seed, 3u);
  EXPECT_FALSE(mini.figure3);
  EXPECT_EQ(m.train_images, 200);
  EXPECT_EQ(m.test_images, 100);
  EXPECT_EQ(m.sgd.momentum, 0.0);
  EXPECT_EQ(m.batch, 32);
  EXPECT_EQ(schedule(m), std::tuple(3, 2, 2, 0.05, 5, 2, 100, 7, 3, true));
  EXPECT_EQ(path_settings(m.path), std::tuple(3, 7, 1e-4, 1e-3, 3, PointLoss::Plain, PathSelect::MinLossSum));

  const Preset paper = read_preset(dir + "paper.conf");
  for (const char* arch : {"fcp", "lenet", "lstm", "ae"}) {
    const StudyPlan& p = paper.plan(arch);
    EXPECT_EQ(schedule(p), std::tuple(75, 48, 100, 0.01, 1000, 300, 60000, 51, 100, true)) << arch;
    EXPECT_EQ(p.path.terms, 10);
  }

  const Preset quick = read_preset(dir + "quick.conf");
  const StudyPlan& q = quick.plan("ae");
  EXPECT_EQ(q.train_images, 2000);
  EXPECT_EQ(schedule(q), std::tuple(4, 3, 30, 0.1, 100, 4, 1000, 21, 30, false));
  const StudyPlan& f = quick.plan("fcp");
  EXPECT_EQ(f.sgd_epochs, 150);
  EXPECT_EQ(f.lbfgs_epochs, 200);
  EXPECT_EQ(f.path_images, 2000);
  EXPECT_EQ(f.path.steps, 100);
  EXPECT_EQ(f.path.points, 21);  // not overridden
  EXPECT_TRUE(f.test_landscape);
  const StudyPlan& l = quick.plan("lenet");
  EXPECT_EQ(l.runs, 3);
  EXPECT_EQ(l.pairs, 1);
  EXPECT_EQ(l.path_images, 500);

  const Preset related = read_preset(dir + "related.conf");
  EXPECT_TRUE(related.is_related());
  EXPECT_EQ(related.studies, (std::vector<std::string>{"walk", "spread", "surface", "hessian"}));
  EXPECT_EQ(related.defaults.train_images, 2000);
  EXPECT_EQ(related.defaults.test_images, 1000);
  const RelatedPlan& r = related.related;
  EXPECT_EQ(r.walk.arch, "fcp");
  EXPECT_EQ(r.walk.lrs, (std::vector<double>{0.1, 0.02}));
  EXPECT_EQ(r.walk.batches, (std::vector<int>{16, 128}));
  EXPECT_EQ(r.walk.epochs, 3);
  EXPECT_EQ(r.walk.walk.every, 1);
  EXPECT_EQ(r.walk.walk.points, 11);
  EXPECT_EQ(r.walk.eval_images, 500);
  EXPECT_EQ(r.spread.widths, (std::vector<int>{5, 10, 25, 50, 100}));
  EXPECT_EQ(r.spread.restarts, 8);
  EXPECT_EQ(r.spread.optimizers,
            (std::vector<SpreadOptimizer>{SpreadOptimizer::Sgd, SpreadOptimizer::Anneal}));
  EXPECT_EQ(r.spread.pools, 2);
  EXPECT_EQ(r.spread.epochs, 1000);
  EXPECT_EQ(r.spread.batch, 64);
  EXPECT_EQ(r.spread.lr, 0.2);
  EXPECT_EQ(r.spread.anneal_moves, AnnealMoves::Unit);
  EXPECT_EQ(r.spread.anneal_sweeps, 1000);
  EXPECT_EQ(r.spread.anneal.t_start, 1e-4);
  EXPECT_EQ(r.spread.anneal.t_end, 1e-7);
  EXPECT_EQ(r.spread.anneal.sigma, 1e-2);
  EXPECT_EQ(r.brief.epochs, 15);
  EXPECT_EQ(r.brief.sgd.lr, 0.1);
  EXPECT_EQ(r.surface.grid, 21);
  EXPECT_EQ(r.surface.images, 500);
  EXPECT_EQ(r.hessian.images, 500);
  EXPECT_EQ(r.hessian.iterations, 20);
  EXPECT_EQ(r.hessian.probes, 5);
  // the related preset's own defaults, where related.conf is silent
  const RelatedPlan d;
  EXPECT_EQ(d.walk.lrs, (std::vector<double>{0.1, 0.05}));
  EXPECT_EQ(d.walk.batches, (std::vector<int>{32, 128}));
  EXPECT_EQ(d.walk.walk.points, 11);
  EXPECT_EQ(d.brief.epochs, 5);
  EXPECT_EQ(d.surface.grid, 21);
  EXPECT_EQ(d.hessian.iterations, 20);
}

// Flags once (issue "Every setting declared once"): a second declaration of a name is an Error,
// unless the table lists it as shared; every command starts, so none declares a flag twice.
TEST(ParameterTable, AFlagDeclaredTwiceIsAnErrorUnlessShared) {
  Args twice("cmd", "");
  twice.flag("lr", "0.1", "one");
  EXPECT_THROW(twice.flag("lr", "0.2", "two"), Error);
  EXPECT_THROW(twice.toggle("lr", "two"), Error);
  EXPECT_THROW(twice.declare(SgdParams::table()), Error);  // its --lr
  try {
    Args a("cmd", "");
    a.flag("lr", "0.1", "one").declare(SgdParams::table());
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--lr is declared twice"), std::string::npos) << e.what();
  }
  Args shared("cmd", "");
  shared.flag("lr", "0.1", "the first help line").declare(SgdParams::table(), {}, {"lr"});
  EXPECT_NE(shared.help().find("the first help line"), std::string::npos);
  EXPECT_TRUE(shared.declared("momentum"));
}

TEST(ParameterTable, RequiredFlagsMustBeGivenAndBeDeclared) {
  Args a("cmd", "");
  a.declare(HessianStudyParams::table()).require({"arch", "weights"});
  EXPECT_NE(a.help().find("(required)"), std::string::npos);
  const std::string what =  // --weights missing
      error_of<UsageError>([&] {
        a.parse(std::vector<std::string>{"--arch", "lenet"});
      });
  EXPECT_NE(what.find("--weights is required"), std::string::npos) << what;
  Args b("cmd", "");
  const std::string undeclared = error_of<Error>([&] { b.require({"arch"}); });
  EXPECT_NE(undeclared.find("--arch is required but not declared"), std::string::npos) << undeclared;
}

TEST(ParameterTable, ABaseStructsFieldsAreReadAndCheckedThroughTheDerivedTable) {
  // ModelOnData's fields stand in each study's table once, under their own names.
  const auto& t = SharpnessStudyParams::table();
  for (const char* name : {"arch", "weights", "split", "images", "activation", "data"})
    EXPECT_NE(t.find(name), nullptr) << name;
  Args a("cmd", "");
  a.declare(t);
  a.parse(std::vector<std::string>{"--arch", "lenet", "--images", "70000", "--split", "test"});
  const SharpnessStudyParams p = a.read(t);
  EXPECT_EQ(p.arch, "lenet");
  EXPECT_EQ(p.images, 70000);  // own data may hold more than MNIST's 60,000
  EXPECT_EQ(p.split, Split::Test);
  SharpnessStudyParams bad;
  bad.images = -1;
  EXPECT_NE(error_of<UsageError>([&] { t.check(bad); }).find("--images"), std::string::npos);
  // The path problem takes the same fields, but no model unless --arch is given.
  EXPECT_EQ(PathProblemSpec().arch, "");
  EXPECT_EQ(PathProblemSpec::table().find("images")->help, t.find("images")->help);
}

TEST(ParameterTable, EveryCommandStartsWithItsFlagsDeclaredOnce) {
  const testing::CommandResult list = testing::run_capture({testing::binary(), "--help"});
  ASSERT_EQ(list.status, 0);
  std::istringstream lines(list.out + list.err);
  int commands = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.size() < 3 || line.substr(0, 2) != "  " || line[2] == ' ' || line[2] == '-') continue;
    const std::string command = line.substr(2, line.find(' ', 2) - 2);
    const testing::CommandResult r = testing::run_capture({testing::binary(), command, "--help"});
    EXPECT_EQ(r.status, 0) << command << ": " << r.err;
    EXPECT_EQ(r.err.find("declared twice"), std::string::npos) << command << ": " << r.err;
    ++commands;
  }
  EXPECT_GE(commands, 20);
}

}  // namespace
}  // namespace landscape
