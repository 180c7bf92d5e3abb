// Where a path run's paths lie: a model's mean loss over a split of MNIST between rows of a
// weights file, or a 2-D test surface between two points (docs/algorithms.md §5 and §13). What
// `landscape path` and `landscape compare-paths` build from their flags; the flags themselves
// are read in cli/path_flags.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "core/settings_text.hpp"
#include "experiments/paths/mini_batches.hpp"
#include "experiments/paths/path_pairs.hpp"
#include "experiments/support/model_on_data.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "landscape/analytic_landscapes.hpp"
#include "landscape/landscape.hpp"
#include "models/model.hpp"

namespace landscape {

// The 2-D test surfaces a path may run on instead of a model.
enum class PathSurface { Fig3, MuellerBrown };
inline constexpr EnumName<PathSurface> kPathSurfaceNames[] = {{PathSurface::Fig3, "fig3"},
                                                              {PathSurface::MuellerBrown, "mueller-brown"}};

// What the flags say; which of them go together is checked by PathProblem, its usage errors
// naming the flags.
// A model (ModelOnData: --arch --weights --split --images --activation --data) and its pairs, or
// a 2-D surface and its two end points.
struct PathProblemSpec : ModelOnData {
  // no --arch unless given: a path may lie on a 2-D surface instead, and giving both is an error
  PathProblemSpec() { arch.clear(); }
  std::optional<std::string> pairs;  // --pairs "0-1,2-3"
  long long random_pairs = 0;        // --random-pairs N, drawn with the seed
  // or a 2-D surface (--landscape fig3|mueller-brown --from X,Y --to X,Y)
  std::optional<PathSurface> surface;
  std::optional<Point2> from, to;  // none: the surface's classic end points
  std::uint64_t seed = 1;          // --seed: random pairs, and each pair's draws (pair_seed)
  static const ParameterTable<PathProblemSpec>& table();
};

inline const ParameterTable<PathProblemSpec>& PathProblemSpec::table() {
  using P = PathProblemSpec;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .include_base(ModelOnData::table())
      .field("pairs", &P::pairs, "pairs of rows, e.g. 0-1,2-3 (path from the first to the second)")
      .field("random-pairs", &P::random_pairs, "N distinct unordered pairs drawn with --seed")
          .range(0, double(1LL << 40))
      .field("seed", &P::seed, "seed of --random-pairs, the gradient noise and the curves' t")
          .range(0, double(1LL << 62))
      .field("landscape", &P::surface, "fig3 | mueller-brown: a 2-D test surface instead of a model",
             kPathSurfaceNames)
      .field("from", &P::from, "X,Y on the surface; none: fig3's w1, Mueller-Brown's minimum A")
      .field("to", &P::to, "X,Y on the surface; none: fig3's w2, Mueller-Brown's minimum B");
  // clang-format on
  return t;
}

// The landscape and end points of a spec. Not copyable: the landscape refers to members.
class PathProblem {
 public:
  explicit PathProblem(const PathProblemSpec& spec);
  PathProblem(const PathProblem&) = delete;
  PathProblem& operator=(const PathProblem&) = delete;

  const Landscape& landscape() const { return *land_; }
  bool analytic() const { return !model_; }
  const std::vector<PathPair>& pairs() const { return pairs_; }
  const Scalar* row(int64_t i) const { return ends_.row(i); }  // end point i [P]
  const NpyMatrix& weights() const { return ends_; }
  const Model* model() const { return model_.get(); }  // null on a 2-D surface
  const Dataset& data() const { return data_; }        // the landscape's examples (a model's)
  std::uint64_t seed() const { return spec_.seed; }
  // The mini-batches of --batch B (docs/algorithms.md §5.7) over the landscape's images; empty
  // for B = 0 and on a 2-D surface (check_mini_batches refuses --batch there). UsageError
  // naming --batch when B exceeds the images.
  MiniBatchSource mini_batches(int batch) const;
  // The settings that name the landscape (docs/algorithms.md §17): the surface and its ends,
  // or the model, its weights, the split, the images used and their fingerprint.
  Settings settings() const;

 private:
  void build_surface();
  void build_model();

  PathProblemSpec spec_;
  std::unique_ptr<Model> model_;
  Dataset data_;
  NpyMatrix ends_;  // the weights file, or the two points of --from and --to
  std::unique_ptr<Landscape> land_;
  std::vector<PathPair> pairs_;
};

}  // namespace landscape
