#include "experiments/paper/set_curvature.hpp"

#include <sstream>

#include "core/strings.hpp"
#include "experiments/support/progress.hpp"
#include "io/atomic_file.hpp"
#include "io/npy.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/sharpness/sharpness.hpp"
#include "landscape/spectra/curvature_operator.hpp"
#include "landscape/spectra/hutchinson_trace.hpp"
#include "landscape/spectra/lanczos.hpp"
#include "models/dataset_loss.hpp"

namespace landscape {

namespace {

// Ten significant digits, as the other result tables.
std::string number(double v) { return number_text(v, "%.10g"); }

}  // namespace

void analyse_set_curvature(const Model& model, const Dataset& data, const std::vector<std::string>& set_files,
                           const std::vector<std::string>& names, std::uint64_t seed,
                           const std::string& out_file) {
  const ModelLandscape f(model, data);
  std::ostringstream csv;
  csv << "set,row,loss,hessian_lambda_max,ggn_lambda_max,hessian_trace,hessian_trace_se,adaptive_sharpness\n";
  Progress progress;
  for (size_t s = 0; s < set_files.size(); ++s) {
    const NpyMatrix W = read_npy(set_files[s]);
    for (int64_t r = 0; r < W.rows; ++r) {
      progress.update("analysis " + model.arch() + ": curvature of " + names[s] + " row " +
                      std::to_string(r));
      const Scalar* w = W.row(r);
      const double loss = dataset_loss(model, data, w, nullptr).loss;
      const SymmetricOperator H = curvature_operator(Curvature::Hessian, model, data, w);
      const SymmetricOperator G = curvature_operator(Curvature::Ggn, model, data, w);
      const double h_max = extreme_eigenvalues(H, kCurvatureIterations, seed).lambda_max;
      const double g_max = extreme_eigenvalues(G, kCurvatureIterations, seed).lambda_max;
      const TraceEstimate tr = hutchinson_trace(H, kCurvatureProbes, seed + 1);
      const std::vector<double> c = sharpness_scale(SharpnessScale::Adaptive, w, model.num_params());
      const double sharp =
          worst_case_sharpness(f, w, loss, c, kStudySharpnessRho, AscentParams{20, 3, seed}).value;
      csv << names[s] << ',' << r << ',' << number(loss) << ',' << number(h_max) << ',' << number(g_max)
          << ',' << number(tr.trace) << ',' << number(tr.standard_error) << ',' << number(sharp) << '\n';
    }
  }
  progress.finish();
  write_text_atomic(out_file, csv.str());
}

}  // namespace landscape
