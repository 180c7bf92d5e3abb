#include "cli/path_flags.hpp"

#include "cli/common_flags.hpp"

namespace landscape {

void add_path_method_flags(Args& args) {
  args.declare(PathParams::table()).declare(NebParams::table()).declare(CurveParams::table());
}

PathMethodParams read_path_method_params(const Args& args) {
  PathMethodParams m;
  args.read(PathParams::table(), m.fourier);
  args.read(NebParams::table(), m.neb);
  args.read(CurveParams::table(), m.curve);
  m.check();
  return m;
}

void add_path_landscape_flags(Args& args) {
  args.declare(PathProblemSpec::table());
  add_model_flags(args);
}

PathProblemSpec read_path_problem(const Args& args) {
  PathProblemSpec spec = args.read(PathProblemSpec::table());
  const ModelOptions model = args.read(ModelOptions::table());
  spec.activation = model.activation;
  spec.data_dir = model.data_dir;
  return spec;
}

}  // namespace landscape
