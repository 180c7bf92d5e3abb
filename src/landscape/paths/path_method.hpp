// The path finders behind `landscape path --method` and `landscape compare-paths`, chosen by
// name, with their parameters side by side:
//   fourier    FourierPathFinder, Algorithm 2 of the paper (docs/algorithms.md §5)
//   neb        nudged elastic band with a climbing image, grown as AutoNEB (Draxler et al. 2018)
//   bezier     quadratic Bezier curve trained at random t (Garipov et al. 2018)
//   polychain  polygonal chain with one bend, trained the same way (Garipov et al. 2018)
// Each reports a FoundPath (found_path.hpp): the same columns of paths.csv for every method.
//
// Legend: P = landscape dimension.
#pragma once

#include <span>
#include <string>

#include "core/parameter_table.hpp"
#include "core/scalar.hpp"
#include "landscape/paths/found_path.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "landscape/paths/nudged_elastic_band.hpp"
#include "landscape/paths/trained_curve.hpp"

namespace landscape {

enum class PathMethod { Fourier, Neb, Bezier, PolyChain };
inline constexpr PathMethod kPathMethods[] = {PathMethod::Fourier, PathMethod::Neb, PathMethod::Bezier,
                                              PathMethod::PolyChain};
inline constexpr EnumName<PathMethod> kPathMethodNames[] = {{PathMethod::Fourier, "fourier"},
                                                            {PathMethod::Neb, "neb"},
                                                            {PathMethod::Bezier, "bezier"},
                                                            {PathMethod::PolyChain, "polychain"}};

PathMethod parse_path_method(const std::string& name);  // UsageError naming --method
std::string to_string(PathMethod method);

struct PathMethodParams {
  PathParams fourier;  // --terms --points --lambda --lr --steps --point-loss --grad-noise --select
  NebParams neb;       // --neb-* --lr --steps
  CurveParams curve;   // --curve-samples --points --lr --steps (Bezier and polygonal chain)
  void check() const;  // each method's check()

  // The same parameters with `method` held to `budget` gradient evaluations (a loss and its
  // gradient at one point): FourierPathFinder's steps cost M each (its M points, ends included),
  // the curves' S each, NEB's one per interior image (it stops itself).
  PathMethodParams with_budget(PathMethod method, long budget) const;
};

// The path from w_i to w_j [P] found by `method`. FourierPathFinder's noise seed and the
// curves' seed are in `params`; `steps` are FourierPathFinder's mini-batch landscapes when
// params.fourier.batch > 0 (docs/algorithms.md §5.7; the other methods take no batch);
// `on_step` hears of FourierPathFinder's steps, `on_trace` gets its step trace's rows and
// `resume` continues it from a kept state and keeps its state as it goes (§5.8; the other
// methods report none and start afresh).
FoundPath find_path(PathMethod method, const Landscape& f, std::span<const Scalar> w_i,
                    std::span<const Scalar> w_j, const PathMethodParams& params,
                    const StepLandscapes& steps = {}, const StepObserver& on_step = {},
                    const PathStepTracer& on_trace = {}, const PathResumption& resume = {});

}  // namespace landscape
