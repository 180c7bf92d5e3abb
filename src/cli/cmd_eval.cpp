// landscape eval: mean loss and accuracy of weight vectors on a split of MNIST.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "io/atomic_file.hpp"
#include "io/mnist.hpp"
#include "models/dataset_loss.hpp"
#include "models/weights_file.hpp"

namespace landscape {

int cmd_eval(int argc, char** argv) {
  Args args("eval",
            "For each chosen row of a weights file: the mean loss and the accuracy (classifiers)\n"
            "on a split of MNIST. CSV columns row,loss,accuracy (accuracy empty for the AE).");
  args.flag("arch", "", "model: fcp | lenet | lstm | ae", true)
      .flag("weights", "", ".npy file, 1-D or one vector per row", true)
      .flag("rows", "all", "'all' or row numbers, e.g. 0,3,7")
      .flag("split", "train", "train | test")
      .flag("images", "0", "use the first N images of the split (0 = all)")
      .flag("out", "", "CSV file to write (default: stdout)");
  add_model_flags(args);
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);

  auto model = make_model(args.str("arch"), parse_activation(args.str("activation")));
  NpyMatrix weights = read_weights(args.str("weights"), *model);
  std::vector<int64_t> rows = parse_rows(args.str("rows"), weights.rows);
  const Split split = parse_split(args.str("split"));
  const int images = int(args.integer("images", 0, 60000));
  Dataset data = load_mnist(resolve_data_dir(args.str("data")), split, images > 0 ? images : -1);

  std::ostringstream csv;
  csv << "row,loss,accuracy\n";
  csv.precision(10);
  for (size_t k = 0; k < rows.size(); ++k) {
    DatasetLoss r = dataset_loss(*model, data, weights.row(rows[k]), nullptr);
    csv << rows[k] << ',' << r.loss << ',';
    if (model->is_classifier()) csv << r.accuracy();
    csv << '\n';
    std::fprintf(stderr, "\reval: row %zu/%zu", k + 1, rows.size());
  }
  std::fprintf(stderr, "\n");
  if (args.str("out").empty())
    std::cout << csv.str();
  else
    write_text_atomic(args.str("out"), csv.str());
  return 0;
}

}  // namespace landscape
