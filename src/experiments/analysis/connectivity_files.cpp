#include "experiments/analysis/connectivity_files.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "experiments/support/report_document.hpp"
#include "io/csv.hpp"
#include "io/run_directory.hpp"

namespace landscape {

namespace {

namespace fs = std::filesystem;

std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

// The loss at each end of each path: the first and last optimized points of profiles.csv.
std::map<std::pair<std::string, std::string>, std::pair<double, double>> end_losses(const std::string& file) {
  std::map<std::pair<std::string, std::string>, std::pair<double, double>> ends;
  const CsvTable p = read_csv(file);
  const int i = p.column("i"), j = p.column("j"), kind = p.column("kind"), t = p.column("t");
  for (size_t r = 0; r < p.rows.size(); ++r) {
    if (p.rows[r][size_t(kind)] != "optimized") continue;
    auto& e = ends[{p.rows[r][size_t(i)], p.rows[r][size_t(j)]}];
    const double at = p.number(r, "t"), loss = p.number(r, "loss");
    if (at == 0) e.first = loss;
    if (at == 1) e.second = loss;
    (void)t;
  }
  return ends;
}

}  // namespace

MinimaGraph read_minima_graph(const std::vector<std::string>& files, const std::vector<std::string>& sets) {
  if (files.empty()) throw UsageError("--paths needs at least one paths.csv");
  if (!sets.empty() && sets.size() != files.size())
    throw UsageError("--sets needs one name per --paths file (" + std::to_string(files.size()) + ")");
  MinimaGraph g;
  std::map<std::string, int> index;
  auto minimum = [&](const std::string& name, double loss) {
    auto it = index.find(name);
    if (it != index.end()) return it->second;
    index[name] = int(g.names.size());
    g.names.push_back(name);
    g.loss.push_back(loss);
    return int(g.names.size()) - 1;
  };
  for (size_t f = 0; f < files.size(); ++f) {
    const fs::path dir = fs::path(files[f]).parent_path();
    const std::string set = sets.empty() ? dir.filename().string() : sets[f];
    const CsvTable paths = read_csv(files[f]);
    const auto ends = end_losses((dir / "profiles.csv").string());
    std::map<std::pair<std::string, std::string>, double> refined;
    if (fs::exists(dir / "refined.csv")) {
      const CsvTable r = read_csv((dir / "refined.csv").string());
      for (size_t k = 0; k < r.rows.size(); ++k)
        refined[{r.text(k, "i"), r.text(k, "j")}] = r.number(k, "H_refined");
    }
    std::vector<std::string> surface_names;  // a surface run: its two ends by their coordinates
    if (fs::exists(dir / "points.csv")) {
      const CsvTable pts = read_csv((dir / "points.csv").string());
      if (!pts.rows.empty())
        for (size_t k : {size_t(0), pts.rows.size() - 1}) {
          char b[64];
          std::snprintf(b, sizeof b, "(%.3f, %.3f)", pts.number(k, "x"), pts.number(k, "y"));
          surface_names.push_back(b);
        }
    }
    for (size_t r = 0; r < paths.rows.size(); ++r) {
      const std::string i = paths.rows[r][size_t(paths.column("i"))],
                        j = paths.rows[r][size_t(paths.column("j"))];
      auto e = ends.find({i, j});
      if (e == ends.end())
        throw Error((dir / "profiles.csv").string() + ": no profile of pair " + i + "-" + j);
      const std::string a = surface_names.size() == 2 ? surface_names[0] : set + ":" + i;
      const std::string b = surface_names.size() == 2 ? surface_names[1] : set + ":" + j;
      const int ia = minimum(a, e->second.first), ib = minimum(b, e->second.second);
      auto h = refined.find({i, j});
      g.edges.push_back({ia, ib, h != refined.end() ? h->second : paths.number(r, "H")});
    }
  }
  return g;
}

bool write_connectivity(const std::string& dir, const MinimaGraph& g, const Connectivity& c) {
  const RunDirectory run(dir);
  const size_t n = g.names.size();
  std::ostringstream minima, tree, minimax, suggest;
  minima << "name,loss\n";
  for (size_t k = 0; k < n; ++k) minima << g.names[k] << ',' << number(g.loss[k]) << '\n';
  tree << "a,b,barrier\n";
  for (const auto& e : c.tree)
    tree << g.names[size_t(e.a)] << ',' << g.names[size_t(e.b)] << ',' << number(e.barrier) << '\n';
  minimax << "a,b,minimax\n";
  for (size_t a = 0; a < n; ++a)
    for (size_t b = a + 1; b < n; ++b)
      minimax << g.names[a] << ',' << g.names[b] << ',' << number(c.minimax[a * n + b]) << '\n';
  suggest << "a,b,minimax,room\n";
  for (const auto& s : c.suggestions)
    suggest << g.names[size_t(s.a)] << ',' << g.names[size_t(s.b)] << ',' << number(s.minimax) << ','
            << number(s.room) << '\n';
  // The graph: each minimum at x = its place in c.order, a line up from its loss to where its
  // basin merges; each merge a horizontal line between its two clusters at its level, then up.
  std::vector<double> x(n + c.merges.size()), bottom(n + c.merges.size());
  for (size_t k = 0; k < c.order.size(); ++k) x[size_t(c.order[k])] = double(k);
  for (size_t k = 0; k < n; ++k) bottom[k] = g.loss[k];
  std::vector<double> top(n + c.merges.size(), NAN);
  for (size_t m = 0; m < c.merges.size(); ++m) {
    const auto& e = c.merges[m];
    x[n + m] = (x[size_t(e.left)] + x[size_t(e.right)]) / 2;
    bottom[n + m] = e.level;
    top[size_t(e.left)] = top[size_t(e.right)] = e.level;
  }
  double span = 0;
  for (double l : g.loss) span = std::max(span, std::abs(l));
  std::ostringstream dat;
  for (size_t k = 0; k < n + c.merges.size(); ++k) {  // vertical lines (a root: a short stub)
    const double up = std::isnan(top[k]) ? bottom[k] + 0.05 * (span > 0 ? span : 1) : top[k];
    dat << x[k] << ' ' << bottom[k] << '\n' << x[k] << ' ' << up << "\n\n";
  }
  for (size_t m = 0; m < c.merges.size(); ++m)
    dat << x[size_t(c.merges[m].left)] << ' ' << c.merges[m].level << '\n'
        << x[size_t(c.merges[m].right)] << ' ' << c.merges[m].level << "\n\n";
  std::string tics;
  for (size_t k = 0; k < c.order.size(); ++k)
    tics += (tics.empty() ? "" : ", ") + std::string("\"") + g.names[size_t(c.order[k])] + "\" " +
            std::to_string(k);
  const std::string body =
      "set title 'Disconnectivity graph: minima at their loss, basins merging at the barriers'\n"
      "set ylabel 'loss'\nset xtics (" +
      tics +
      ") rotate by -45\nset key off\n"
      "set xrange [-0.5:" +
      std::to_string(double(n) - 0.5) +
      "]\n"
      "plot 'disconnectivity.dat' with lines lw 2 lc rgb '#1f4e79'\n";
  run.write("minima.csv", minima.str());
  run.write("tree.csv", tree.str());
  run.write("minimax.csv", minimax.str());
  run.write("suggestions.csv", suggest.str());
  return draw_figure(dir, "disconnectivity", dat.str(), body);
}

}  // namespace landscape
