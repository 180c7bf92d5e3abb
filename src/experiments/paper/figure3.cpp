#include "experiments/paper/figure3.hpp"

#include <sstream>

#include "experiments/paper/report.hpp"
#include "experiments/support/table_columns.hpp"
#include "io/atomic_file.hpp"
#include "io/provenance.hpp"
#include "landscape/analytic_landscapes.hpp"

namespace landscape {

namespace {

constexpr double kLambdas[] = {10, 100, 1000};  // Figure 3's three smoothness weights

constexpr const char* kDigits = "%.10g";  // the tables keep 10 significant digits

// One point m of a path: its parameter t, its place (x, y) and the surface's value f there.
struct Figure3Point {
  std::size_t m = 0;
  double t = 0, x = 0, y = 0, f = 0;
};

std::vector<Figure3Point> path_points(const Figure3Landscape& f, const Figure3Path& p) {
  std::vector<Figure3Point> points;
  for (std::size_t m = 0; m < p.result.t.size(); ++m) {
    const double x = p.points[2 * m], y = p.points[2 * m + 1];
    points.push_back({m, p.result.t[m], x, y, f.value(p.points[2 * m], p.points[2 * m + 1])});
  }
  return points;
}

// path_<label>.csv: m,t,x,y,f for each of the M points.
const Table<Figure3Point>& points_table() {
  using P = Figure3Point;
  static const Table<P> table({integer_column("m", &P::m), number_column("t", &P::t, kDigits),
                               number_column("x", &P::x, kDigits), number_column("y", &P::y, kDigits),
                               number_column("f", &P::f, kDigits)});
  return table;
}

// fig3.csv, fig3_plain.csv: lambda,H,length per path.
const Table<Figure3Path>& paths_table() {
  using P = const Figure3Path&;
  static const Table<Figure3Path> table({text_column("lambda", &Figure3Path::label),
                                         {"H", [](P p) { return number_text(p.height(), kDigits); }},
                                         {"length", [](P p) { return number_text(p.length(), kDigits); }}});
  return table;
}

// The straight line, then one path per lambda, with the given point loss.
std::vector<Figure3Path> run_paths(const Figure3Landscape& f, PointLoss loss, std::uint64_t seed) {
  const std::vector<Scalar> w1 = {Scalar(Figure3Landscape::kStart[0]), Scalar(Figure3Landscape::kStart[1])};
  const std::vector<Scalar> w2 = {Scalar(Figure3Landscape::kEnd[0]), Scalar(Figure3Landscape::kEnd[1])};
  std::vector<Figure3Path> paths;
  for (int k = -1; k < 3; ++k) {
    PathParams p = PathParams::figure3(k < 0 ? kLambdas[0] : kLambdas[k], seed);
    p.point_loss = loss;
    if (k < 0) p.steps = 0;  // the straight line
    FourierPathFinder finder(f, w1, w2, p);
    Figure3Path path;
    path.label = k < 0 ? "linear" : std::to_string(int(kLambdas[k]));
    path.result = finder.run();
    path.points.resize(std::size_t(p.points) * 2);
    finder.path_points(path.result.b.data(), path.points.data());
    paths.push_back(std::move(path));
  }
  return paths;
}

}  // namespace

Figure3 compute_figure3(std::uint64_t seed) {
  const Figure3Landscape f;
  Figure3 fig;
  fig.seed = seed;
  fig.squared = run_paths(f, PointLoss::Squared, seed);
  fig.plain = run_paths(f, PointLoss::Plain, seed);
  return fig;
}

void write_figure3_tables(const std::string& dir, const Figure3& fig) {
  const Figure3Landscape f;
  make_directories(dir);
  paths_table().write(dir + "/fig3.csv", fig.squared);
  paths_table().write(dir + "/fig3_plain.csv", fig.plain);
  for (const Figure3Path& p : fig.squared)
    points_table().write(dir + "/path_" + p.label + ".csv", path_points(f, p));
  for (const Figure3Path& p : fig.plain)
    if (p.label != "linear") points_table().write(dir + "/path_plain_" + p.label + ".csv", path_points(f, p));
}

JsonObject figure3_manifest(std::uint64_t seed, const std::string& command_line) {
  JsonObject manifest = provenance(command_line);
  manifest
      .add("procedure",
           "published toy notebook: squared point loss, 15 terms, 101 points, "
           "Adam lr 0.01, 300 steps, N(0,1) gradient noise, min-objective")
      .add("seed", (long long)seed)
      .add("lowest_saddle", Figure3Landscape::kLowestSaddleHeight);
  return manifest;
}

bool draw_figure3(const std::string& dir, const Figure3& fig) {
  const Figure3Landscape f;
  std::ostringstream surface, paths;
  for (int i = 0; i <= 80; ++i) {  // the square [-1,1]^2 on an 81 x 81 grid
    for (int j = 0; j <= 80; ++j) {
      const double x = -1 + 2.0 * i / 80, y = -1 + 2.0 * j / 80;
      surface << x << ' ' << y << ' ' << f.value(x, y) << '\n';
    }
    surface << '\n';
  }
  for (const Figure3Path& p : fig.squared) {
    paths << "# " << p.label << "\n";
    for (size_t m = 0; m * 2 < p.points.size(); ++m)
      paths << p.points[2 * m] << ' ' << p.points[2 * m + 1] << '\n';
    paths << "\n\n";
  }
  write_text_atomic(dir + "/fig3_surface.dat", surface.str());
  write_text_atomic(dir + "/fig3_paths.dat", paths.str());
  std::string body =
      "set view map\nset contour base\nset cntrparam levels 25\nunset surface\nset table 'fig3_contours.dat'\n"
      "splot 'fig3_surface.dat' with lines\nunset table\nset xrange [-1:1]\nset yrange [-1:1]\nset size ratio -1\n"
      "set xlabel 'x'\nset ylabel 'y'\nset title 'Figure 3: paths between the two minima (squared point loss)'\n"
      "plot 'fig3_contours.dat' with lines lc rgb '#bbbbbb' notitle";
  const char* colours[] = {"#000000", "#c0392b", "#27ae60", "#2471a3"};
  for (size_t k = 0; k < fig.squared.size(); ++k)
    body += ", 'fig3_paths.dat' index " + std::to_string(k) + " with lines lw 2 lc rgb '" + colours[k % 4] +
            "' title '" + (k == 0 ? std::string("straight line") : "lambda " + fig.squared[k].label) + "'";
  return run_gnuplot(dir, "fig3", both_terminals("fig3", body, "700,650"));
}

}  // namespace landscape
