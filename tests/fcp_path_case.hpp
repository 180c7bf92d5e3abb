// Shared by the FourierPathFinder tests. A model landscape small enough to run many FourierPathFinder paths on: FCP's mean loss over
// 40 synthetic images, between two initialisations (tests of the finder, of stochastic steps
// and of kept states).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "experiments/paths/mini_batches.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "models/init.hpp"
#include "test_support.hpp"

namespace landscape::testing {

// The reported path of two runs, bit for bit: b, H, the profiles, the objective and its step.
inline void expect_same_path(const PathResult& x, const PathResult& y) {
  EXPECT_EQ(x.b, y.b);
  EXPECT_EQ(x.H, y.H);
  EXPECT_EQ(x.H_linear, y.H_linear);
  EXPECT_EQ(x.profile, y.profile);
  EXPECT_EQ(x.profile_linear, y.profile_linear);
  EXPECT_EQ(x.objective, y.objective);
  EXPECT_EQ(x.reported_step, y.reported_step);
}

struct FcpPathCase {
  std::unique_ptr<Model> model = make_model("fcp");
  Dataset data = pseudo_images(40, 21);
  ModelLandscape land{*model, data};
  std::vector<Scalar> a = init_weights(*model, 1), b = init_weights(*model, 2);
  PathParams params{.terms = 3, .points = 9, .lr = 0.01, .steps = 12};
  // A new source of step k's mini-batches of B images drawn from `seed` (none for B = 0), as
  // a new process would make it.
  StepLandscapes batches(int batch, std::uint64_t seed) const {
    return batch > 0 ? mini_batch_source(*model, data, batch)(seed) : StepLandscapes{};
  }
  // The path with params (and `batch`, `eval_every`), its mini-batches drawn from `seed`.
  PathResult run(int batch, int eval_every, std::uint64_t seed) const {
    PathParams p = params;
    p.batch = batch;
    p.eval_every = eval_every;
    FourierPathFinder finder(land, a, b, p, batches(batch, seed));
    return finder.run();
  }
};

}  // namespace landscape::testing
