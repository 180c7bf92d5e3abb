// Presets of `landscape reproduce`: plain text files of `key = value` lines, `#` comments,
// blank lines ignored. A key may be prefixed by a model to override it for that model only
// (`lenet.runs = 4`). presets/quick.conf, presets/paper.conf and presets/mini.conf are the
// shipped ones; `--config FILE` reads a user's own. Unknown keys and bad values are errors that
// name the file, the line and the key.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/parameter_table.hpp"
#include "experiments/alignment/alignment_run.hpp"
#include "experiments/related/hessian_study.hpp"
#include "experiments/related/minima_spread.hpp"
#include "experiments/related/sgd_walk.hpp"
#include "experiments/related/surface_study.hpp"
#include "experiments/training/training_run.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "optim/sgd.hpp"

namespace landscape {

// The settings of one model's part of the study; its keys are table()'s names with '_' for
// '-' (train_images, path_terms, sgd_lr, ...).
struct StudyPlan {
  // The first N examples of each split; 0 (the default): all of it, MNIST's 60,000 and 10,000 or
  // a `data = DIR`'s own count, resolved when a study starts (run_in_study_directory) so every setting and
  // table names the count used.
  int train_images = 0, test_images = 0;
  int runs = 75, keep = 48;  // docs/algorithms.md §3: 75 initialisations, the best 48 kept
  int sgd_epochs = 100, lbfgs_epochs = 1000;
  SgdParams sgd;  // sgd_lr
  int batch = 64;
  int pairs = 300;              // random pairs per set (docs/algorithms.md §5)
  int path_images = 0;          // training images of the path landscape (0: all)
  PathParams path;              // path_terms, path_points, path_steps, path_lambda, path_lr,
                                // path_batch, path_eval_every (§5.7)
  bool test_landscape = false;  // also paths on the test landscape (Figure S2)
  // align = weight | activation (docs/algorithms.md §14.6): each set's pairs again on the training
  // landscape with row j permuted to match row i first, beside the plain paths (unset: none).
  std::optional<AlignMethod> align;
  // curvature_images = N > 0 (§10.10): the analysis stage adds every vector's Hessian and
  // Gauss-Newton lambda_max, Hessian trace and adaptive sharpness on the first N training images.
  int curvature_images = 0;
  static const ParameterTable<StudyPlan>& table();
};

inline const ParameterTable<StudyPlan>& StudyPlan::table() {
  using P = StudyPlan;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("train-images", &P::train_images, "training examples: the first N (0 = all)").range(0, 1 << 30)
      .field("test-images", &P::test_images, "test examples: the first N (0 = all)").range(0, 1 << 30)
      .field("runs", &P::runs, "training runs per optimizer").range(1, 100000)
      .field("keep", &P::keep, "runs kept, lowest training loss").range(1, 100000)
      .field("sgd-epochs", &P::sgd_epochs, "SGD epochs").range(1, 10000000)
      .field("lbfgs-epochs", &P::lbfgs_epochs, "L-BFGS-GSS iterations").range(1, 10000000)
      .include(&P::sgd, SgdParams::table(), "sgd-", {"lr"})
      .field("batch", &P::batch, "SGD mini-batch size").range(1, 60000)
      .field("pairs", &P::pairs, "random pairs per weight set").range(0, 10000000)
      .field("path-images", &P::path_images, "training examples of the path landscape (0 = all)").range(0, 1 << 30)
      .include(&P::path, PathParams::table(), "path-",
               {"terms", "points", "steps", "lambda", "lr", "batch", "eval-every"})
      .field("test-landscape", &P::test_landscape, "also paths on the test landscape")
      .field("align", &P::align, "weight | activation: the training landscape's pairs again after permutation "
             "alignment", kAlignMethodNames)
      .field("curvature-images", &P::curvature_images, "curvature and sharpness of every vector on the first N "
             "training images (0 = none)").range(0, 1 << 30);
  // clang-format on
  return t;
}

// The related studies (presets/related.conf) at reduced scale: the parameter structs of the
// studies themselves, with this preset's defaults. Their data subsets and seed are the preset's
// train_images, test_images and seed. Keys: table() below (walk_lr, spread_optimizers, ...).
struct RelatedPlan {
  // A walk with SGD (experiments/related/sgd_walk.hpp): every lr x batch from one initialisation.
  WalkConfig walk = [] {
    WalkConfig c;
    c.lrs = {0.1, 0.05};
    c.batches = {32, 128};
    return c;
  }();
  // Minima spread with width (experiments/related/minima_spread.hpp).
  SpreadConfig spread = [] {
    SpreadConfig c;
    c.optimizers = {SpreadOptimizer::Sgd, SpreadOptimizer::Anneal};
    return c;
  }();
  // The briefly trained FCP that the surface plot and the Hessian spectrum look at.
  TrainConfig brief = [] {
    TrainConfig c;
    c.epochs = 5;
    c.sgd.lr = 0.1;
    return c;
  }();
  SurfaceParams surface = [] {  // experiments/related/surface_study.hpp: 2-D, random
    SurfaceParams c;
    c.grid = 21;
    c.images = 500;
    return c;
  }();
  HessianStudyParams hessian = [] {  // experiments/related/hessian_study.hpp
    HessianStudyParams c;
    c.images = 500;
    c.iterations = 20;
    c.probes = 5;
    return c;
  }();
  static const ParameterTable<RelatedPlan>& table();
};

inline const ParameterTable<RelatedPlan>& RelatedPlan::table() {
  using P = RelatedPlan;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .include(&P::walk, WalkConfig::table(), "walk-",
               {"arch", "lr", "batch", "epochs", "every", "points", "eval-images"})
      .include(&P::spread, SpreadConfig::table(), "spread-",
               {"widths", "restarts", "optimizer", "pool", "epochs", "batch", "lr", "anneal-moves",
                "anneal-sweeps", "t-start", "t-end", "sigma"})
      .include(&P::brief, TrainConfig::table(), "brief-", {"epochs", "lr"})
      .include(&P::surface, SurfaceParams::table(), "surface-", {"grid", "images"})
      .include(&P::hessian, HessianStudyParams::table(), "hessian-", {"images", "iterations", "probes"});
  // clang-format on
  return t;
}

struct Preset {
  std::string name;  // file it came from
  std::vector<std::string> archs = {"fcp", "lenet", "lstm", "ae"};
  uint64_t seed = 0;
  bool figure3 = true;  // the 2-D example in the report
  // paper (default: the study of docs/algorithms.md §3-§8), or any of walk, spread, surface, hessian
  // (the related studies); the two kinds do not mix in one preset.
  std::vector<std::string> studies = {"paper"};
  RelatedPlan related;
  bool is_related() const { return studies.empty() || studies.front() != "paper"; }
  bool runs(const std::string& study) const;
  StudyPlan defaults;
  std::map<std::string, StudyPlan> per_arch;  // after overrides
  const StudyPlan& plan(const std::string& arch) const;
  // `model = FILE` (repeatable): a described network (models/model_description.hpp) studied
  // under its description's name, which then names its outputs (OUT/NAME/) and its per-model
  // keys (NAME.runs = 4). A preset with model keys and no archs key studies only those. Paths
  // are taken as given (relative to the directory reproduce runs in, as command-line flags).
  std::map<std::string, std::string> model_files;  // name -> file
  // `data = DIR`: the data directory when --data is not given (io/data_directory.hpp).
  std::string data_dir;
  // What make_model takes for a model of the study: its file, or the study's own short name.
  std::string model_spec(const std::string& arch) const;
};

// name: for messages (a path). Throws Error naming name:line for any problem.
Preset parse_preset(const std::string& name, const std::string& text);
Preset read_preset(const std::string& path);
// "quick" -> <source root>/presets/quick.conf (else the path itself).
std::string preset_path(const std::string& name_or_path);

}  // namespace landscape
