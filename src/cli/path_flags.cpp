#include "cli/path_flags.hpp"

#include "cli/common_flags.hpp"

namespace landscape {

void add_path_method_flags(Args& args) {
  // One --lr, --steps and --points for every method: each reads its own field from them.
  args.declare(PathParams::table())
      .declare(NebParams::table(), {}, {"lr", "steps"})
      .declare(CurveParams::table(), {}, {"lr", "steps", "points"});
}

PathMethodParams read_path_method_params(const Args& args) {
  PathMethodParams m;
  args.read(PathParams::table(), m.fourier);
  args.read(NebParams::table(), m.neb);
  args.read(CurveParams::table(), m.curve);
  m.check();
  return m;
}

void add_path_landscape_flags(Args& args) { args.declare(PathProblemSpec::table()); }

namespace {
const ParameterTable<PathProblemSpec>& model_pairs_table() {
  static const auto t = PathProblemSpec::table().without({"landscape", "from", "to"});
  return t;
}
}  // namespace

void add_model_pairs_flags(Args& args) { args.declare(model_pairs_table()); }

PathProblemSpec read_model_pairs(const Args& args) { return args.read(model_pairs_table()); }

PathProblemSpec read_path_problem(const Args& args) { return args.read(PathProblemSpec::table()); }

}  // namespace landscape
