#include "experiments/support/model_on_data.hpp"

#include "io/data_directory.hpp"
#include "models/weights_file.hpp"

namespace landscape {

std::unique_ptr<Model> make_model(const ModelOnData& m) { return make_model(m.arch, m.activation); }

NpyMatrix read_model_weights(const ModelOnData& m, const Model& model) {
  return read_weights_or_model_file(m.weights, m.arch, model);
}

Dataset load_examples(const ModelOnData& m, const Model& model) {
  Dataset data = load_dataset(resolve_data_dir(m.data_dir), m.split, m.images > 0 ? m.images : -1);
  check_data_fits(data, model, "--arch " + m.arch);
  return data;
}

LoadedModelOnData load_model_on_data(const ModelOnData& m) {
  LoadedModelOnData loaded;
  loaded.model = make_model(m);
  loaded.weights = read_model_weights(m, *loaded.model);
  loaded.data = load_examples(m, *loaded.model);
  return loaded;
}

}  // namespace landscape
