#include "experiments/paths/path_problem.hpp"

#include "core/error.hpp"
#include "io/data_directory.hpp"
#include "landscape/model_landscape.hpp"
#include "models/weights_file.hpp"

namespace landscape {

namespace {

// Mueller-Brown's deepest minimum A and the minimum B across both saddles (Mueller & Brown
// 1979): the classic test of a path finder, whose barrier is the saddle near (-0.822, 0.624).
constexpr Point2 kMuellerBrownFrom = {-0.558, 1.442};
constexpr Point2 kMuellerBrownTo = {0.623, 0.028};

std::string point_text(const Scalar* x) {
  return parameter_text::number(x[0]) + "," + parameter_text::number(x[1]);
}

}  // namespace

PathProblem::PathProblem(const PathProblemSpec& spec) : spec_(spec) {
  if (spec_.surface)
    build_surface();
  else
    build_model();
}

void PathProblem::build_surface() {
  if (!spec_.arch.empty() || !spec_.weights.empty())
    throw UsageError("give --landscape, or --arch and --weights, not both");
  if (spec_.pairs || spec_.random_pairs > 0)
    throw UsageError(
        "--pairs and --random-pairs need --weights; on --landscape the path runs "
        "from --from to --to");
  Point2 from, to;
  switch (*spec_.surface) {
    case PathSurface::Fig3:
      land_ = std::make_unique<Figure3Landscape>();
      from = spec_.from.value_or(Figure3Landscape::kStart);
      to = spec_.to.value_or(Figure3Landscape::kEnd);
      break;
    case PathSurface::MuellerBrown:
      land_ = std::make_unique<MuellerBrownLandscape>();
      from = spec_.from.value_or(kMuellerBrownFrom);
      to = spec_.to.value_or(kMuellerBrownTo);
      break;
  }
  ends_.rows = 2;
  ends_.cols = 2;
  ends_.data = {Scalar(from[0]), Scalar(from[1]), Scalar(to[0]), Scalar(to[1])};
  pairs_ = {PathPair{0, 1}};
}

void PathProblem::build_model() {
  if (spec_.from || spec_.to) throw UsageError("--from and --to need --landscape fig3|mueller-brown");
  if (spec_.arch.empty() || spec_.weights.empty())
    throw UsageError("give --arch and --weights (or --landscape fig3|mueller-brown)");
  model_ = make_model(spec_);
  ends_ = read_model_weights(spec_, *model_);
  if (spec_.pairs.has_value() == (spec_.random_pairs > 0))
    throw UsageError("give either --pairs or --random-pairs N");
  pairs_ = spec_.pairs ? parse_pairs(*spec_.pairs, ends_.rows)
                       : random_pairs(ends_.rows, spec_.random_pairs, spec_.seed);
  data_ = load_examples(spec_, *model_);
  land_ = std::make_unique<ModelLandscape>(*model_, data_);
}

MiniBatchSource PathProblem::mini_batches(int batch) const {
  if (analytic()) return {};
  return mini_batch_source(*model_, data_, batch);
}

Settings PathProblem::settings() const {
  Settings s;
  if (analytic()) {
    s.fields(PathProblemSpec::table(), spec_, {"landscape"});
    s.add("from", point_text(row(0))).add("to", point_text(row(1))).add("precision", kPrecisionName);
    return s;
  }
  PathProblemSpec resolved = spec_;
  resolved.images = data_.size();  // "all" as the count, as an explicit N would be
  s.fields(PathProblemSpec::table(), resolved, {"arch", "activation", "weights", "split", "images"});
  s.add("precision", kPrecisionName).add_recorded_since_rule("data", examples_fingerprint(data_));
  return s;
}

}  // namespace landscape
