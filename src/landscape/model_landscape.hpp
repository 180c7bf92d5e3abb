// A model's mean loss over a dataset split, seen as a landscape over its flat weight vector
// (the landscape of docs/algorithms.md §4 and §5). Satisfies both Landscape and the
// Objective concept.
#pragma once

#include <vector>

#include "io/mnist.hpp"
#include "landscape/landscape.hpp"
#include "models/dataset_loss.hpp"
#include "models/dataset_loss_many.hpp"
#include "models/model.hpp"

namespace landscape {

class ModelLandscape : public Landscape {
 public:
  // Both references must outlive the landscape.
  ModelLandscape(const Model& model, const Dataset& data) : model_(model), data_(data) {}
  std::size_t dimension() const override { return model_.num_params(); }
  double evaluate(const Scalar* x, Scalar* grad) const override {
    return dataset_loss(model_, data_, x, grad).loss;
  }
  void evaluate_many(const Scalar* X, std::size_t K, double* f, Scalar* G) const override;
  std::string describe() const override {
    return model_.arch() + " mean loss over " + std::to_string(data_.size()) + " images";
  }
  const Model& model() const { return model_; }
  const Dataset& data() const { return data_; }

 private:
  const Model& model_;
  const Dataset& data_;
};

inline void ModelLandscape::evaluate_many(const Scalar* X, std::size_t K, double* f,
                                          Scalar* G) const {
  std::vector<DatasetLoss> r(K);
  dataset_loss_many(model_, data_, X, K, r.data(), G);
  for (std::size_t k = 0; k < K; ++k) f[k] = r[k].loss;
}

}  // namespace landscape
