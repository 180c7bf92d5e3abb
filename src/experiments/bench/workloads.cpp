#include "experiments/bench/workloads.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <memory>

#include "core/blas.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "core/tensor.hpp"
#include "experiments/support/timing.hpp"
#include "io/data_directory.hpp"
#include "io/mnist.hpp"
#include "landscape/analysis/kernel_pca.hpp"
#include "landscape/model_landscape.hpp"
#include "landscape/paths/fourier_path_finder.hpp"
#include "landscape/surfaces/surface_grid.hpp"
#include "landscape/surfaces/surface_plane.hpp"
#include "models/dataset_loss.hpp"
#include "models/init.hpp"
#include "optim/sgd.hpp"

namespace landscape {

namespace {

// What the model workloads share: the model, its weights from seed 0, a gradient, the data.
struct ModelWork {
  std::unique_ptr<Model> model;
  std::vector<Scalar> w, grad;
  Dataset data;
  ModelWork(const BenchOptions& o, int images) : model(make_model(o.arch)) {
    w = init_weights(*model, 0);
    grad.assign(model->num_params(), Scalar(0));
    if (images > 0) {
      data = load_dataset(resolve_data_dir(o.data_dir), Split::Train, images);
      check_data_fits(data, *model, "--arch " + o.arch);
    }
  }
  double forward_flops(int images) const { return model->forward_flops() * images; }
};

// Loss + gradient over the images; every call's gradient is compared with the first one's,
// bit for bit.
BenchWork fullbatch(const BenchOptions& o) {
  struct State : ModelWork {
    using ModelWork::ModelWork;
    std::vector<Scalar> first;
    bool same = true;
  };
  auto s = std::make_shared<State>(o, o.images);
  BenchWork work;
  work.run = [s, chunk = o.chunk] {
    dataset_loss(*s->model, s->data, s->w.data(), s->grad.data(), chunk);
    if (s->first.empty())
      s->first = s->grad;
    else
      s->same = s->same && std::memcmp(s->first.data(), s->grad.data(), s->grad.size() * sizeof(Scalar)) == 0;
  };
  work.flops = 3 * s->forward_flops(o.images);
  work.images = o.images;
  work.same_bits = [s] { return s->same; };
  work.gradient = [s] { return s->grad; };
  return work;
}

BenchWork forward(const BenchOptions& o) {
  auto s = std::make_shared<ModelWork>(o, o.images);
  BenchWork work;
  work.run = [s, chunk = o.chunk] { dataset_loss(*s->model, s->data, s->w.data(), nullptr, chunk); };
  work.flops = s->forward_flops(o.images);
  work.images = o.images;
  return work;
}

// A step is short: 100 in a row per call.
BenchWork sgd_step(const BenchOptions& o) {
  struct State : ModelWork {
    explicit State(const BenchOptions& opts) : ModelWork(opts, opts.batch), sgd(w.size(), SgdParams{}) {}
    Sgd sgd;
  };
  auto s = std::make_shared<State>(o);
  BenchWork work;
  work.per_run = 100;
  work.run = [s, chunk = o.chunk] {
    for (int k = 0; k < 100; ++k) {
      dataset_loss(*s->model, s->data, s->w.data(), s->grad.data(), chunk);
      s->sgd.step(s->w.data(), s->grad.data());
    }
  };
  work.flops = 100 * 3 * s->forward_flops(o.batch);
  work.images = o.batch;
  return work;
}

// One FourierPathFinder step: the objective and its b-gradient over M points, each a
// full-batch loss + gradient (docs/algorithms.md §5). Between two differently seeded initial
// points, from a b that is not the straight line (the cost does not depend on b, but a b = 0
// path would be a special case to no one).
BenchWork path_step(const BenchOptions& o) {
  struct State : ModelWork {
    using ModelWork::ModelWork;
    std::unique_ptr<ModelLandscape> land;
    std::unique_ptr<FourierPathFinder> finder;
    std::vector<Scalar> b, grad_b;
  };
  auto s = std::make_shared<State>(o, o.images);
  const std::vector<Scalar> w_j = init_weights(*s->model, 1);
  PathParams pp;
  pp.points = o.points;
  pp.terms = o.terms;
  s->land = std::make_unique<ModelLandscape>(*s->model, s->data);
  s->finder = std::make_unique<FourierPathFinder>(*s->land, s->w, w_j, pp);
  s->b.assign(std::size_t(pp.terms) * s->w.size(), Scalar(0));
  s->grad_b.assign(s->b.size(), Scalar(0));
  Rng rng(7);
  for (Scalar& v : s->b) v = Scalar(rng.uniform(-1e-3, 1e-3));
  BenchWork work;
  work.run = [s] { s->finder->objective(s->b.data(), s->grad_b.data()); };
  work.flops = double(pp.points) * 3 * s->forward_flops(o.images);
  work.images = o.images;
  work.points = pp.points;
  return work;
}

// A --points x --points loss-surface grid on a random filter-normalised plane around the
// seed-0 weights, a and b in -1:1 (docs/algorithms.md §9). It is evaluated one grid row per
// call of evaluate_surface_points, as `landscape surface` does (surface_study.cpp), so that
// this time is the surface plot's: bench/README.md compares it with points^2 single forward
// passes (`forward`).
BenchWork surface(const BenchOptions& o) {
  struct State : ModelWork {
    using ModelWork::ModelWork;
    SurfacePlane plane;
    std::vector<SurfacePoint> grid;  // [side^2] row-major, a fastest
  };
  auto s = std::make_shared<State>(o, o.images);
  s->plane = random_plane(*s->model, s->w.data(), /*dims=*/2, /*seed=*/0);
  const std::vector<double> xs = grid_coordinates(-1, 1, o.points);
  for (double b : xs)
    for (double a : xs) s->grid.push_back(SurfacePoint{a, b, 0, 0});
  BenchWork work;
  work.run = [s, side = std::size_t(o.points)] {
    for (std::size_t r = 0; r < s->grid.size(); r += side) {
      std::vector<SurfacePoint> row(s->grid.begin() + long(r), s->grid.begin() + long(r + side));
      evaluate_surface_points(*s->model, s->data, s->plane, row);
    }
  };
  work.points = o.points * o.points;
  work.flops = double(work.points) * s->forward_flops(o.images);
  work.images = o.images;
  return work;
}

// Kernel PCA (RBF, 2 components) of --sets seeded weight vectors (docs/algorithms.md §8).
BenchWork kpca(const BenchOptions& o) {
  const std::unique_ptr<Model> model = make_model(o.arch);
  const std::size_t P = model->num_params();
  auto sets = std::make_shared<Tensor>(Tensor::uninitialized({o.sets, int(P)}));
  for (int i = 0; i < o.sets; ++i) {
    const std::vector<Scalar> wi = init_weights(*model, 100 + i);
    std::copy(wi.begin(), wi.end(), sets->data() + std::size_t(i) * P);
  }
  BenchWork work;
  work.run = [sets] { KernelPCA kp(*sets, KernelParams{}, 2); };
  // the Gram matrix (syrk: N(N+1)/2 dots of P)
  work.flops = double(o.sets) * (o.sets + 1) * double(P);
  work.sets = o.sets;
  return work;
}

// One square OpenBLAS sgemm: the machine's peak for the table.
BenchWork sgemm(const BenchOptions& o) {
  const int n = o.size;
  struct State {
    std::vector<float> A, B, C;
  };
  auto s = std::make_shared<State>();
  s->A.assign(std::size_t(n) * n, 0.5f);
  s->B.assign(std::size_t(n) * n, 0.25f);
  s->C.assign(std::size_t(n) * n, 0.0f);
  BenchWork work;
  work.run = [s, n] {
    blas::gemm<float>(blas::Trans::No, blas::Trans::No, n, n, n, 1.0f, s->A.data(), n, s->B.data(), n, 0.0f,
                      s->C.data(), n);
  };
  work.flops = 2.0 * n * double(n) * n;
  work.uses_arch = false;
  return work;
}

const BenchWorkload kWorkloads[] = {
    {"fullbatch", "loss+gradient over the training images (bit-for-bit check)", fullbatch},
    {"forward", "loss only over the same images", forward},
    {"sgd-step", "one SGD step on a mini-batch", sgd_step},
    {"path-step", "one FourierPathFinder step (M full-batch gradients)", path_step},
    {"surface", "a loss-surface grid of --points x --points forward losses", surface},
    {"kpca", "RBF kernel PCA of weight vectors", kpca},
    {"sgemm", "one square OpenBLAS sgemm (the machine's peak)", sgemm},
};

}  // namespace

std::span<const BenchWorkload> bench_workloads() { return kWorkloads; }

const BenchWorkload& find_bench_workload(const std::string& name) {
  std::string names;  // "a, b or c"
  const std::size_t n = std::size(kWorkloads);
  for (std::size_t k = 0; k < n; ++k) {
    if (name == kWorkloads[k].name) return kWorkloads[k];
    names += (k == 0 ? "" : k + 1 == n ? " or " : ", ") + std::string(kWorkloads[k].name);
  }
  throw UsageError("--what must be " + names + ", got '" + name + "'");
}

const ParameterTable<BenchOptions>& BenchOptions::table() {
  using P = BenchOptions;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("arch", &P::arch, "fcp | lenet | lstm | ae")
      .field("images", &P::images, "training images (fullbatch, forward, path-step, surface)")
      .range(1, 60000)
      .field("batch", &P::batch, "mini-batch size (sgd-step)").range(1, 60000)
      .field("points", &P::points, "path points M (path-step); grid side (surface)")
      .range(2, 10000)
      .field("terms", &P::terms, "Fourier terms NF (path-step)").range(1, 1000)
      .field("sets", &P::sets, "weight vectors (kpca)").range(2, 100000)
      .field("size", &P::size, "matrix side (sgemm)").range(64, 32768)
      .field("chunk", &P::chunk, "images per graph in dataset_loss (0: its default)")
      .range(0, 60000)
      .field("data", &P::data_dir, kDataDirHelp);
  // clang-format on
  return t;
}

const ParameterTable<BenchRequest>& BenchRequest::table() {
  using P = BenchRequest;
  static const auto t = [] {
    std::vector<std::string> names;
    for (const BenchWorkload& w : kWorkloads) names.push_back(w.name);
    // clang-format off
    return ParameterTable<P>()
        .field("what", &P::what, parameter_text::choice_list(names))
        .include(&P::options, BenchOptions::table())
        .field("repeat", &P::repeat, "timed repetitions").range(1, 100000)
        .field("warmup", &P::warmup, "untimed calls before them").range(0, 100);
    // clang-format on
  }();
  return t;
}

BenchResult run_bench(const BenchWorkload& workload, const BenchOptions& options, int repeat, int warmup) {
  BenchResult r;
  r.load_before = load_average_1min();
  BenchWork work = workload.prepare(options);
  for (int k = 0; k < warmup; ++k) work.run();
  std::vector<double> cpu;
  const Timing t = time_repeated(
      [&] {
        const double c0 = process_cpu_seconds();
        work.run();
        cpu.push_back(process_cpu_seconds() - c0);
      },
      repeat, /*warm_up=*/false);
  std::sort(cpu.begin(), cpu.end());
  const double per = 1.0 / work.per_run;
  r.what = workload.name;
  r.arch = work.uses_arch ? options.arch : "-";
  r.images = work.images;
  r.points = work.points;
  r.sets = work.sets;
  r.repeat = repeat;
  r.median_s = t.median_s * per;
  r.min_s = t.min_s * per;
  r.max_s = t.max_s * per;
  r.cpu_s = cpu[cpu.size() / 2] * per;
  r.gflop = work.flops * per * 1e-9;
  r.gflops = r.gflop / r.median_s;
  r.peak_rss_mb = peak_rss_mb();
  r.same_bits = work.same_bits();
  if (work.gradient) r.gradient = work.gradient();
  r.load_after = load_average_1min();
  return r;
}

JsonObject bench_json(const BenchResult& r) {
  JsonObject o;
  o.add("impl", std::string("landscape ") + LANDSCAPE_VERSION)
      .add("what", r.what)
      .add("arch", r.arch)
      .add("threads", num_threads())
      .add("images", r.images)
      .add("points", r.points)
      .add("sets", r.sets)
      .add("precision", kPrecisionName)
      .add("repeat", r.repeat)
      .add("median_s", r.median_s)
      .add("min_s", r.min_s)
      .add("max_s", r.max_s)
      .add("cpu_s", r.cpu_s)
      .add("peak_rss_mb", r.peak_rss_mb)
      .add("gflop", r.gflop)
      .add("gflops", r.gflops)
      .add("same_bits_each_call", r.same_bits)
      .add("load_before", r.load_before)
      .add("load_after", r.load_after)
      .add("blas", blas::library_description())
      .add("blas_core", blas::core_name());
  return o;
}

std::string bench_line(const BenchResult& r) {
  char line[512];
  std::snprintf(line, sizeof line,
                "%s %s: %d images, %d threads, %s: median %.4gs (min %.4g, max %.4g), cpu %.4gs, "
                "%.2f GFLOP/s, peak %.0f MiB, load %.1f -> %.1f",
                r.what.c_str(), r.arch.c_str(), r.images, num_threads(), kPrecisionName, r.median_s, r.min_s,
                r.max_s, r.cpu_s, r.gflops, r.peak_rss_mb, r.load_before, r.load_after);
  return line;
}

}  // namespace landscape
