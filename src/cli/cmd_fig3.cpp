// landscape fig3: Figure 3 of the paper reproduced on its 2-D surface (NOTES.md section 6):
// the straight line from w1 to w2 and FourierPathFinder paths for lambda = 10, 100, 1000 with
// the published toy procedure (squared point loss, 15 terms, 101 points, Adam lr 0.01, 300
// steps, N(0,1) gradient noise, lowest full objective), beside the same with the plain point
// loss of Algorithm 2 as written.
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "experiments/provenance.hpp"
#include "io/atomic_file.hpp"
#include "io/json_writer.hpp"
#include "landscape/analytic_landscapes.hpp"
#include "landscape/fourier_path_finder.hpp"

namespace landscape {

namespace {

constexpr double kLambdas[] = {10, 100, 1000};  // Figure 3's three smoothness weights

struct Fig3Path {
  std::string label;  // "linear" or the lambda
  PathResult result;
  std::vector<Scalar> points;  // [M, 2]
};

// m,t,x,y,f for each of the M points.
std::string points_csv(const Figure3Landscape& f, const PathResult& r,
                       const std::vector<Scalar>& W) {
  std::ostringstream csv;
  csv.precision(10);
  csv << "m,t,x,y,f\n";
  for (std::size_t m = 0; m < r.t.size(); ++m)
    csv << m << ',' << r.t[m] << ',' << W[2 * m] << ',' << W[2 * m + 1] << ','
        << f.value(W[2 * m], W[2 * m + 1]) << '\n';
  return csv.str();
}

// The straight line, then one path per lambda, with the given point loss.
std::vector<Fig3Path> run_figure3(const Figure3Landscape& f, PointLoss loss, std::uint64_t seed) {
  const std::vector<Scalar> w1 = {Scalar(Figure3Landscape::kStart[0]),
                                  Scalar(Figure3Landscape::kStart[1])};
  const std::vector<Scalar> w2 = {Scalar(Figure3Landscape::kEnd[0]),
                                  Scalar(Figure3Landscape::kEnd[1])};
  std::vector<Fig3Path> paths;
  for (int k = -1; k < 3; ++k) {
    PathParams p = PathParams::figure3(k < 0 ? kLambdas[0] : kLambdas[k], seed);
    p.point_loss = loss;
    if (k < 0) p.steps = 0;  // the straight line
    FourierPathFinder finder(f, w1, w2, p);
    Fig3Path path;
    path.label = k < 0 ? "linear" : std::to_string(int(kLambdas[k]));
    path.result = finder.run();
    path.points.resize(std::size_t(p.points) * 2);
    finder.path_points(path.result.b.data(), path.points.data());
    paths.push_back(std::move(path));
  }
  return paths;
}

}  // namespace

int cmd_fig3(int argc, char** argv) {
  Args args(
      "fig3",
      "Figure 3 (NOTES.md section 6): the straight line and FourierPathFinder paths for\n"
      "lambda = 10, 100, 1000 on the paper's 2-D surface, with the published toy procedure\n"
      "(squared point loss, 15 terms, 101 points, Adam lr 0.01, 300 steps, N(0,1) gradient\n"
      "noise, lowest objective), and the plain point loss (Algorithm 2 as written) beside it.\n"
      "Writes DIR/fig3.csv (lambda,H,length), DIR/fig3_plain.csv, the points of each path\n"
      "(DIR/path_<lambda>.csv, DIR/path_plain_<lambda>.csv: m,t,x,y,f), DIR/manifest.json.");
  args.flag("out", "", "output directory", true)
      .flag("seed", "1", "seed of the gradient noise (the golden bands use 1)");
  add_threads_flag(args);
  if (!args.parse(argc, argv)) return 0;
  apply_threads_flag(args);
  const std::string dir = args.str("out");
  const auto seed = std::uint64_t(args.integer("seed", 0, (1LL << 62)));

  const Figure3Landscape f;
  const std::vector<Fig3Path> squared = run_figure3(f, PointLoss::Squared, seed);
  const std::vector<Fig3Path> plain = run_figure3(f, PointLoss::Plain, seed);

  make_directories(dir);
  auto table = [](const std::vector<Fig3Path>& paths) {
    std::ostringstream csv;
    csv.precision(10);
    csv << "lambda,H,length\n";
    for (const Fig3Path& p : paths) {
      const bool line = p.label == "linear";
      csv << p.label << ',' << (line ? p.result.H_linear : p.result.H) << ','
          << (line ? p.result.length_linear : p.result.length) << '\n';
    }
    return csv.str();
  };
  write_text_atomic(dir + "/fig3.csv", table(squared));
  write_text_atomic(dir + "/fig3_plain.csv", table(plain));
  for (const Fig3Path& p : squared)
    write_text_atomic(dir + "/path_" + p.label + ".csv", points_csv(f, p.result, p.points));
  for (const Fig3Path& p : plain)
    if (p.label != "linear")
      write_text_atomic(dir + "/path_plain_" + p.label + ".csv", points_csv(f, p.result, p.points));
  JsonObject manifest = provenance(args.command_line());
  manifest
      .add("procedure",
           "published toy notebook: squared point loss, 15 terms, 101 points, "
           "Adam lr 0.01, 300 steps, N(0,1) gradient noise, min-objective")
      .add("seed", (long long)seed)
      .add("lowest_saddle", Figure3Landscape::kLowestSaddleHeight);
  write_text_atomic(dir + "/manifest.json", manifest.str() + "\n");

  std::printf("Figure 3: paths from w1 = (-0.62, -0.54) to w2 = (0.49, -0.02); noise seed %llu\n",
              (unsigned long long)seed);
  std::printf("%-8s %10s %10s %8s %12s %12s\n", "lambda", "H squared", "length", "paper", "H plain",
              "length");
  const char* paper[] = {"1.102", "0.646", "0.640", "0.652"};
  for (std::size_t k = 0; k < squared.size(); ++k) {
    const bool line = k == 0;
    const PathResult& s = squared[k].result;
    const PathResult& q = plain[k].result;
    std::printf("%-8s %10.4f %10.4f %8s %12.4f %12.4f\n", squared[k].label.c_str(),
                line ? s.H_linear : s.H, line ? s.length_linear : s.length, paper[k],
                line ? q.H_linear : q.H, line ? q.length_linear : q.length);
  }
  std::printf("lowest saddle between the minima: %.5f; written to %s\n",
              Figure3Landscape::kLowestSaddleHeight, dir.c_str());
  return 0;
}

}  // namespace landscape
