// What the Hessian study writes (docs/algorithms.md §10): every CSV declared once by its
// columns (io/table_writer.hpp); numbers with all 17 digits, so a resumed row reads back the
// very values it was written with.
//
//   DIR/rows/row-R.csv           the row's spectrum line (written last: the row's finished mark)
//   DIR/rows/row-R-density.csv   t,density
//   DIR/rows/row-R-layers.csv    block,name,size,lambda_max,lambda_min,ratio,trace,trace_se
//   DIR/spectrum.csv, density.csv, layers.csv   every row's, with a row column
#pragma once

#include <string>
#include <vector>

#include "experiments/related/hessian_study.hpp"
#include "io/run_directory.hpp"
#include "io/table_writer.hpp"

namespace landscape {

const Table<HessianRowResult>& spectrum_table();

std::string row_mark(long row);  // "rows/row-R.csv"
// A finished row's files, the mark last.
void write_row_files(const RunDirectory& dir, const HessianRowResult& r, bool per_layer);
// A row finished before: its spectrum, density and (per_layer) blocks.
HessianRowResult read_row_files(const RunDirectory& dir, long row, bool per_layer);

// spectrum.csv, density.csv and (per_layer) layers.csv of every row.
void write_hessian_files(const RunDirectory& dir, const std::vector<HessianRowResult>& rows, bool per_layer);

}  // namespace landscape
