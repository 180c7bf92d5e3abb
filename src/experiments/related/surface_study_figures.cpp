#include "experiments/related/surface_study_figures.hpp"

#include <cstdio>
#include <sstream>

#include "core/strings.hpp"
#include "experiments/support/report_document.hpp"
#include "io/atomic_file.hpp"

namespace landscape {

namespace {

std::string axis_label(const SurfaceParams& p, const SurfacePlane& plane, int k) {
  if (p.directions == "pca") {
    char buf[64];
    std::snprintf(buf, sizeof buf, "PC%d (%.1f%% of the variance)", k + 1, 100 * plane.explained[k]);
    return buf;
  }
  if (p.directions == "pair" && k == 0) return "a: w_i + a (w_j - w_i)";
  return std::string(k == 0 ? "a" : "b") + ": filter-normalised random direction " + std::to_string(k + 1);
}

}  // namespace

// surface.dat (a [b] loss accuracy; one block per grid row) and the figure.
bool draw_surface(const std::string& dir, const SurfaceParams& p, const SurfaceResult& r, bool classifier) {
  std::ostringstream dat, marks;
  const size_t nx = r.xs.size();
  for (size_t m = 0; m < r.points.size(); ++m) {
    const SurfacePoint& s = r.points[m];
    dat << number_text(s.a, "%.10g") << ' ';
    if (p.dims == 2) dat << number_text(s.b, "%.10g") << ' ';
    dat << number_text(s.loss, "%.10g") << ' ' << number_text(s.accuracy, "%.6g") << '\n';
    if (p.dims == 2 && (m + 1) % nx == 0) dat << '\n';
  }
  const std::string what = p.trajectory.empty() ? std::string("row ") + std::to_string(p.row) : "trajectory";
  const std::string title = p.arch + " " + (p.split == Split::Train ? "training" : "test") + " loss, " +
                            p.directions + " directions (" + what + ")";
  std::string body = "set xlabel '" + axis_label(p, r.plane, 0) + "'\nset xrange [" +
                     number_text(r.x.lo, "%.10g") + ":" + number_text(r.x.hi, "%.10g") + "]\nset title '" +
                     title + "'\n";
  if (p.dims == 1) {
    body += "set logscale y\nset ylabel 'loss'\nset key below\n";
    std::string plot = "plot 'surface.dat' using 1:2 with lines lw 2 lc rgb '#c0392b' title 'loss'";
    if (classifier) {
      body += "set y2label 'accuracy'\nset y2range [0:1]\nset y2tics\nset ytics nomirror\n";
      plot += ", '' using 1:3 axes x1y2 with lines lw 2 lc rgb '#2471a3' title 'accuracy'";
    }
    return draw_figure(dir, "surface", dat.str(), body + plot);
  }
  for (size_t i = 0; i + 1 < r.projections.size(); i += 2)
    marks << number_text(r.projections[i], "%.10g") << ' ' << number_text(r.projections[i + 1], "%.10g")
          << '\n';
  write_text_atomic(dir + "/surface_marks.dat", marks.str());
  const char* mark_title = !p.trajectory.empty()    ? "trajectory"
                           : p.directions == "pca"  ? "weight set"
                           : p.directions == "pair" ? "w_i, w_j"
                                                    : "solution";
  body =
      "set view map\nset contour base\nset cntrparam levels 20\nunset surface\n"
      "set table 'surface_contours.dat'\nsplot 'surface.dat' using 1:2:(log10($3)) with lines notitle\n"
      "unset table\nunset contour\n" +
      std::string(p.directions == "pca" ? "" : "set size ratio -1\n") + body + "set yrange [" +
      number_text(r.y.lo, "%.10g") + ":" + number_text(r.y.hi, "%.10g") + "]\nset ylabel '" +
      axis_label(p, r.plane, 1) +
      "'\nset cblabel 'log10 loss'\nset palette rgbformulae 33,13,10\n"
      "set key bottom right box opaque\n"
      "plot 'surface.dat' using 1:2:(log10($3)) with image notitle, "
      "'surface_contours.dat' using 1:2 with lines lc rgb '#303030' notitle, 'surface_marks.dat' using 1:2 " +
      std::string(p.trajectory.empty() ? "with points pt 7 ps 1.2" : "with linespoints pt 7 ps 0.6 lw 2") +
      " lc rgb '#000000' title '" + mark_title + "'";
  return draw_figure(dir, "surface", dat.str(), body, "760,640");
}

}  // namespace landscape
