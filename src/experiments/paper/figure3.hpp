// Figure 3 of the paper on its 2-D surface (docs/algorithms.md §6): the straight line from w1 to w2
// and FourierPathFinder paths for lambda = 10, 100, 1000, with the published toy procedure
// (squared point loss) and with Algorithm 2 as written (plain point loss). Used by
// `landscape fig3` and by the study's report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/json_writer.hpp"
#include "landscape/paths/fourier_path_finder.hpp"

namespace landscape {

struct Figure3Path {
  std::string label;  // "linear" or the lambda: "10", "100", "1000"
  PathResult result;
  std::vector<Scalar> points;  // [M, 2] the reported path's points
  double height() const { return label == "linear" ? result.H_linear : result.H; }
  double length() const { return label == "linear" ? result.length_linear : result.length; }
};

struct Figure3 {
  std::uint64_t seed = 1;
  std::vector<Figure3Path> squared, plain;  // straight line first, then lambda 10, 100, 1000
};

inline constexpr const char* kFigure3PaperHeights[] = {"1.102", "0.646", "0.640", "0.652"};

Figure3 compute_figure3(std::uint64_t seed);

// DIR/fig3.csv and fig3_plain.csv (lambda,H,length), DIR/path_<label>.csv and
// path_plain_<label>.csv (m,t,x,y,f).
void write_figure3_tables(const std::string& dir, const Figure3& fig);

// `landscape fig3`'s DIR/manifest.json: provenance, the procedure, the seed, the lowest saddle.
JsonObject figure3_manifest(std::uint64_t seed, const std::string& command_line);

// DIR/fig3.png/.svg: contours of the surface with the paths (data fig3_surface.dat,
// fig3_paths.dat). False if gnuplot is missing or failed.
bool draw_figure3(const std::string& dir, const Figure3& fig);

}  // namespace landscape
