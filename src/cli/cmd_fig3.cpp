// landscape fig3: Figure 3 of the paper reproduced on its 2-D surface (docs/algorithms.md §6):
// the straight line from w1 to w2 and FourierPathFinder paths for lambda = 10, 100, 1000 with
// the published toy procedure (squared point loss, 15 terms, 101 points, Adam lr 0.01, 300
// steps, N(0,1) gradient noise, lowest full objective), beside the same with the plain point
// loss of Algorithm 2 as written.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "experiments/paper/figure3.hpp"
#include "io/run_directory.hpp"
#include "landscape/analytic_landscapes.hpp"
#include "landscape/paths/fourier_path_finder.hpp"

namespace landscape {

namespace {
struct Figure3Options {
  std::uint64_t seed = 1;  // the golden bands use 1
  static const ParameterTable<Figure3Options>& table() {
    static const auto t =
        ParameterTable<Figure3Options>()
            .field("seed", &Figure3Options::seed, "seed of the gradient noise (the golden bands use 1)")
            .range(0, double(1LL << 62));
    return t;
  }
};
}  // namespace

int cmd_fig3(int argc, char** argv) {
  Args args("fig3",
            "Figure 3 (docs/algorithms.md §6): the straight line and FourierPathFinder paths for\n"
            "lambda = 10, 100, 1000 on the paper's 2-D surface, with the published toy procedure\n"
            "(squared point loss, 15 terms, 101 points, Adam lr 0.01, 300 steps, N(0,1) gradient\n"
            "noise, lowest objective), and the plain point loss (Algorithm 2 as written) beside it.\n"
            "Writes DIR/fig3.csv (lambda,H,length), DIR/fig3_plain.csv, the points of each path\n"
            "(DIR/path_<lambda>.csv, DIR/path_plain_<lambda>.csv: m,t,x,y,f), DIR/manifest.json.");
  args.flag("out", "", "output directory", true).declare(Figure3Options::table());
  if (!parse_with_threads(args, argc, argv)) return 0;
  const RunDirectory dir(args.str("out"));
  const std::uint64_t seed = args.read(Figure3Options::table()).seed;

  const Figure3 fig = compute_figure3(seed);
  write_figure3_tables(dir.path(), fig);
  dir.write_manifest(figure3_manifest(seed, args.command_line()));

  std::printf("Figure 3: paths from w1 = (-0.62, -0.54) to w2 = (0.49, -0.02); noise seed %llu\n",
              (unsigned long long)seed);
  std::printf("%-8s %10s %10s %8s %12s %12s\n", "lambda", "H squared", "length", "paper", "H plain",
              "length");
  for (std::size_t k = 0; k < fig.squared.size(); ++k) {
    const Figure3Path& s = fig.squared[k];
    const Figure3Path& q = fig.plain[k];
    std::printf("%-8s %10.4f %10.4f %8s %12.4f %12.4f\n", s.label.c_str(), s.height(), s.length(),
                kFigure3PaperHeights[k], q.height(), q.length());
  }
  std::printf("lowest saddle between the minima: %.5f; written to %s\n",
              Figure3Landscape::kLowestSaddleHeight, dir.path().c_str());
  return 0;
}

}  // namespace landscape
