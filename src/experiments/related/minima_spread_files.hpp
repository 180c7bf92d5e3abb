// What the minima spread writes (docs/algorithms.md §12): each CSV declared once by its
// columns (io/table_writer.hpp); numbers keep 10 significant digits.
//   OUT/spread.csv   one row per optimizer x width x restart: spread_runs_table()
//   OUT/summary.csv  one row per optimizer x width: spread_summary_table()
#pragma once

#include <string>
#include <vector>

#include "experiments/related/minima_spread.hpp"
#include "io/run_directory.hpp"
#include "io/table_writer.hpp"

namespace landscape {

const Table<SpreadRun>& spread_runs_table();
const Table<SpreadSummary>& spread_summary_table();

// summary.csv read back (the related report's findings; NaN cells stay NaN).
std::vector<SpreadSummary> read_spread_summary(const std::string& path);

void write_spread_files(const RunDirectory& out, const std::vector<SpreadRun>& runs,
                        const std::vector<SpreadSummary>& summary);

}  // namespace landscape
