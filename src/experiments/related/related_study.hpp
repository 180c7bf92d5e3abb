// The related studies (docs/algorithms.md §9-§12) at reduced scale, as `landscape reproduce --preset
// related` runs them (presets/related.conf): a walk with SGD, the spread of minima with network
// size and, on a briefly trained FCP, a surface plot and the Hessian spectrum; then one report.
//
//   OUT/preset.conf              the preset as run (a rerun must match it)
//   OUT/walk/                    experiments/related/sgd_walk.hpp
//   OUT/spread/                  experiments/related/minima_spread.hpp
//   OUT/brief/                   the briefly trained FCP (ensemble of one run)
//   OUT/surface/, OUT/hessian/   the surface plot and Hessian spectrum of its w_final
//   OUT/report/                  index.html, report.md: one section per study, figures
//   OUT/manifest.json            provenance, wall time per study
//
// A study whose directory holds its manifest.json is finished and is skipped on a rerun.
#pragma once

#include <string>

#include "experiments/support/study_options.hpp"
#include "io/run_directory.hpp"

namespace landscape {

// Stages: all (the studies, then the report) or report (the report alone).
void run_related_study(const StudyOptions& options, const RunDirectory& out);

// OUT/report/ from whatever studies of the preset have finished.
void write_related_report(const std::string& out, const Preset& preset);

}  // namespace landscape
