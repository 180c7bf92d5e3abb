#include "experiments/related/sharpness_study.hpp"

#include <chrono>
#include <cstdio>
#include <sstream>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/wall_clock.hpp"
#include "experiments/support/progress.hpp"
#include "io/provenance.hpp"
#include "io/run_directory.hpp"
#include "landscape/model_landscape.hpp"
#include "models/dataset_loss.hpp"
#include "models/weights_file.hpp"

namespace landscape {

namespace {

// Ten significant digits, as the other result tables.
std::string number(double v) { return number_text(v, "%.10g"); }

std::string csv_text(const std::vector<SharpnessRow>& rows) {
  std::ostringstream csv;
  csv << "row,loss,measure,scale,rho,value,standard_error,evaluations\n";
  for (const SharpnessRow& r : rows)
    csv << r.row << ',' << number(r.loss) << ',' << r.measure << ',' << r.scale << ',' << number(r.rho) << ','
        << number(r.value.value) << ',' << number(r.value.standard_error) << ',' << r.value.evaluations
        << '\n';
  return csv.str();
}

}  // namespace

std::vector<SharpnessRow> sharpness_of(const Model& model, const Dataset& data, const Scalar* w, long row,
                                       const SharpnessStudyParams& p) {
  const ModelLandscape f(model, data);
  const double loss = dataset_loss(model, data, w, nullptr).loss;
  const AscentParams ascent{p.steps, p.restarts, p.seed};
  std::vector<SharpnessRow> out;
  for (SharpnessScale scale : p.scales) {
    const std::vector<double> c = sharpness_scale(scale, w, model.num_params());
    const std::string name = enum_name(kSharpnessScaleNames, scale);
    for (double rho : p.rho) {
      out.push_back({row, loss, "worst", name, rho, worst_case_sharpness(f, w, loss, c, rho, ascent)});
      out.push_back(
          {row, loss, "average", name, rho, average_sharpness(f, w, loss, c, rho, p.samples, p.seed)});
    }
  }
  if (p.epsilon > 0)
    out.push_back({row, loss, "keskar", "box", p.epsilon, keskar_sharpness(f, w, loss, p.epsilon, ascent)});
  return out;
}

std::vector<SharpnessRow> run_sharpness(const SharpnessStudyParams& params, const std::string& out_dir,
                                        const std::string& command_line) {
  SharpnessStudyParams::table().check(params);
  if (params.weights.empty()) throw UsageError("--weights is required");
  const auto started = std::chrono::steady_clock::now();
  const auto [model, weights, data] = load_model_on_data(params);
  const std::vector<int64_t> rows = parse_rows(params.rows, weights.rows);
  const RunDirectory dir(out_dir);
  std::vector<SharpnessRow> all;
  Progress progress;
  for (size_t k = 0; k < rows.size(); ++k) {
    progress.update("sharpness: row " + std::to_string(rows[k]) + " (" + std::to_string(k + 1) + "/" +
                        std::to_string(rows.size()) + ")",
                    true);
    for (SharpnessRow& r : sharpness_of(*model, data, weights.row(rows[k]), long(rows[k]), params))
      all.push_back(std::move(r));
  }
  progress.finish();
  dir.write("sharpness.csv", csv_text(all));
  dir.write_manifest(settings_manifest(command_line, SharpnessStudyParams::table(), params,
                                       Settings().add("data", examples_fingerprint(data)))
                         .add("images_used", (long long)data.size())
                         .add("wall_seconds", seconds_since(started)));
  return all;
}

}  // namespace landscape
