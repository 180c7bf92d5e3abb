#include "experiments/related/convexity_map.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/wall_clock.hpp"
#include "experiments/related/hessian_study.hpp"
#include "experiments/support/progress.hpp"
#include "experiments/support/report_document.hpp"
#include "experiments/support/table_columns.hpp"
#include "io/atomic_file.hpp"
#include "io/whole_file.hpp"
#include "landscape/spectra/hessian_operator.hpp"
#include "landscape/spectra/lanczos.hpp"
#include "landscape/surfaces/surface_plane.hpp"
#include "models/dataset_loss.hpp"

namespace landscape {

namespace {

// map.csv's columns; a finished line's file holds the same rows without the header.
const Table<ConvexityPoint>& map_table() {
  using C = ConvexityPoint;
  static const Table<C> table({number_column("a", &C::a), number_column("b", &C::b),
                               number_column("loss", &C::loss), number_column("lambda_max", &C::lambda_max),
                               number_column("lambda_min", &C::lambda_min),
                               number_column("ratio", &C::ratio)});
  return table;
}

std::string line_path(const std::string& dir, int j) {
  return dir + "/lines/line-" + std::to_string(j) + ".csv";
}

// A finished grid line: map.csv's rows without its header, all 17 digits, so they read back
// as written.
std::vector<ConvexityPoint> read_line(const std::string& path) {
  std::istringstream in(read_whole_file(path));
  std::vector<ConvexityPoint> line;
  for (std::string text; std::getline(in, text);) {
    double v[6] = {};
    std::istringstream cells(text);
    std::string cell;
    for (double& x : v) {
      if (!std::getline(cells, cell, ',')) throw Error(path + ": a line with fewer than 6 cells");
      x = std::strtod(cell.c_str(), nullptr);
    }
    line.push_back({v[0], v[1], v[2], v[3], v[4], v[5]});
  }
  return line;
}

// map.dat: the rows with spaces, a blank line after each scan of a (gnuplot's grid format).
std::string map_data(const std::vector<ConvexityPoint>& points, int G) {
  std::string dat;
  for (size_t k = 0; k < points.size(); ++k) {
    std::string l = map_table().line(points[k]);
    for (char& c : l)
      if (c == ',') c = ' ';
    dat += l + "\n" + ((k + 1) % size_t(G) == 0 ? "\n" : "");
  }
  return dat;
}

}  // namespace

std::vector<ConvexityPoint> convexity_map(const Model& model, const Dataset& data, const Scalar* w0,
                                          const ConvexityMapParams& p, const std::string& dir) {
  make_directories(dir + "/lines");
  remove_stale_temporaries(dir + "/lines");
  const SurfacePlane plane = random_plane(model, w0, 2, p.seed);
  const int G = p.grid;
  auto coord = [&](int i) { return p.lo + (p.hi - p.lo) * i / (G - 1); };
  std::vector<Scalar> w(model.num_params());
  Progress progress;
  const auto t0 = std::chrono::steady_clock::now();
  int computed = 0, to_compute = 0;
  for (int j = 0; j < G; ++j) to_compute += std::filesystem::exists(line_path(dir, j)) ? 0 : G;
  std::vector<ConvexityPoint> points;
  for (int j = 0; j < G; ++j) {  // b, the outer index
    std::vector<ConvexityPoint> line;
    if (std::filesystem::exists(line_path(dir, j))) line = read_line(line_path(dir, j));
    for (int i = int(line.size()); i < G; ++i) {
      ConvexityPoint c{coord(i), coord(j)};
      plane.point(c.a, c.b, w.data());
      c.loss = dataset_loss(model, data, w.data(), nullptr).loss;
      const ExtremeEigenvalues e =
          extreme_eigenvalues(hessian_operator(model, data, w.data()), p.iterations, p.seed);
      c.lambda_max = e.lambda_max, c.lambda_min = e.lambda_min;
      c.ratio = convexity_ratio(e.lambda_min, e.lambda_max);
      line.push_back(c);
      ++computed;
      const double secs = seconds_since(t0);
      char msg[200];
      std::snprintf(msg, sizeof msg, "hessian map: point %d/%d (a %.3g, b %.3g): ratio %.3g  ~%s left",
                    computed, to_compute, c.a, c.b, c.ratio,
                    format_duration(secs / computed * (to_compute - computed)).c_str());
      progress.update(msg, computed == to_compute);
      if (i + 1 == G) {  // the line is finished: on disk for a rerun to resume after it
        std::string text;
        for (const ConvexityPoint& q : line) text += map_table().line(q) + "\n";
        write_text_atomic(line_path(dir, j), text);
      }
    }
    points.insert(points.end(), line.begin(), line.end());
  }
  progress.finish();
  return points;
}

void run_convexity_map(const Model& model, const Dataset& data, const Scalar* w0, const ConvexityMapParams& p,
                       const std::string& dir) {
  const std::vector<ConvexityPoint> points = convexity_map(model, data, w0, p, dir);
  map_table().write(dir + "/map.csv", points);
  const std::string body =
      "stats 'map.dat' using 6 nooutput\nset cbrange [0:STATS_max > 0 ? STATS_max : 1]\n"
      "set view map\nset size ratio -1\nset pm3d interpolate 4,4\nset contour base\n"
      "set cntrparam levels 10\nunset clabel\n"
      "set xlabel 'a (filter-normalised direction 1)'\nset ylabel 'b (direction 2)'\n"
      "set cblabel '|lambda_min / lambda_max|'\nset palette rgbformulae 33,13,10\n"
      "set title '" +
      model.arch() +
      ": |lambda_min/lambda_max| (colour) and loss contours'\n"
      "splot 'map.dat' using 1:2:6 with pm3d nocontour notitle, "
      "'' using 1:2:3 with lines nosurface lc rgb 'black' notitle";
  if (!draw_figure(dir, "map", map_data(points, p.grid), body, "700,600"))
    std::fprintf(stderr, "hessian: map not drawn (gnuplot missing or failed); data in %s/map.dat\n",
                 dir.c_str());
}

}  // namespace landscape
