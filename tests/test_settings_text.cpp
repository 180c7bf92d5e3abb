// Settings from the parameter tables (core/settings_text.hpp, docs/algorithms.md §17): the
// compatibility rule that lets every older run directory resume, or refuses it naming the
// lines that differ; and that every field of every table that affects results reaches the
// settings text, so a forgotten field fails here instead of resuming silently.
#include <gtest/gtest.h>

#include <set>

#include "core/settings_text.hpp"
#include "experiments/paths/path_problem.hpp"
#include "experiments/paths/path_run.hpp"
#include "experiments/related/hessian_study.hpp"
#include "experiments/related/surface_study.hpp"
#include "experiments/training/ensemble.hpp"
#include "test_support.hpp"

using namespace landscape;
using namespace landscape::testing;

namespace {

// Values to try for a field whose text is `now`: another choice, the other truth value,
// numbers near it, or texts a string, point or list field takes.
std::vector<std::string> other_texts(const ParameterInfo& p, const std::string& now) {
  if (!p.choices.empty()) return p.choices;
  if (p.is_switch) return {now == "true" ? "false" : "true"};
  std::vector<std::string> out;
  double x = 0;
  if (parameter_text::parse_real(now, x).empty())
    for (double y : {x + 1, x * 2 + 1, x / 2, x - 1, x + 0.5}) out.push_back(parameter_text::number(y));
  for (const char* s : {"7", "0.5,0.25", "other.npy", "1,2", "3"}) out.push_back(s);
  return out;
}

// The fields of `table` (but `excluded`) whose change leaves the settings text as it is in
// every one of `bases`.
template <class T, class F>
std::vector<std::string> fields_not_reaching(const ParameterTable<T>& table, const std::vector<T>& bases,
                                             F settings_of, const std::set<std::string>& excluded) {
  std::vector<std::string> missing;
  for (const auto& p : table.parameters()) {
    if (excluded.count(p.name)) continue;
    bool reaches = false, changed = false;
    for (const T& base : bases) {
      const std::string before = settings_of(base), now = p.text(base);
      for (const std::string& text : other_texts(p, now)) {
        T other = base;
        if (!p.read(other, text).empty() || p.text(other) == now) continue;
        changed = true;
        reaches = reaches || settings_of(other) != before;
        break;
      }
    }
    if (!changed)
      missing.push_back(p.name + " (no other value tried)");
    else if (!reaches)
      missing.push_back(p.name);
  }
  return missing;
}

Settings settings_of_text(const std::string& text) {
  Settings s;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::size_t eq = text.find('=', start);
    s.add(text.substr(start, eq - start), text.substr(eq + 1, end - eq - 1));
    start = end + 1;
  }
  return s;
}

}  // namespace

TEST(SettingsText, IsOneKeyValueLinePerSettingAtFullPrecision) {
  LbfgsGssParams p;
  p.tol = 0.1 + 0.2;  // 0.30000000000000004: 17 digits, not 6
  Settings s;
  s.fields(LbfgsGssParams::table(), p, {"history", "tol"}).add("precision", "float64");
  EXPECT_EQ(s.text(), "history=10\ntol=0.30000000000000004\nprecision=float64\n");
  EXPECT_THROW(s.add("tol", "1"), Error);  // a key twice is the programmer's mistake
}

TEST(SettingsText, CompatibilityRuleReadsOlderTextsAsTheSameSettings) {
  Settings now;
  LbfgsGssParams p;
  now.fields(LbfgsGssParams::table(), p, {"history", "tol"});
  now.add("point_loss", "plain").add("per_layer", "false").add("lambda", "0.0001");
  now.add("range", "-0.1:1").add("from", "0.1,0.2");
  now.add_recorded_since_rule("data", "0123abcd");
  // "key value" lines, '-' in keys, 1/0, 17 digits and 6 digits, no data line, any order.
  const std::string older = "lambda 0.0001\npoint-loss plain\nper_layer 0\ntol 0.0001\nhistory 10\n";
  EXPECT_EQ(settings_differences(older + "range -0.10000000000000001:1\nfrom 0.10000000000000001,0.2\n", now),
            "");
  EXPECT_NE(settings_differences(older + "range -0.1:2\nfrom 0.1,0.2\n", now)
                .find("range: here -0.1:1, there -0.1:2"),
            std::string::npos);
  EXPECT_EQ(settings_differences("history=10\ntol=0.00010000000000000000\npoint_loss=plain\nper_layer=0\n"
                                 "lambda=0.000100000\ndata=0123abcd\nrange=-0.1:1\nfrom=0.1,0.2\n",
                                 now),
            "");
}

TEST(SettingsText, CompatibilityRuleRefusesOtherSettingsNamingTheLines) {
  Settings now;
  now.add("lr", "0.01").add("steps", "100").add_recorded_since_rule("data", "aaaa");
  const std::string d = settings_differences("lr=0.02\nsteps=100\ndata=bbbb\nbatch=500\n", now);
  EXPECT_NE(d.find("lr: here 0.01, there 0.02"), std::string::npos) << d;
  EXPECT_NE(d.find("data: here aaaa, there bbbb"), std::string::npos) << d;
  EXPECT_NE(d.find("batch: here no such setting, there 500"), std::string::npos) << d;
  EXPECT_EQ(d.find("steps"), std::string::npos) << d;
  // 6 digits that are not this value rounded
  EXPECT_NE(settings_differences("lr=0.0100001\nsteps=100\n", now), "");
  // a line a table-less setting needs is missing
  EXPECT_NE(settings_differences("lr=0.01\n", now).find("steps: here 100, there no such line"),
            std::string::npos);
}

TEST(SettingsText, AMissingLineMeansTheFieldsDefault) {
  TrainConfig t;
  Settings now;
  now.fields(TrainConfig::table(), t, {"snapshots"});
  EXPECT_EQ(settings_differences("", now), "");  // older directories wrote snapshots only when > 0
  t.snapshot_every = 5;
  Settings five;
  five.fields(TrainConfig::table(), t, {"snapshots"});
  EXPECT_NE(settings_differences("", five).find("snapshots: here 5, there no such line"), std::string::npos);
}

// The committed directories made before the rule resume under it: an ensemble of fcp-full and
// a stochastic path run of bench/ ("key value" lines, no method or data line).
TEST(SettingsText, CommittedDirectoriesOfTheLastReleaseResume) {
  EnsembleConfig c;
  c.arch = "fcp";
  c.train.optimizer = Optimizer::Lbfgs;
  c.train.epochs = 1000;
  c.runs = 10;
  c.keep = 8;
  c.train_images = 60000;
  c.test_images = 10000;
  const std::string there = read_file(source_dir() + "/docs/results/fcp-full/study/fcp/lbfgs/settings.txt");
  ASSERT_FALSE(there.empty());
  const std::string same = settings_differences(there, c.settings("f00d"));
  if (kFloat64)
    EXPECT_EQ(same, "\n  precision: here float64, there float32");  // a float64 build may not resume it
  else
    EXPECT_EQ(same, "");
  c.train.lbfgs.budget = 7;
  EXPECT_NE(settings_differences(there, c.settings("f00d")).find("budget: here 7, there 6"),
            std::string::npos);

  PathRunSettings r;
  r.params.fourier.steps = 1000;
  r.params.fourier.batch = 500;
  r.params.fourier.eval_every = 62;
  r.seed = 1;
  const Settings land = settings_of_text(
      "arch=lstm\nactivation=softplus\nweights=/work/shared/weights/LSTM_BFGS_Training_best48_weights.npy\n"
      "split=train\nimages=10000\nprecision=float32");
  const std::string path_there =
      read_file(source_dir() + "/bench/results/stochastic-paths-runs/batch-500/settings.txt");
  ASSERT_FALSE(path_there.empty());
  EXPECT_EQ(settings_differences(path_there, path_run_settings(land, r)), "");
  r.params.fourier.batch = 2000;
  EXPECT_NE(settings_differences(path_there, path_run_settings(land, r)).find("batch: here 2000, there 500"),
            std::string::npos);
}

TEST(SettingsReach, EveryTrainingFieldThatAffectsResults) {
  EnsembleConfig sgd, lbfgs;
  lbfgs.train.optimizer = Optimizer::Lbfgs;
  const auto text = [](const EnsembleConfig& c) { return c.settings("f00d").text(); };
  // --data: the examples' fingerprint stands for it (a moved directory resumes).
  EXPECT_EQ(fields_not_reaching(EnsembleConfig::table(), {sgd, lbfgs}, text, {"data"}),
            std::vector<std::string>{});
}

TEST(SettingsReach, EveryPathFieldThatAffectsResults) {
  const auto run_text = [](const PathRunSettings& r) { return path_run_settings({}, r).text(); };
  PathRunSettings fourier, refined, neb, curve;
  fourier.params.fourier.grad_noise = 0.1;
  refined.refine = true;
  neb.method = PathMethod::Neb;
  curve.method = PathMethod::Bezier;
  EXPECT_EQ(fields_not_reaching(PathRunSettings::table(), {fourier, refined, neb, curve}, run_text, {}),
            std::vector<std::string>{});

  PathParams noisy, batched;
  noisy.grad_noise = 0.1;
  batched.batch = 500;
  const auto fourier_text = [&](const PathParams& p) {
    PathRunSettings r;
    r.params.fourier = p;
    return run_text(r);
  };
  EXPECT_EQ(fields_not_reaching(PathParams::table(), {noisy, batched}, fourier_text, {}),
            std::vector<std::string>{});
  const auto neb_text = [&](const NebParams& p) {
    PathRunSettings r = neb;
    r.params.neb = p;
    return run_text(r);
  };
  EXPECT_EQ(fields_not_reaching(NebParams::table(), {NebParams{}}, neb_text, {}), std::vector<std::string>{});
  const auto curve_text = [&](const CurveParams& p) {
    PathRunSettings r = curve;
    r.params.curve = p;
    return run_text(r);
  };
  EXPECT_EQ(fields_not_reaching(CurveParams::table(), {CurveParams{}}, curve_text, {}),
            std::vector<std::string>{});
}

TEST(SettingsReach, EveryPathProblemFieldThatAffectsResults) {
  PathProblemSpec fig3;
  fig3.surface = PathSurface::Fig3;
  const auto text = [](const PathProblemSpec& s) { return PathProblem(s).settings().text(); };
  // The model's fields (ModelOnData's) need a model and its data: the surface's settings hold
  // none of them (PathProblem::settings writes them on a model, the data as its fingerprint).
  // The pairs are each a row of their own; the seed reaches the settings as the run's
  // (PathRunSettings::seed, above).
  EXPECT_EQ(fields_not_reaching(PathProblemSpec::table(), {fig3}, text,
                                {"arch", "weights", "split", "images", "activation", "data", "pairs",
                                 "random-pairs", "seed"}),
            std::vector<std::string>{});
}

TEST(SettingsReach, EveryHessianAndSurfaceFieldThatAffectsResults) {
  HessianStudyParams h;
  h.weights = "w.npy";
  const auto hessian_text = [](const HessianStudyParams& p) { return p.settings("f00d").text(); };
  // --rows: each row has its own files and a rerun adds rows; --residual-tol sets a warning.
  EXPECT_EQ(
      fields_not_reaching(HessianStudyParams::table(), {h}, hessian_text, {"rows", "residual-tol", "data"}),
      std::vector<std::string>{});
  SurfaceParams s;
  const auto surface_text = [](const SurfaceParams& p) { return p.settings("f00d").text(); };
  EXPECT_EQ(fields_not_reaching(SurfaceParams::table(), {s}, surface_text, {"data"}),
            std::vector<std::string>{});
}
