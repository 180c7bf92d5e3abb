// landscape bench: how fast the model work runs here (issue "make bench"); the PyTorch side is
// bench/pytorch_reference.py, and `make bench` (scripts/bench.sh) runs both, interleaved, and
// writes the table to bench/results/.
//
// Each measurement is one piece of work timed R times after W warm-up calls:
//   fullbatch  loss + gradient over the first --images training images (dataset_loss)
//   forward    loss only over the same images
//   sgd-step   one SGD step on the first --batch images (gradient + torch.optim.SGD update)
//   path-step  one FourierPathFinder step: the objective and its b-gradient over --points
//              points, each a full-batch loss + gradient (NOTES.md section 5)
//   kpca       kernel PCA (RBF, 2 components) of --sets weight vectors of the model (NOTES 7)
//   sgemm      one square OpenBLAS sgemm of side --size: the machine's peak for the table
// fullbatch also checks that every call gives the gradient of the first bit for bit, and can
// save it (--save-grad) so that scripts/bench.sh compares thread counts.
// Reported: median/min/max wall seconds, the median CPU seconds of the process per call (a
// check on how much of the wall time a loaded machine took away), peak resident memory,
// GFLOP/s of the model work (forward 1x, forward + backward 3x the model's forward FLOPs), and
// the 1-minute load average before and after.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "core/blas.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "experiments/support/timing.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "io/provenance.hpp"
#include "landscape/analysis/kernel_pca.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"
#include "optim/sgd.hpp"

namespace landscape {

namespace {

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double load_average_1min() {
  std::ifstream in("/proc/loadavg");
  double load = -1;
  in >> load;
  return load;
}

// One kind of work: run() does it once; flops is what one run() computes.
struct Work {
  std::function<void()> run;
  double flops = 0;
  int per_run = 1;  // steps inside one run() (sgd-step: 100 short steps); times are per step
};

}  // namespace

int cmd_bench(int argc, char** argv) {
  Args args("bench",
            "Times one piece of work R times after W warm-up calls: median/min/max seconds,\n"
            "CPU seconds, peak memory, GFLOP/s. fullbatch = loss+gradient over the training\n"
            "images; forward = loss only; sgd-step = one SGD step on a mini-batch; path-step =\n"
            "one FourierPathFinder step (M full-batch gradients); kpca = RBF kernel PCA of\n"
            "weight vectors; sgemm = one square OpenBLAS sgemm (the machine's peak).");
  args.flag("what", "fullbatch", "fullbatch | forward | sgd-step | path-step | kpca | sgemm")
      .flag("arch", "fcp", "fcp | lenet | lstm | ae")
      .flag("images", "60000", "training images (fullbatch, forward, path-step)")
      .flag("batch", "64", "mini-batch size (sgd-step)")
      .flag("points", "51", "path points M (path-step)")
      .flag("terms", "10", "Fourier terms NF (path-step)")
      .flag("sets", "96", "weight vectors (kpca)")
      .flag("size", "4096", "matrix side (sgemm)")
      .flag("chunk", "0", "images per graph in dataset_loss (0: its default)")
      .flag("repeat", "5", "timed repetitions")
      .flag("warmup", "1", "untimed calls before them")
      .flag("data", "", "MNIST directory (else $LANDSCAPE_DATA, else data/mnist)")
      .flag("save-grad", "", "fullbatch: write the gradient to this .npy (thread-count checks)")
      .toggle("json", "print one JSON object instead of a line of text");
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);
  const std::string what = args.str("what");
  if (what != "fullbatch" && what != "forward" && what != "sgd-step" && what != "path-step" &&
      what != "kpca" && what != "sgemm")
    throw UsageError("--what must be fullbatch, forward, sgd-step, path-step, kpca or sgemm, got '" +
                     what + "'");
  const int repeat = int(args.integer("repeat", 1, 100000));
  const int warmup = int(args.integer("warmup", 0, 100));
  const int chunk = int(args.integer("chunk", 0, 60000));
  const double load_before = load_average_1min();

  auto model = make_model(args.str("arch"));
  const size_t P = model->num_params();
  const double fwd = model->forward_flops();  // per image
  int images = 0;
  Dataset data;
  if (what == "fullbatch" || what == "forward" || what == "path-step" || what == "sgd-step") {
    images = what == "sgd-step" ? int(args.integer("batch", 1, 60000))
                                : int(args.integer("images", 1, 60000));
    data = load_mnist(resolve_data_dir(args.str("data")), Split::Train, images);
  }
  std::vector<Scalar> w = init_weights(*model, 0), grad(P);

  // Each branch keeps what its work needs alive until the timing is done.
  Work work;
  Sgd sgd(P, SgdParams{});
  std::unique_ptr<ModelLandscape> land;
  std::unique_ptr<FourierPathFinder> finder;
  std::vector<Scalar> b, grad_b;
  Tensor sets;
  std::vector<float> A, B, C;
  // fullbatch: every call's gradient is compared with the first one's, bit for bit.
  std::vector<Scalar> first_grad;
  bool same_bits = true;
  if (what == "fullbatch") {
    work.run = [&] {
      dataset_loss(*model, data, w.data(), grad.data(), chunk);
      if (first_grad.empty())
        first_grad = grad;
      else
        same_bits = same_bits && std::memcmp(first_grad.data(), grad.data(), P * sizeof(Scalar)) == 0;
    };
    work.flops = 3 * fwd * images;
  } else if (what == "forward") {
    work.run = [&] { dataset_loss(*model, data, w.data(), nullptr, chunk); };
    work.flops = fwd * images;
  } else if (what == "sgd-step") {
    work.per_run = 100;  // a step is short: time 100 in a row
    work.run = [&] {
      for (int k = 0; k < 100; ++k) {
        dataset_loss(*model, data, w.data(), grad.data(), chunk);
        sgd.step(w.data(), grad.data());
      }
    };
    work.flops = 100 * 3 * fwd * images;
  } else if (what == "path-step") {
    // Between two differently seeded initial points, from a b that is not the straight line
    // (the cost does not depend on b, but a b = 0 path would be a special case to no one).
    const std::vector<Scalar> w_j = init_weights(*model, 1);
    PathParams pp;
    pp.points = int(args.integer("points", 2, 10000));
    pp.terms = int(args.integer("terms", 1, 1000));
    land = std::make_unique<ModelLandscape>(*model, data);
    finder = std::make_unique<FourierPathFinder>(*land, w, w_j, pp);
    b.assign(size_t(pp.terms) * P, Scalar(0));
    grad_b.assign(b.size(), Scalar(0));
    Rng rng(7);
    for (Scalar& v : b) v = Scalar(rng.uniform(-1e-3, 1e-3));
    work.run = [&] { finder->objective(b.data(), grad_b.data()); };
    work.flops = double(pp.points) * 3 * fwd * images;
  } else if (what == "kpca") {
    const int N = int(args.integer("sets", 2, 100000));
    sets = Tensor::uninitialized({N, int(P)});
    for (int i = 0; i < N; ++i) {
      const std::vector<Scalar> wi = init_weights(*model, 100 + i);
      std::copy(wi.begin(), wi.end(), sets.data() + size_t(i) * P);
    }
    work.run = [&] { KernelPCA kp(sets, KernelParams{}, 2); };
    work.flops = double(N) * (N + 1) * double(P);  // the Gram matrix (syrk: N(N+1)/2 dots of P)
  } else {  // sgemm
    const int n = int(args.integer("size", 64, 32768));
    A.assign(size_t(n) * n, 0.5f);
    B.assign(size_t(n) * n, 0.25f);
    C.assign(size_t(n) * n, 0.0f);
    work.run = [&] {
      blas::gemm<float>(blas::Trans::No, blas::Trans::No, n, n, n, 1.0f, A.data(), n, B.data(), n,
                        0.0f, C.data(), n);
    };
    work.flops = 2.0 * n * double(n) * n;
  }

  for (int k = 0; k < warmup; ++k) work.run();
  std::vector<double> cpu;
  auto timed = [&] {
    const double c0 = process_cpu_seconds();
    work.run();
    cpu.push_back(process_cpu_seconds() - c0);
  };
  Timing t = time_repeated(timed, repeat, /*warm_up=*/false);
  std::sort(cpu.begin(), cpu.end());
  const double per = 1.0 / work.per_run;
  const double cpu_median = cpu[cpu.size() / 2] * per;
  const double flops = work.flops * per;
  const double gflops = flops / (t.median_s * per) * 1e-9;
  const double load_after = load_average_1min();
  if (!args.str("save-grad").empty()) {
    if (what != "fullbatch") throw UsageError("--save-grad goes with --what fullbatch");
    write_npy(args.str("save-grad"), grad.data(), 1, int64_t(P), /*one_dimensional=*/true);
  }
  const std::string arch = what == "sgemm" ? std::string("-") : args.str("arch");
  if (args.on("json")) {
    JsonObject o;
    o.add("impl", std::string("landscape ") + LANDSCAPE_VERSION)
        .add("what", what)
        .add("arch", arch)
        .add("threads", num_threads())
        .add("images", images)
        .add("sets", what == "kpca" ? int(sets.dim(0)) : 0)
        .add("precision", kPrecisionName)
        .add("repeat", repeat)
        .add("median_s", t.median_s * per)
        .add("min_s", t.min_s * per)
        .add("max_s", t.max_s * per)
        .add("cpu_s", cpu_median)
        .add("peak_rss_mb", peak_rss_mb())
        .add("gflop", flops * 1e-9)
        .add("gflops", gflops)
        .add("same_bits_each_call", same_bits)
        .add("load_before", load_before)
        .add("load_after", load_after)
        .add("blas", blas::library_description());
    std::cout << o.str(0) << "\n";
  } else {
    std::printf("%s %s: %d images, %d threads, %s: median %.4gs (min %.4g, max %.4g), cpu %.4gs, "
                "%.2f GFLOP/s, peak %.0f MiB, load %.1f -> %.1f\n",
                what.c_str(), arch.c_str(), images, num_threads(), kPrecisionName, t.median_s * per,
                t.min_s * per, t.max_s * per, cpu_median, gflops, peak_rss_mb(), load_before,
                load_after);
  }
  return 0;
}

}  // namespace landscape
