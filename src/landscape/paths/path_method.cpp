#include "landscape/paths/path_method.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "landscape/paths/bezier_curve.hpp"
#include "landscape/paths/polygonal_chain.hpp"

namespace landscape {

PathMethod parse_path_method(const std::string& name) { return parse_enum(kPathMethodNames, name, "method"); }

std::string to_string(PathMethod method) { return enum_name(kPathMethodNames, method); }

void PathMethodParams::check() const {
  fourier.check();
  neb.check();
  curve.check();
}

PathMethodParams PathMethodParams::with_budget(PathMethod method, long budget) const {
  if (budget < 1) throw UsageError("--budget must be at least 1");
  PathMethodParams p = *this;
  switch (method) {
    case PathMethod::Fourier:  // steps b^0 .. b^{steps-1} with gradients at all M points
      p.fourier.steps = int(budget / p.fourier.points);
      break;
    case PathMethod::Neb:
      p.neb.budget = budget;
      p.neb.steps = 1 << 30;  // the budget stops it
      break;
    case PathMethod::Bezier:
    case PathMethod::PolyChain:
      p.curve.budget = budget;
      p.curve.steps = int(std::min<long>(budget / p.curve.samples, 1 << 30));
      break;
  }
  return p;
}

FoundPath find_path(PathMethod method, const Landscape& f, std::span<const Scalar> w_i,
                    std::span<const Scalar> w_j, const PathMethodParams& params, const StepLandscapes& steps,
                    const StepObserver& on_step, const PathStepTracer& on_trace,
                    const PathResumption& resume) {
  switch (method) {
    case PathMethod::Fourier: {
      FourierPathFinder finder(f, w_i, w_j, params.fourier, steps);
      finder.observe_steps(on_step);
      finder.trace_steps(on_trace);
      finder.keep_state(resume.keeper);
      FoundPath path;
      path.result = finder.run(resume.from);
      path.points.resize(std::size_t(params.fourier.points) * f.dimension());
      finder.path_points(path.result.b.data(), path.points.data());
      path.coefficients = path.result.b;
      path.coefficient_rows = std::size_t(params.fourier.terms);
      return path;
    }
    case PathMethod::Neb: return find_neb_path(f, w_i, w_j, params.neb);
    case PathMethod::Bezier: return find_bezier_path(f, w_i, w_j, params.curve);
    case PathMethod::PolyChain: return find_polygonal_chain_path(f, w_i, w_j, params.curve);
  }
  throw Error("unknown path method");
}

}  // namespace landscape
