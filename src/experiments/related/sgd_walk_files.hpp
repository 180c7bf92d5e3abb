// What the walk with SGD writes (docs/algorithms.md §11): every CSV declared once by its
// columns (io/table_writer.hpp), so its header and its rows cannot disagree. Numbers keep 10
// significant digits.
//
//   OUT/lr<lr>-batch<b>/steps.csv     one row per recorded step: walk_steps_table()
//   OUT/lr<lr>-batch<b>/segments.csv  step,alpha,batch_loss,eval_loss (M rows per step)
//   OUT/lr<lr>-batch<b>/curve.csv     epoch,train_loss,test_loss
//   OUT/summary.csv                   one row per (lr, batch): walk_summary_table()
#pragma once

#include <string>
#include <vector>

#include "experiments/related/sgd_walk.hpp"
#include "io/run_directory.hpp"
#include "io/table_writer.hpp"

namespace landscape {

// One point of a segment: segments.csv has M of them per recorded step.
struct WalkSegmentPoint {
  long step = 0;
  double alpha = 0, batch_loss = 0, eval_loss = 0;
};
std::vector<WalkSegmentPoint> segment_points(const std::vector<WalkStep>& steps);  // [S * M]

const Table<WalkStep>& walk_steps_table();
const Table<WalkSegmentPoint>& walk_segments_table();
const Table<EpochRecord>& walk_curve_table();
const Table<WalkSummary>& walk_summary_table();

// The value a reader of these files gets back for v (v rounded to the files' 10 digits).
double as_written(double v);

// Every run's directory (steps, segments, curve) and OUT/summary.csv.
void write_walk_files(const RunDirectory& out, const std::vector<WalkRun>& runs);

}  // namespace landscape
