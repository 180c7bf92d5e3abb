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
  void evaluate_many(const Scalar* X, std::size_t M, double* f, Scalar* G,
                     const PointBasis* basis = nullptr) const override;
  void evaluate_many_combined(const Scalar* X, std::size_t M, double* f,
                              const GradientCombination& combination,
                              const PointBasis* basis = nullptr) const override {
    std::vector<DatasetLoss> r(M);
    dataset_loss_many_combined(model_, data_, X, M, r.data(), combination, 0, basis);
    for (std::size_t m = 0; m < M; ++m) f[m] = r[m].loss;
  }
  std::string describe() const override {
    return model_.arch() + " mean loss over " + std::to_string(data_.size()) + " images";
  }
  const Model& model() const { return model_; }
  const Dataset& data() const { return data_; }

 private:
  const Model& model_;
  const Dataset& data_;
};

inline void ModelLandscape::evaluate_many(const Scalar* X, std::size_t M, double* f, Scalar* G,
                                          const PointBasis* basis) const {
  std::vector<DatasetLoss> r(M);
  dataset_loss_many(model_, data_, X, M, r.data(), G, 0, basis);
  for (std::size_t m = 0; m < M; ++m) f[m] = r[m].loss;
}

}  // namespace landscape
