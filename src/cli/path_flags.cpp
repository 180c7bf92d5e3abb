#include "cli/path_flags.hpp"

#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "cli/common_flags.hpp"
#include "core/strings.hpp"
#include "landscape/analytic_landscapes.hpp"
#include "landscape/model_landscape.hpp"
#include "models/weights_file.hpp"

namespace landscape {

namespace {

// Mueller-Brown's deepest minimum A and the minimum B across both saddles (Mueller & Brown
// 1979): the classic test of a path finder, whose barrier is the saddle near (-0.822, 0.624).
constexpr Point2 kMuellerBrownFrom = {-0.558, 1.442};
constexpr Point2 kMuellerBrownTo = {0.623, 0.028};

Point2 parse_point(const Args& args, const std::string& flag, Point2 fallback) {
  if (!args.given(flag)) return fallback;
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

std::string point_text(const Scalar* x) {
  std::ostringstream s;
  s.precision(17);
  s << x[0] << ',' << x[1];
  return s.str();
}

}  // namespace

std::uint64_t pair_seed(std::uint64_t seed, const PathPair& p) {
  uint64_t z = seed ^ (uint64_t(p.i) * 0x9E3779B97F4A7C15ull) ^ (uint64_t(p.j) << 32 | 0x5bd1e995);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

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

std::string path_method_settings(PathMethod method, const PathMethodParams& p) {
  std::ostringstream s;
  s.precision(17);
  switch (method) {
    case PathMethod::Fourier: return "";
    case PathMethod::Neb:
      s << "method neb\nlr " << p.neb.lr << "\nsteps " << p.neb.steps << "\nneb-images "
        << p.neb.images << "\nneb-max-images " << p.neb.max_images << "\nneb-spring "
        << p.neb.spring << "\nneb-cycle " << p.neb.cycle_steps << "\nneb-insert "
        << p.neb.insert_tolerance << "\n";
      break;
    case PathMethod::Bezier:
    case PathMethod::PolyChain:
      s << "method " << to_string(method) << "\nlr " << p.curve.lr << "\nsteps " << p.curve.steps
        << "\ncurve-samples " << p.curve.samples << "\npoints " << p.curve.points << "\n";
      break;
  }
  return s.str();
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

PathProblem::PathProblem(const Args& args) : surface_(args.str("landscape")) {
  seed_ = std::uint64_t(args.integer("seed", 0, (1LL << 62)));
  const long long n_random = args.integer("random-pairs", 0, 1LL << 40);
  if (!surface_.empty()) {
    if (args.given("arch") || args.given("weights"))
      throw UsageError("give --landscape, or --arch and --weights, not both");
    if (args.given("pairs") || n_random > 0)
      throw UsageError("--pairs and --random-pairs need --weights; on --landscape the path runs "
                       "from --from to --to");
    Point2 from, to;
    if (surface_ == "fig3") {
      land_ = std::make_unique<Figure3Landscape>();
      from = parse_point(args, "from", Figure3Landscape::kStart);
      to = parse_point(args, "to", Figure3Landscape::kEnd);
    } else if (surface_ == "mueller-brown") {
      land_ = std::make_unique<MuellerBrownLandscape>();
      from = parse_point(args, "from", kMuellerBrownFrom);
      to = parse_point(args, "to", kMuellerBrownTo);
    } else {
      throw UsageError("--landscape must be fig3 or mueller-brown, not '" + surface_ + "'");
    }
    ends_.rows = 2;
    ends_.cols = 2;
    ends_.data = {Scalar(from[0]), Scalar(from[1]), Scalar(to[0]), Scalar(to[1])};
    pairs_ = {PathPair{0, 1}};
    return;
  }
  if (args.given("from") || args.given("to"))
    throw UsageError("--from and --to need --landscape fig3|mueller-brown");
  if (!args.given("arch") || !args.given("weights"))
    throw UsageError("give --arch and --weights (or --landscape fig3|mueller-brown)");
  model_ = make_model(args.str("arch"), parse_activation(args.str("activation")));
  ends_ = read_weights(args.str("weights"), *model_);
  if (args.given("pairs") == (n_random > 0))
    throw UsageError("give either --pairs or --random-pairs N");
  pairs_ = args.given("pairs") ? parse_pairs(args.str("pairs"), ends_.rows)
                               : random_pairs(ends_.rows, n_random, seed_);
  const int images = int(args.integer("images", 0, 60000));
  data_ = load_mnist(resolve_data_dir(args.str("data")), parse_split(args.str("split")),
                     images > 0 ? images : -1);
  land_ = std::make_unique<ModelLandscape>(*model_, data_);
}

std::string PathProblem::settings(const Args& args) const {
  std::ostringstream s;
  s.precision(17);
  if (analytic()) {
    s << "landscape " << surface_ << "\nfrom " << point_text(row(0)) << "\nto "
      << point_text(row(1)) << "\nprecision " << kPrecisionName << "\n";
  } else {
    s << "arch " << args.str("arch") << "\nactivation " << args.str("activation") << "\nweights "
      << args.str("weights") << "\nsplit " << args.str("split") << "\nimages " << data_.size()
      << "\nprecision " << kPrecisionName << "\n";
  }
  return s.str();
}

std::string PathProblem::name() const { return analytic() ? surface_ : model_->arch(); }

}  // namespace landscape
