// landscape bench: how fast the model work runs here (issue "make bench"); the PyTorch side is
// bench/pytorch_reference.py, and `make bench` runs both and prints the ratios.
#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "experiments/provenance.hpp"
#include "experiments/timing.hpp"
#include "io/mnist.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"

namespace landscape {

int cmd_bench(int argc, char** argv) {
  Args args("bench",
            "Times one piece of work R times after a warm-up: median/min/max seconds, peak\n"
            "memory, GFLOP/s. fullbatch = loss+gradient over the training images; sgd-step =\n"
            "one SGD step on a mini-batch; forward = loss only over the training images.");
  args.flag("what", "fullbatch", "fullbatch | sgd-step | forward")
      .flag("arch", "fcp", "fcp | lenet | lstm | ae")
      .flag("images", "60000", "training images (fullbatch, forward)")
      .flag("batch", "64", "mini-batch size (sgd-step)")
      .flag("repeat", "5", "timed repetitions after one warm-up")
      .flag("data", "", "MNIST directory (else $LANDSCAPE_DATA, else data/mnist)")
      .toggle("json", "print one JSON object instead of a line of text");
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);
  const std::string what = args.str("what");
  if (what != "fullbatch" && what != "sgd-step" && what != "forward")
    throw UsageError("--what must be fullbatch, sgd-step or forward, got '" + what + "'");
  const int repeat = int(args.integer("repeat", 1, 100000));
  auto model = make_model(args.str("arch"));
  const int images = what == "sgd-step" ? int(args.integer("batch", 1, 60000))
                                        : int(args.integer("images", 1, 60000));
  Dataset data = load_mnist(resolve_data_dir(args.str("data")), Split::Train, images);
  std::vector<Scalar> w = init_weights(*model, 0), grad(model->num_params());

  // An SGD step is short: each timed call makes 100 of them, and times are per step.
  const int inner = what == "sgd-step" ? 100 : 1;
  auto work = [&] {
    for (int k = 0; k < inner; ++k) {
      if (what == "forward") {
        dataset_loss(*model, data, w.data(), nullptr);
      } else {
        dataset_loss(*model, data, w.data(), grad.data());
        if (what == "sgd-step")
          for (size_t i = 0; i < w.size(); ++i) w[i] -= Scalar(0.01) * grad[i];
      }
    }
  };
  Timing t = time_repeated(work, repeat);
  const double per = 1.0 / inner;
  const double flops = model->forward_flops() * images * (what == "forward" ? 1.0 : 3.0);
  const double gflops = flops / (t.median_s * per) * 1e-9;
  if (args.on("json")) {
    JsonObject o;
    o.add("impl", std::string("landscape ") + LANDSCAPE_VERSION)
        .add("what", what)
        .add("arch", args.str("arch"))
        .add("threads", num_threads())
        .add("images", images)
        .add("precision", kPrecisionName)
        .add("repeat", repeat)
        .add("median_s", t.median_s * per)
        .add("min_s", t.min_s * per)
        .add("max_s", t.max_s * per)
        .add("peak_rss_mb", peak_rss_mb())
        .add("gflops", gflops);
    std::cout << o.str(0) << "\n";
  } else {
    std::printf("%s %s: %d images, %d threads, %s: median %.4gs (min %.4g, max %.4g), %.2f GFLOP/s, peak %.0f MiB\n",
                what.c_str(), args.str("arch").c_str(), images, num_threads(), kPrecisionName,
                t.median_s * per, t.min_s * per, t.max_s * per, gflops, peak_rss_mb());
  }
  return 0;
}

}  // namespace landscape
