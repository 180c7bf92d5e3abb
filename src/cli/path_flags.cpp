#include "cli/path_flags.hpp"

#include <cmath>
#include <optional>

#include "cli/common_flags.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"

namespace landscape {

namespace {

// --from / --to as X,Y; none when not given (the surface's classic end points).
std::optional<Point2> parse_point(const Args& args, const std::string& flag) {
  if (!args.given(flag)) return std::nullopt;
  const std::string text = args.str(flag);
  const std::vector<std::string> parts = split_commas(text);
  Point2 p{};
  bool ok = parts.size() == 2;
  for (std::size_t k = 0; ok && k < 2; ++k) {
    std::size_t used = 0;
    try {
      p[k] = std::stod(parts[k], &used);
    } catch (...) {
      used = 0;
    }
    ok = !parts[k].empty() && used == parts[k].size() && std::isfinite(p[k]);
  }
  if (!ok) throw UsageError("--" + flag + " expects X,Y (two numbers), e.g. -0.558,1.442; got '" +
                            text + "'");
  return p;
}

}  // namespace

void add_path_method_flags(Args& args) {
  args.declare(PathParams::table())
      .declare(NebParams::table())
      .declare(CurveParams::table())
      .toggle("refine", "descend from the path's highest point to its saddle (climbing image)")
      .declare(RefineParams::table());
}

PathMethodParams read_path_method_params(const Args& args) {
  PathMethodParams m;
  args.read(PathParams::table(), m.fourier);
  args.read(NebParams::table(), m.neb);
  args.read(CurveParams::table(), m.curve);
  m.check();
  return m;
}

RefineParams read_refine_params(const Args& args) {
  const RefineParams r = args.read(RefineParams::table());
  r.check();
  return r;
}

void add_path_landscape_flags(Args& args) {
  args.flag("arch", "", "model: fcp | lenet | lstm | ae (with --weights)")
      .flag("weights", "", ".npy file, one weight vector per row")
      .flag("pairs", "", "pairs of rows, e.g. 0-1,2-3 (path from the first to the second)")
      .flag("random-pairs", "0", "N distinct unordered pairs drawn with --seed")
      .flag("seed", "1", "seed of --random-pairs, the gradient noise and the curves' t")
      .flag("split", "train", "train | test: the landscape's dataset")
      .flag("images", "0", "use the first N images of the split (0 = all)")
      .flag("landscape", "", "fig3 | mueller-brown: a 2-D test surface instead of a model")
      .flag("from", "", "X,Y on the surface; none: fig3's w1, Mueller-Brown's minimum A")
      .flag("to", "", "X,Y on the surface; none: fig3's w2, Mueller-Brown's minimum B");
  add_model_flags(args);
}

PathProblemSpec read_path_problem(const Args& args) {
  PathProblemSpec spec;
  spec.seed = std::uint64_t(args.integer("seed", 0, (1LL << 62)));
  spec.random_pairs = args.integer("random-pairs", 0, 1LL << 40);
  spec.surface = args.str("landscape");
  spec.from = parse_point(args, "from");
  spec.to = parse_point(args, "to");
  if (args.given("arch")) spec.arch = args.str("arch");
  if (args.given("weights")) spec.weights = args.str("weights");
  if (args.given("pairs")) spec.pairs = args.str("pairs");
  spec.activation = args.str("activation");
  if (spec.surface.empty()) {  // the model's flags, read only where they count
    spec.split = parse_split(args.str("split"));
    spec.images = int(args.integer("images", 0, 60000));
  }
  spec.data_dir = args.str("data");
  return spec;
}

}  // namespace landscape
