// Kept path states (docs/algorithms.md §5.8): a FourierPathFinder run continued from the state
// it kept after any step ends in the same bits as a run that never stopped (full batch, with
// gradient noise, with mini-batches); the state's files read back exactly, replace and remove
// each other as they should and name themselves in their errors; run_path_pairs continues an
// interrupted pair and leaves nothing behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "experiments/paths/mini_batches.hpp"
#include "experiments/paths/pair_state.hpp"
#include "experiments/paths/path_run.hpp"
#include "fcp_path_case.hpp"
#include "io/whole_file.hpp"
#include "landscape/analytic_landscapes.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "models/init.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

namespace fs = std::filesystem;
using Vec = std::vector<Scalar>;

using FcpCase = testing::FcpPathCase;

// The run of `p` from b = 0, and the state it kept after K steps.
struct KeptRun {
  PathResult result;
  FourierPathState state;
};
KeptRun run_keeping(const Landscape& f, const Vec& a, const Vec& b, const PathParams& p, int K,
                    StepLandscapes steps = {}) {
  FourierPathFinder finder(f, a, b, p, std::move(steps));
  KeptRun out;
  finder.keep_state({[K](int k) { return k == K; }, [&out](const FourierPathState& s) { out.state = s; }});
  out.result = finder.run();
  return out;
}

PathResult run_from(const Landscape& f, const Vec& a, const Vec& b, const PathParams& p,
                    const FourierPathState* from, StepLandscapes steps = {}) {
  FourierPathFinder finder(f, a, b, p, std::move(steps));
  return finder.run(from);
}

// Everything but the clocks.
void expect_same_run(const PathResult& x, const PathResult& y) {
  testing::expect_same_path(x, y);
  EXPECT_EQ(x.length, y.length);
  EXPECT_EQ(x.length_linear, y.length_linear);
  EXPECT_EQ(x.loss_sum, y.loss_sum);
  EXPECT_EQ(x.loss_sum_linear, y.loss_sum_linear);
  EXPECT_EQ(x.steps, y.steps);
  EXPECT_EQ(x.t, y.t);
  ASSERT_EQ(x.checkpoints.size(), y.checkpoints.size());
  for (std::size_t c = 0; c < x.checkpoints.size(); ++c) {
    EXPECT_EQ(x.checkpoints[c].step, y.checkpoints[c].step);
    EXPECT_EQ(x.checkpoints[c].H, y.checkpoints[c].H);
    EXPECT_EQ(x.checkpoints[c].loss_sum, y.checkpoints[c].loss_sum);
    EXPECT_EQ(x.checkpoints[c].H_reported, y.checkpoints[c].H_reported);
  }
}

TEST(KeptPathState, ContinuedAfterAnyStepTheSameBits) {
  const FcpCase fcp;
  const PathResult plain = run_from(fcp.land, fcp.a, fcp.b, fcp.params, nullptr);
  ASSERT_GT(plain.reported_step, 0);  // the path moved: a continuation has something to get wrong
  for (int K : {1, 3, 12}) {
    const KeptRun kept = run_keeping(fcp.land, fcp.a, fcp.b, fcp.params, K);
    SCOPED_TRACE("full batch, kept after step " + std::to_string(K));
    expect_same_run(kept.result, plain);  // keeping changes nothing
    ASSERT_EQ(kept.state.steps_done, K);
    expect_same_run(run_from(fcp.land, fcp.a, fcp.b, fcp.params, &kept.state), plain);
  }
}

TEST(KeptPathState, ContinuedWithGradientNoiseTheSameBits) {
  // The toy procedure: squared point loss, N(0, 1) noise (the generator's state is kept),
  // lowest objective.
  Figure3Landscape fig3;
  PathParams toy = PathParams::figure3(100, 3);
  toy.steps = 40;
  const Vec a{Scalar(Figure3Landscape::kStart[0]), Scalar(Figure3Landscape::kStart[1])};
  const Vec b{Scalar(Figure3Landscape::kEnd[0]), Scalar(Figure3Landscape::kEnd[1])};
  const PathResult plain = run_from(fig3, a, b, toy, nullptr);
  for (int K : {1, 17, 40}) {
    SCOPED_TRACE("noise, kept after step " + std::to_string(K));
    const KeptRun kept = run_keeping(fig3, a, b, toy, K);
    expect_same_run(run_from(fig3, a, b, toy, &kept.state), plain);
  }
  // Without the generator's state the continuation draws other noise: the state matters.
  const KeptRun kept = run_keeping(fig3, a, b, toy, 17);
  FourierPathState fresh_noise = kept.state;
  fresh_noise.noise = Rng(toy.noise_seed).state();
  EXPECT_NE(run_from(fig3, a, b, toy, &fresh_noise).b, plain.b);
}

TEST(KeptPathState, ContinuedWithMiniBatchesTheSameBits) {
  FcpCase fcp;
  fcp.params.batch = 10;
  fcp.params.eval_every = 3;  // judged: 0, 3, 6, 9 and the last
  const PathResult plain = run_from(fcp.land, fcp.a, fcp.b, fcp.params, nullptr, fcp.batches(10, 5));
  for (int K : {2, 3, 7}) {
    SCOPED_TRACE("mini-batches, kept after step " + std::to_string(K));
    const KeptRun kept = run_keeping(fcp.land, fcp.a, fcp.b, fcp.params, K, fcp.batches(10, 5));
    expect_same_run(run_from(fcp.land, fcp.a, fcp.b, fcp.params, &kept.state, fcp.batches(10, 5)), plain);
  }
}

TEST(KeptPathState, AStateThatDoesNotFitIsAnError) {
  const FcpCase fcp;
  const KeptRun kept = run_keeping(fcp.land, fcp.a, fcp.b, fcp.params, 3);
  const auto refused = [&](FourierPathState s, const std::string& part) {
    testing::expect_error([&] { run_from(fcp.land, fcp.a, fcp.b, fcp.params, &s); }, {part});
  };
  FourierPathState s = kept.state;
  s.steps_done = 13;  // beyond the 12 steps
  refused(s, "after step 13");
  s = kept.state;
  s.adam_v.pop_back();
  refused(s, "coefficients");
  s = kept.state;
  s.partial.profile.pop_back();
  refused(s, "points");
  s = kept.state;
  s.noise = "not a generator";
  refused(s, "noise generator");
}

// --- the files ------------------------------------------------------------------------------

TEST(PairStateFiles, ReadBackExactly) {
  FcpCase fcp;
  fcp.params.grad_noise = 0.1;  // a generator state that is not the seed's
  const KeptRun kept = run_keeping(fcp.land, fcp.a, fcp.b, fcp.params, 5);
  const RunDirectory dir(testing::temp_dir());
  const PathPair pair{3, 7};
  const std::size_t P = fcp.land.dimension();
  EXPECT_FALSE(kept_pair_state(dir, pair, P, fcp.params));
  keep_pair_state(dir, pair, kept.state, P);
  const std::optional<FourierPathState> back = kept_pair_state(dir, pair, P, fcp.params);
  ASSERT_TRUE(back);
  const FourierPathState& s = kept.state;
  EXPECT_EQ(back->steps_done, s.steps_done);
  EXPECT_EQ(back->b, s.b);
  EXPECT_EQ(back->adam_m, s.adam_m);
  EXPECT_EQ(back->adam_v, s.adam_v);
  EXPECT_EQ(back->noise, s.noise);
  EXPECT_EQ(back->best, s.best);
  EXPECT_EQ(back->seconds, s.seconds);
  EXPECT_EQ(back->cpu_seconds, s.cpu_seconds);
  expect_same_run(back->partial, s.partial);
  for (std::size_t c = 0; c < s.partial.checkpoints.size(); ++c) {
    EXPECT_EQ(back->partial.checkpoints[c].seconds, s.partial.checkpoints[c].seconds);
    EXPECT_EQ(back->partial.checkpoints[c].cpu_seconds, s.partial.checkpoints[c].cpu_seconds);
  }
  // ... and the run continued from the files is the run that never stopped.
  expect_same_run(run_from(fcp.land, fcp.a, fcp.b, fcp.params, &*back), kept.result);
}

TEST(PairStateFiles, ALaterStateReplacesTheEarlierAndForgettingRemovesBoth) {
  const FcpCase fcp;
  const RunDirectory dir(testing::temp_dir());
  const PathPair pair{0, 1}, other{1, 0};
  const std::size_t P = fcp.land.dimension();
  keep_pair_state(dir, pair, run_keeping(fcp.land, fcp.a, fcp.b, fcp.params, 2).state, P);
  keep_pair_state(dir, other, run_keeping(fcp.land, fcp.b, fcp.a, fcp.params, 2).state, P);
  keep_pair_state(dir, pair, run_keeping(fcp.land, fcp.a, fcp.b, fcp.params, 6).state, P);
  EXPECT_FALSE(dir.finished("unfinished-0-1-step-2.npy"));
  EXPECT_TRUE(dir.finished("unfinished-0-1-step-6.npy"));
  EXPECT_EQ(kept_pair_state(dir, pair, P, fcp.params)->steps_done, 6);
  forget_pair_state(dir, pair);
  EXPECT_FALSE(dir.finished("unfinished-0-1.txt"));
  EXPECT_FALSE(dir.finished("unfinished-0-1-step-6.npy"));
  EXPECT_FALSE(kept_pair_state(dir, pair, P, fcp.params));
  EXPECT_TRUE(kept_pair_state(dir, other, P, fcp.params));  // another pair's state stays
  // Arrays whose text a kill cut off go too.
  testing::write_bytes(dir.file("unfinished-0-1-step-4.npy"), "partial");
  forget_pair_state(dir, pair);
  EXPECT_FALSE(dir.finished("unfinished-0-1-step-4.npy"));
}

TEST(PairStateFiles, AStateForAnotherRunOrDamagedNamesItsFile) {
  const FcpCase fcp;
  const RunDirectory dir(testing::temp_dir());
  const PathPair pair{2, 5};
  const std::size_t P = fcp.land.dimension();
  keep_pair_state(dir, pair, run_keeping(fcp.land, fcp.a, fcp.b, fcp.params, 4).state, P);
  const std::string file = pair_state_file(dir, pair);
  PathParams more_terms = fcp.params;
  more_terms.terms = 4;
  testing::expect_error([&] { kept_pair_state(dir, pair, P, more_terms); }, {file, "terms", "afresh"});
  testing::expect_error([&] { kept_pair_state(dir, pair, P + 1, fcp.params); }, {file, "dimensions"});
  PathParams fewer_steps = fcp.params;
  fewer_steps.steps = 3;
  testing::expect_error([&] { kept_pair_state(dir, pair, P, fewer_steps); }, {file, "after step 4"});
  PathParams more_points = fcp.params;
  more_points.points = 11;
  testing::expect_error([&] { kept_pair_state(dir, pair, P, more_points); }, {file, "points"});

  const std::string text = read_whole_file(file);
  const auto with = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    testing::write_bytes(file, t);
  };
  with("best = ", "best = x");
  testing::expect_error([&] { kept_pair_state(dir, pair, P, fcp.params); }, {file, "not a number"});
  with("\nseconds = ", "\nwall = ");
  testing::expect_error([&] { kept_pair_state(dir, pair, P, fcp.params); }, {file, "'seconds'"});
  testing::write_bytes(file, text);
  fs::remove(dir.file("unfinished-2-5-step-4.npy"));
  testing::expect_error([&] { kept_pair_state(dir, pair, P, fcp.params); }, {file, "missing"});
}

// --- run_path_pairs ---------------------------------------------------------------------------

struct Interrupted {};  // what the step observer throws: a kill after a step

// Runs the pair 0-1 of `fcp` in `dir`, interrupted after step `stop` if it is > 0; the steps the
// observer heard.
std::vector<int> run_pair(const FcpCase& fcp, const std::string& dir, int stop, bool trace = false) {
  PathRunSettings settings;
  settings.params.fourier = fcp.params;
  PathRunFiles files;
  files.keep_state_seconds = 0;  // after every step
  files.trace.trace = trace;
  PathRun run(dir, Settings().add("landscape", "fcp on 40 pseudo-images"), files);
  const EndPoints ends = [&](int64_t r) { return r == 0 ? fcp.a.data() : fcp.b.data(); };
  std::vector<int> heard;
  run_path_pairs(
      fcp.land, ends, {{0, 1}}, settings, run, "", [](const PairDone&) {},
      [&](const PairStep& s) {
        heard.push_back(s.step);
        if (s.step == stop) throw Interrupted{};
      });
  return heard;
}

TEST(PathRunPairs, AnInterruptedPairContinuesFromItsKeptStep) {
  const FcpCase fcp;
  const std::string whole = testing::temp_dir(), cut = testing::temp_dir();
  run_pair(fcp, whole, 0);
  EXPECT_THROW(run_pair(fcp, cut, 5), Interrupted);
  EXPECT_TRUE(fs::exists(cut + "/unfinished-0-1.txt"));
  const std::string table = cut + "/paths.csv";
  EXPECT_TRUE(!fs::exists(table) || read_whole_file(table).find("\n0,1,") == std::string::npos);
  const std::vector<int> heard = run_pair(fcp, cut, 0);
  ASSERT_FALSE(heard.empty());
  EXPECT_EQ(heard.front(), 6);  // steps 1..5 were not taken again
  EXPECT_EQ(read_whole_file(cut + "/paths.csv"), read_whole_file(whole + "/paths.csv"));
  EXPECT_EQ(read_whole_file(cut + "/profiles.csv"), read_whole_file(whole + "/profiles.csv"));
  for (const auto& e : fs::directory_iterator(cut))
    EXPECT_EQ(e.path().filename().string().rfind("unfinished-", 0), std::string::npos) << e.path();
}

TEST(PathRunPairs, ATracedPairKeepsNoStateAndStartsAfresh) {
  const FcpCase fcp;
  const std::string dir = testing::temp_dir();
  EXPECT_THROW(run_pair(fcp, dir, 5, true), Interrupted);
  EXPECT_FALSE(fs::exists(dir + "/unfinished-0-1.txt"));
  EXPECT_EQ(run_pair(fcp, dir, 0, true).front(), 1);
}

}  // namespace
}  // namespace landscape
