#include "experiments/related/hessian_study_files.hpp"

#include "core/error.hpp"
#include "experiments/support/table_columns.hpp"
#include "io/csv.hpp"

namespace landscape {

namespace {

struct DensityPoint {
  long row = 0;
  double t = 0, density = 0;
};

// The columns of a row's own file; the whole study's table adds the row in front.
template <class Row>
std::vector<Column<Row>> with_row_column(std::vector<Column<Row>> columns) {
  columns.insert(columns.begin(), integer_column("row", &Row::row));
  return columns;
}

std::vector<Column<DensityPoint>> density_columns() {
  return {number_column("t", &DensityPoint::t), number_column("density", &DensityPoint::density)};
}

std::vector<Column<HessianLayerResult>> layer_columns() {
  using L = HessianLayerResult;
  return {integer_column("block", &L::block),
          text_column("name", &L::name),
          integer_column("size", &L::size),
          number_column("lambda_max", &L::lambda_max),
          number_column("lambda_min", &L::lambda_min),
          number_column("ratio", &L::ratio),
          number_column("trace", &L::trace),
          number_column("trace_se", &L::trace_se)};
}

// A row's own files, and the study's tables of every row.
const Table<DensityPoint> kRowDensity(density_columns()), kDensity(with_row_column(density_columns()));
const Table<HessianLayerResult> kRowLayers(layer_columns()), kLayers(with_row_column(layer_columns()));

std::vector<DensityPoint> density_points(const HessianRowResult& r) {
  std::vector<DensityPoint> points;
  for (size_t i = 0; i < r.density_t.size(); ++i) points.push_back({r.row, r.density_t[i], r.density[i]});
  return points;
}

std::string row_file(long row, const std::string& suffix) {
  return "rows/row-" + std::to_string(row) + suffix + ".csv";
}

}  // namespace

const Table<HessianRowResult>& spectrum_table() {
  using R = HessianRowResult;
  static const Table<R> table(
      {integer_column("row", &R::row), number_column("loss", &R::loss),
       number_column("lambda_max", &R::lambda_max), number_column("lambda_min", &R::lambda_min),
       number_column("ratio", &R::ratio), number_column("residual_max", &R::residual_max),
       number_column("residual_min", &R::residual_min), number_column("trace", &R::trace),
       number_column("trace_se", &R::trace_se), number_column("slq_trace", &R::slq_trace),
       integer_column("hvps", &R::hvps), number_column("seconds", &R::seconds)});
  return table;
}

std::string row_mark(long row) { return row_file(row, ""); }

void write_row_files(const RunDirectory& dir, const HessianRowResult& r, bool per_layer) {
  dir.write(row_file(r.row, "-density"), kRowDensity.text(density_points(r)));
  if (per_layer) dir.write(row_file(r.row, "-layers"), kRowLayers.text(r.layers));
  if (!r.lanczos_trace.empty()) dir.write("trace-" + std::to_string(r.row) + ".csv", r.lanczos_trace);
  dir.write(row_mark(r.row), spectrum_table().text({r}));
}

HessianRowResult read_row_files(const RunDirectory& dir, long row, bool per_layer) {
  const CsvTable t = read_csv(dir.file(row_mark(row)));
  if (t.rows.size() != 1) throw Error(t.path + ": expected one line of results");
  HessianRowResult r;
  r.row = long(t.number(0, "row"));
  r.loss = t.number(0, "loss");
  r.lambda_max = t.number(0, "lambda_max");
  r.lambda_min = t.number(0, "lambda_min");
  r.ratio = t.number(0, "ratio");
  r.residual_max = t.number(0, "residual_max");
  r.residual_min = t.number(0, "residual_min");
  r.trace = t.number(0, "trace");
  r.trace_se = t.number(0, "trace_se");
  r.slq_trace = t.number(0, "slq_trace");
  r.hvps = long(t.number(0, "hvps"));
  r.seconds = t.number(0, "seconds");
  const CsvTable d = read_csv(dir.file(row_file(row, "-density")));
  for (size_t i = 0; i < d.rows.size(); ++i) {
    r.density_t.push_back(d.number(i, "t"));
    r.density.push_back(d.number(i, "density"));
  }
  if (!per_layer) return r;
  const CsvTable l = read_csv(dir.file(row_file(row, "-layers")));
  for (size_t i = 0; i < l.rows.size(); ++i)
    r.layers.push_back({row, size_t(l.number(i, "block")), l.rows[i][l.column("name")],
                        size_t(l.number(i, "size")), l.number(i, "lambda_max"), l.number(i, "lambda_min"),
                        l.number(i, "ratio"), l.number(i, "trace"), l.number(i, "trace_se")});
  return r;
}

void write_hessian_files(const RunDirectory& dir, const std::vector<HessianRowResult>& rows, bool per_layer) {
  std::vector<DensityPoint> density;
  std::vector<HessianLayerResult> layers;
  for (const HessianRowResult& r : rows) {
    for (const DensityPoint& p : density_points(r)) density.push_back(p);
    layers.insert(layers.end(), r.layers.begin(), r.layers.end());
  }
  spectrum_table().write(dir.file("spectrum.csv"), rows);
  kDensity.write(dir.file("density.csv"), density);
  if (per_layer) kLayers.write(dir.file("layers.csv"), layers);
}

}  // namespace landscape
