#include "experiments/related/convexity_map.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/strings.hpp"
#include "experiments/support/progress.hpp"
#include "experiments/support/report_document.hpp"
#include "io/atomic_file.hpp"
#include "io/csv.hpp"
#include "landscape/spectra/hessian_operator.hpp"
#include "landscape/spectra/lanczos.hpp"
#include "landscape/surfaces/surface_plane.hpp"
#include "models/dataset_loss.hpp"

namespace landscape {

namespace fs = std::filesystem;

void run_convexity_map(const Model& model, const Dataset& data, const Scalar* w0,
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
  for (int j = 0; j < G; ++j) to_compute += fs::exists(dir + "/lines/line-" + std::to_string(j) + ".csv") ? 0 : G;
  for (int j = 0; j < G; ++j) {  // b, the outer index
    const std::string line_path = dir + "/lines/line-" + std::to_string(j) + ".csv";
    if (fs::exists(line_path)) continue;
    std::ostringstream line;
    for (int i = 0; i < G; ++i) {
      const double a = coord(i), b = coord(j);
      plane.point(a, b, w.data());
      const double loss = dataset_loss(model, data, w.data(), nullptr).loss;
      const ExtremeEigenvalues e =
          extreme_eigenvalues(hessian_operator(model, data, w.data()), p.iterations, p.seed);
      const double ratio = e.lambda_max == 0 ? 0.0 : std::abs(e.lambda_min / e.lambda_max);
      line << number_text(a) << ',' << number_text(b) << ',' << number_text(loss) << ','
           << number_text(e.lambda_max) << ',' << number_text(e.lambda_min) << ','
           << number_text(ratio) << '\n';
      ++computed;
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      char msg[200];
      std::snprintf(msg, sizeof msg, "hessian map: point %d/%d (a %.3g, b %.3g): ratio %.3g  ~%s left",
                    computed, to_compute, a, b, ratio,
                    format_duration(secs / computed * (to_compute - computed)).c_str());
      progress.update(msg, computed == to_compute);
    }
    write_text_atomic(line_path, line.str());
  }
  progress.finish();

  // map.csv and the figure from the finished lines; gnuplot reads blank-line separated scans.
  std::ostringstream csv, dat;
  csv << "a,b,loss,lambda_max,lambda_min,ratio\n";
  for (int j = 0; j < G; ++j) {
    std::ifstream in(dir + "/lines/line-" + std::to_string(j) + ".csv");
    for (std::string l; std::getline(in, l);) {
      csv << l << '\n';
      for (char& c : l)
        if (c == ',') c = ' ';
      dat << l << '\n';
    }
    dat << '\n';
  }
  write_text_atomic(dir + "/map.csv", csv.str());
  write_text_atomic(dir + "/map.dat", dat.str());
  const std::string body =
      "stats 'map.dat' using 6 nooutput\nset cbrange [0:STATS_max > 0 ? STATS_max : 1]\n"
      "set view map\nset size ratio -1\nset pm3d interpolate 4,4\nset contour base\n"
      "set cntrparam levels 10\nunset clabel\n"
      "set xlabel 'a (filter-normalised direction 1)'\nset ylabel 'b (direction 2)'\n"
      "set cblabel '|lambda_min / lambda_max|'\nset palette rgbformulae 33,13,10\n"
      "set title '" + model.arch() + ": |lambda_min/lambda_max| (colour) and loss contours'\n"
      "splot 'map.dat' using 1:2:6 with pm3d nocontour notitle, "
      "'' using 1:2:3 with lines nosurface lc rgb 'black' notitle";
  if (!run_gnuplot(dir, "map", both_terminals("map", body, "700,600")))
    std::fprintf(stderr, "hessian: map not drawn (gnuplot missing or failed); data in %s/map.dat\n",
                 dir.c_str());
}

}  // namespace landscape
