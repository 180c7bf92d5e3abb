#include "experiments/related/surface_study_files.hpp"

#include "core/strings.hpp"

namespace landscape {

namespace {

std::string coordinate(double v) { return number_text(v, "%.10g"); }

}  // namespace

Table<SurfacePoint> surface_table(int dims, bool classifier) {
  using S = const SurfacePoint&;
  std::vector<Column<SurfacePoint>> columns{{"a", [](S s) { return coordinate(s.a); }}};
  if (dims == 2) columns.push_back({"b", [](S s) { return coordinate(s.b); }});
  columns.push_back({"loss", [](S s) { return number_text(s.loss); }});
  columns.push_back({"accuracy", [classifier](S s) { return classifier ? number_text(s.accuracy) : ""; }});
  return Table<SurfacePoint>(columns);
}

std::vector<PlaneMark> plane_marks(const std::vector<double>& projections, int dims) {
  std::vector<PlaneMark> marks;
  for (size_t i = 0; i < projections.size(); i += size_t(dims))
    marks.push_back({i / size_t(dims), projections[i], dims == 2 ? projections[i + 1] : 0.0});
  return marks;
}

Table<PlaneMark> projections_table(int dims) {
  using M = const PlaneMark&;
  std::vector<Column<PlaneMark>> columns{{"k", [](M m) { return std::to_string(m.k); }},
                                         {"a", [](M m) { return coordinate(m.a); }}};
  if (dims == 2) columns.push_back({"b", [](M m) { return coordinate(m.b); }});
  return Table<PlaneMark>(columns);
}

}  // namespace landscape
