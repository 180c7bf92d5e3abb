// landscape eval: mean loss and accuracy of weight vectors on a split of MNIST.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "experiments/support/model_on_data.hpp"
#include "io/atomic_file.hpp"
#include "models/dataset_loss_many.hpp"
#include "models/weights_file.hpp"

namespace landscape {

namespace {
struct EvalOptions : ModelOnData {  // the model, its weights and the examples
  std::string rows = "all";         // 'all' or row numbers
  std::string out;                  // CSV file ("" = stdout)
  static const ParameterTable<EvalOptions>& table() {
    using P = EvalOptions;
    // clang-format off
    static const auto t = ParameterTable<P>()
        .include_base(ModelOnData::table())
        .field("rows", &P::rows, "'all' or row numbers, e.g. 0,3,7")
        .field("out", &P::out, "CSV file to write (none: stdout)");
    // clang-format on
    return t;
  }
};
}  // namespace

int cmd_eval(int argc, char** argv) {
  Args args("eval",
            "For each chosen row of a weights file: the mean loss and the accuracy (classifiers)\n"
            "on a split of the data (--data). CSV columns row,loss,accuracy (accuracy empty for the AE).\n"
            "Without --weights, an .onnx model's own weights.");
  args.declare(EvalOptions::table()).require({"arch"});
  if (!parse_with_threads(args, argc, argv)) return 0;

  const EvalOptions o = args.read(EvalOptions::table());
  const auto [model, weights, data] = load_model_on_data(o);
  std::vector<int64_t> rows = parse_rows(o.rows, weights.rows);

  std::ostringstream csv;
  csv << "row,loss,accuracy\n";
  csv.precision(10);
  // A group of rows per pass over the data (dataset_loss_many, docs/algorithms.md §2.6).
  const size_t P = model->num_params(), group = kPointsPerGroup;
  std::vector<Scalar> W(group * P);
  std::vector<DatasetLoss> r(group);
  for (size_t k0 = 0; k0 < rows.size(); k0 += group) {
    const size_t g = std::min(group, rows.size() - k0);
    for (size_t k = 0; k < g; ++k)
      std::copy(weights.row(rows[k0 + k]), weights.row(rows[k0 + k]) + P, W.data() + k * P);
    dataset_loss_many(*model, data, W.data(), g, r.data(), nullptr);
    for (size_t k = 0; k < g; ++k) {
      csv << rows[k0 + k] << ',' << r[k].loss << ',';
      if (model->is_classifier()) csv << r[k].accuracy();
      csv << '\n';
    }
    std::fprintf(stderr, "\reval: row %zu/%zu", k0 + g, rows.size());
  }
  std::fprintf(stderr, "\n");
  if (o.out.empty())
    std::cout << csv.str();
  else
    write_text_atomic(o.out, csv.str());
  return 0;
}

}  // namespace landscape
