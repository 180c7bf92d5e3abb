#include "landscape/surfaces/filter_normalization.hpp"

#include <cmath>

namespace landscape {

bool is_bias(const ParamBlock& block) { return block.shape.size() == 1; }

int filter_count(const ParamBlock& block) { return is_bias(block) ? 0 : block.shape[0]; }

void normalize_filters(const Model& model, const Scalar* w, Scalar* d, bool include_biases) {
  for (const ParamBlock& b : model.layout()) {
    const Scalar* wb = w + b.offset;
    Scalar* db = d + b.offset;
    if (is_bias(b)) {  // Li et al.: zero by default, else a copy of the bias
      for (size_t i = 0; i < b.size(); ++i) db[i] = include_biases ? wb[i] : Scalar(0);
      continue;
    }
    const int F = filter_count(b);
    const size_t n = b.size() / size_t(F);  // entries per filter
    for (int f = 0; f < F; ++f) {
      const Scalar* wf = wb + size_t(f) * n;
      Scalar* df = db + size_t(f) * n;
      double ww = 0, dd = 0;
      for (size_t i = 0; i < n; ++i) {
        ww += double(wf[i]) * double(wf[i]);
        dd += double(df[i]) * double(df[i]);
      }
      // d_f <- d_f * |w_f| / (|d_f| + 1e-10)
      const double scale = std::sqrt(ww) / (std::sqrt(dd) + 1e-10);
      for (size_t i = 0; i < n; ++i) df[i] = Scalar(double(df[i]) * scale);
    }
  }
}

std::vector<Scalar> random_filter_direction(const Model& model, const Scalar* w, Rng& rng,
                                            bool include_biases) {
  std::vector<Scalar> d(model.num_params());
  for (Scalar& x : d) x = Scalar(rng.normal());
  normalize_filters(model, w, d.data(), include_biases);
  return d;
}

}  // namespace landscape
