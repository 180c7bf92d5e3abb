// landscape eval: mean loss and accuracy of weight vectors on a split of MNIST.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "io/atomic_file.hpp"
#include "io/data_directory.hpp"
#include "io/mnist.hpp"
#include "models/dataset_loss_many.hpp"
#include "models/weights_file.hpp"

namespace landscape {

namespace {
struct EvalOptions {
  std::string rows = "all";  // 'all' or row numbers
  Split split = Split::Train;
  int images = 0;   // the first N of the split (0 = all)
  std::string out;  // CSV file ("" = stdout)
  static const ParameterTable<EvalOptions>& table() {
    using P = EvalOptions;
    // A parameter table, a row per flag: laid out by hand.
    // clang-format off
    static const auto t = ParameterTable<P>()
        .field("rows", &P::rows, "'all' or row numbers, e.g. 0,3,7")
        .field("split", &P::split, "train | test", kSplitNames)
        .field("images", &P::images, "use the first N images of the split (0 = all)").range(0, 60000)
        .field("out", &P::out, "CSV file to write (none: stdout)");
    // clang-format on
    return t;
  }
};
}  // namespace

int cmd_eval(int argc, char** argv) {
  Args args("eval",
            "For each chosen row of a weights file: the mean loss and the accuracy (classifiers)\n"
            "on a split of the data (--data). CSV columns row,loss,accuracy (accuracy empty for the AE).");
  args.flag("arch", "", kModelHelp, true)
      .flag("weights", "", ".npy file, 1-D or one vector per row (default: an .onnx model's own weights)")
      .declare(EvalOptions::table());
  add_model_flags(args);
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);

  const EvalOptions o = args.read(EvalOptions::table());
  const ModelOptions m = args.read(ModelOptions::table());
  auto model = make_model(args.str("arch"), m.activation);
  NpyMatrix weights = read_weights_or_model_file(args.str("weights"), args.str("arch"), *model);
  std::vector<int64_t> rows = parse_rows(o.rows, weights.rows);
  Dataset data = load_dataset(resolve_data_dir(m.data_dir), o.split, o.images > 0 ? o.images : -1);
  check_data_fits(data, *model, "--arch " + args.str("arch"));

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
