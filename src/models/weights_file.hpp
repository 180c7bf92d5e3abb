// Weight vectors on disk: .npy, 1-D (one vector) or 2-D (one vector per row), flat in PyTorch's
// parameters() order. A file whose width is not the model's parameter count is an Error that
// names the file and both sizes.
#pragma once

#include <string>
#include <vector>

#include "io/npy.hpp"
#include "models/model.hpp"

namespace landscape {

// Reads the file and checks its width against the model and that every weight is finite.
NpyMatrix read_weights(const std::string& path, const Model& model);
// `path` when given, else the weights the model file itself holds (an ONNX model's initializers,
// one row); a UsageError naming --weights when neither is there.
NpyMatrix read_weights_or_model_file(const std::string& path, const std::string& arch, const Model& model);
// Error naming the file, row and component of the first NaN or Inf.
void require_finite_weights(const std::string& path, const NpyMatrix& m);

// "all" -> 0..rows-1; "3,0,7" -> those rows (each checked against rows).
std::vector<int64_t> parse_rows(const std::string& spec, int64_t rows);

}  // namespace landscape
