#include "experiments/related/hessian_study_figures.hpp"

#include <sstream>

#include "core/strings.hpp"
#include "experiments/support/report_document.hpp"

namespace landscape {

bool draw_hessian_density(const std::string& dir, const HessianStudyParams& p,
                          const std::vector<HessianRowResult>& rows) {
  std::ostringstream dat;
  std::string plot;
  for (size_t k = 0; k < rows.size(); ++k) {
    dat << "# row " << rows[k].row << '\n';
    for (size_t i = 0; i < rows[k].density_t.size(); ++i)
      dat << number_text(rows[k].density_t[i]) << ' ' << number_text(rows[k].density[i]) << '\n';
    dat << "\n\n";
    plot += std::string(plot.empty() ? "plot " : ", ") + "'density.dat' index " + std::to_string(k) +
            " using 1:2 with lines lw 2 title 'row " + std::to_string(rows[k].row) + "'";
  }
  // Log scale: the outliers that set lambda_max carry a weight of about 1/P each, the bulk
  // near 0 nearly all of it (Ghorbani et al. 2019, PyHessian draw it so).
  const std::string body =
      "set logscale y\nset yrange [1e-6:*]\nset format y '%.0e'\nset xlabel 'eigenvalue of the loss Hessian'\n"
      "set ylabel 'density (SLQ, Gaussian-broadened)'\nset title '" +
      p.arch + ": Hessian eigenvalue density, " + std::to_string(p.probes) + " probes x " +
      std::to_string(p.iterations) + " Lanczos steps'\n" + plot;
  return draw_figure(dir, "density", dat.str(), body);
}

}  // namespace landscape
