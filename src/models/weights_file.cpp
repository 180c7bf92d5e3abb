#include "models/weights_file.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "models/model_description.hpp"

namespace landscape {

NpyMatrix read_weights(const std::string& path, const Model& model) {
  NpyMatrix m = read_npy(path);
  if (m.rows == 0)
    throw Error(path + ": holds no weight vector (shape (0, " + std::to_string(m.cols) +
                ")); a weights file has one "
                "vector per row");
  const size_t P = model.num_params();
  if (size_t(m.cols) != P) {
    std::string hint = model.weights_length_hint(size_t(m.cols));
    if (size_t(m.rows) == P && !m.one_dimensional)
      hint = "; the file is [" + std::to_string(P) + ", " + std::to_string(m.cols) +
             "]: one vector per column. " + "Save it transposed, one vector per row (np.save(f, W.T))";
    throw Error(path + ": weight vectors of length " + std::to_string(m.cols) + ", but the " + model.arch() +
                " model has " + std::to_string(P) + " parameters" + hint);
  }
  require_finite_weights(path, m);
  return m;
}

NpyMatrix read_weights_or_model_file(const std::string& path, const std::string& arch, const Model& model) {
  if (!path.empty()) return read_weights(path, model);
  const std::string file = model_description_path(arch);
  const ModelDescription d = read_model_description(file);
  if (d.weights.empty())
    throw UsageError("--weights is needed: " + file +
                     " holds no weights (an .onnx model does; a description does not)");
  NpyMatrix m;
  m.rows = 1;
  m.cols = int64_t(d.weights.size());
  m.one_dimensional = true;
  m.dtype = "<f8";
  m.data.assign(d.weights.begin(), d.weights.end());
  if (size_t(m.cols) != model.num_params()) throw Error(file + ": its weights do not fit its model");
  require_finite_weights(file, m);
  return m;
}

// A NaN or Inf weight makes every loss, distance or kernel computed from it NaN: refuse it here,
// by position, rather than let it pass silently into a result file.
void require_finite_weights(const std::string& path, const NpyMatrix& m) {
  for (size_t k = 0; k < m.data.size(); ++k)
    if (!std::isfinite(m.data[k]))
      throw Error(path + ": row " + std::to_string(k / size_t(m.cols)) + ", component " +
                  std::to_string(k % size_t(m.cols)) + " is " + std::to_string(m.data[k]) +
                  " (weight vectors must be finite)");
}

std::vector<int64_t> parse_rows(const std::string& spec, int64_t rows) {
  std::vector<int64_t> out;
  if (spec == "all") {
    for (int64_t r = 0; r < rows; ++r) out.push_back(r);
    return out;
  }
  for (const std::string& item : split_commas(spec)) {
    const std::optional<long long> r = whole_integer(item);
    if (!r) throw UsageError("--rows expects 'all' or row numbers like 0,3,7; got '" + spec + "'");
    if (*r < 0 || *r >= rows)
      throw UsageError("--rows: row " + item + " does not exist (the file has " + std::to_string(rows) +
                       " rows)");
    out.push_back(*r);
  }
  if (out.empty()) throw UsageError("--rows selects no row; give 'all' or row numbers like 0,3,7");
  return out;
}

}  // namespace landscape
