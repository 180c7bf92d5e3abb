#include "experiments/paper/figure3.hpp"

#include <sstream>

#include "experiments/paper/report.hpp"
#include "io/atomic_file.hpp"
#include "landscape/analytic_landscapes.hpp"

namespace landscape {

namespace {

constexpr double kLambdas[] = {10, 100, 1000};  // Figure 3's three smoothness weights

// m,t,x,y,f for each of the M points.
std::string points_csv(const Figure3Landscape& f, const Figure3Path& p) {
  std::ostringstream csv;
  csv.precision(10);
  csv << "m,t,x,y,f\n";
  for (std::size_t m = 0; m < p.result.t.size(); ++m)
    csv << m << ',' << p.result.t[m] << ',' << p.points[2 * m] << ',' << p.points[2 * m + 1] << ','
        << f.value(p.points[2 * m], p.points[2 * m + 1]) << '\n';
  return csv.str();
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

std::string table_csv(const std::vector<Figure3Path>& paths) {
  std::ostringstream csv;
  csv.precision(10);
  csv << "lambda,H,length\n";
  for (const Figure3Path& p : paths) csv << p.label << ',' << p.height() << ',' << p.length() << '\n';
  return csv.str();
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
  write_text_atomic(dir + "/fig3.csv", table_csv(fig.squared));
  write_text_atomic(dir + "/fig3_plain.csv", table_csv(fig.plain));
  for (const Figure3Path& p : fig.squared) write_text_atomic(dir + "/path_" + p.label + ".csv", points_csv(f, p));
  for (const Figure3Path& p : fig.plain)
    if (p.label != "linear") write_text_atomic(dir + "/path_plain_" + p.label + ".csv", points_csv(f, p));
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
    for (size_t m = 0; m * 2 < p.points.size(); ++m) paths << p.points[2 * m] << ' ' << p.points[2 * m + 1] << '\n';
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
  const std::string script = "set terminal pngcairo size 700,650 noenhanced\nset output 'fig3.png'\n" + body +
                             "\nset terminal svg size 700,650 noenhanced\nset output 'fig3.svg'\nreplot\n";
  return run_gnuplot(dir, "fig3", script);
}

}  // namespace landscape
