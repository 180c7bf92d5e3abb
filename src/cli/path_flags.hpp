// What `landscape path` and `landscape compare-paths` share: the flags of the path methods
// (landscape/paths/path_method.hpp) and of the landscape the paths run on, either a model's mean loss
// between rows of a weights file or a 2-D test surface between two points.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "experiments/paths/path_pairs.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "landscape/landscape.hpp"
#include "landscape/paths/path_method.hpp"
#include "landscape/paths/saddle_refinement.hpp"
#include "models/model.hpp"

namespace landscape {

// --terms --points --lambda --lr --steps --point-loss --grad-noise --select (FourierPathFinder),
// --neb-images --neb-max-images --neb-spring --neb-cycle --neb-insert, --curve-samples,
// --refine --refine-steps --refine-images.
void add_path_method_flags(Args& args);
PathMethodParams read_path_method_params(const Args& args);
RefineParams read_refine_params(const Args& args);
// "method neb\nneb-images 5\n..." for settings.txt; "" for fourier (its settings are the
// original ones, so directories made before --method existed resume).
std::string path_method_settings(PathMethod method, const PathMethodParams& p);

// --arch --weights --pairs --random-pairs --seed --split --images --activation --data, or
// --landscape fig3|mueller-brown --from X,Y --to X,Y.
void add_path_landscape_flags(Args& args);

// The landscape and end points the flags name. Not copyable: the landscape refers to members.
class PathProblem {
 public:
  explicit PathProblem(const Args& args);
  PathProblem(const PathProblem&) = delete;
  PathProblem& operator=(const PathProblem&) = delete;

  const Landscape& landscape() const { return *land_; }
  bool analytic() const { return !model_; }
  const std::vector<PathPair>& pairs() const { return pairs_; }
  const Scalar* row(int64_t i) const { return ends_.row(i); }  // end point i [P]
  const NpyMatrix& weights() const { return ends_; }
  std::uint64_t seed() const { return seed_; }
  // The lines of settings.txt that name the landscape (for a model exactly those written
  // before --method existed, so old directories resume).
  std::string settings(const Args& args) const;
  std::string name() const;  // "fig3", "mueller-brown", or the model's arch

 private:
  std::unique_ptr<Model> model_;
  Dataset data_;
  NpyMatrix ends_;  // the weights file, or the two points of --from and --to
  std::unique_ptr<Landscape> land_;
  std::vector<PathPair> pairs_;
  std::uint64_t seed_ = 1;
  std::string surface_;  // --landscape
};

// The noise and sampling stream of one pair: a function of (seed, i, j) only (splitmix64
// finaliser), so a pair gives the same path whatever ran before it and whether or not the run
// was resumed.
std::uint64_t pair_seed(std::uint64_t seed, const PathPair& p);

}  // namespace landscape
