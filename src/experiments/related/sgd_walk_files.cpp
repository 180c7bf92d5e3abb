#include "experiments/related/sgd_walk_files.hpp"

#include <cstdlib>

#include "core/strings.hpp"
#include "io/atomic_file.hpp"

namespace landscape {

namespace {

std::string fmt(double v) { return number_text(v, "%.10g"); }

// The floors of a step's two profiles, for the cells that show them.
SegmentFloor batch_floor(const WalkStep& s) { return segment_floor(s.batch_loss); }
SegmentFloor eval_floor(const WalkStep& s) { return segment_floor(s.eval_loss); }

}  // namespace

double as_written(double v) { return std::strtod(fmt(v).c_str(), nullptr); }

std::vector<WalkSegmentPoint> segment_points(const std::vector<WalkStep>& steps) {
  std::vector<WalkSegmentPoint> points;
  for (const WalkStep& s : steps) {
    const int M = int(s.eval_loss.size());
    for (int m = 0; m < M; ++m)
      points.push_back({s.step, double(m) / (M - 1), s.batch_loss[m], s.eval_loss[m]});
  }
  return points;
}

const Table<WalkStep>& walk_steps_table() {
  using S = const WalkStep&;
  static const Table<WalkStep> table({
      {"epoch", [](S s) { return std::to_string(s.epoch); }},
      {"step", [](S s) { return std::to_string(s.step); }},
      {"step_norm", [](S s) { return fmt(s.step_norm); }},
      {"distance_from_init", [](S s) { return fmt(s.distance_from_init); }},
      {"cosine_previous", [](S s) { return fmt(s.cosine_previous); }},
      {"batch_start", [](S s) { return fmt(s.batch_loss.front()); }},
      {"batch_end", [](S s) { return fmt(s.batch_loss.back()); }},
      {"batch_floor_alpha", [](S s) { return fmt(batch_floor(s).alpha); }},
      {"batch_floor_loss", [](S s) { return fmt(batch_floor(s).loss); }},
      {"eval_start", [](S s) { return fmt(s.eval_loss.front()); }},
      {"eval_end", [](S s) { return fmt(s.eval_loss.back()); }},
      {"eval_floor_alpha", [](S s) { return fmt(eval_floor(s).alpha); }},
      {"eval_floor_loss", [](S s) { return fmt(eval_floor(s).loss); }},
      // The heights of the two iterates above the floor of the evaluation profile.
      {"height_start", [](S s) { return fmt(s.eval_loss.front() - eval_floor(s).loss); }},
      {"height_end", [](S s) { return fmt(s.eval_loss.back() - eval_floor(s).loss); }},
  });
  return table;
}

const Table<WalkSegmentPoint>& walk_segments_table() {
  using P = const WalkSegmentPoint&;
  static const Table<WalkSegmentPoint> table({
      {"step", [](P p) { return std::to_string(p.step); }},
      {"alpha", [](P p) { return fmt(p.alpha); }},
      {"batch_loss", [](P p) { return fmt(p.batch_loss); }},
      {"eval_loss", [](P p) { return fmt(p.eval_loss); }},
  });
  return table;
}

const Table<EpochRecord>& walk_curve_table() {
  using E = const EpochRecord&;
  static const Table<EpochRecord> table({
      {"epoch", [](E e) { return std::to_string(e.epoch); }},
      {"train_loss", [](E e) { return fmt(e.train_loss); }},
      {"test_loss", [](E e) { return fmt(e.test_loss); }},
  });
  return table;
}

const Table<WalkSummary>& walk_summary_table() {
  using W = const WalkSummary&;
  static const Table<WalkSummary> table({
      {"lr", [](W s) { return fmt(s.lr); }},
      {"batch", [](W s) { return std::to_string(s.batch); }},
      {"name", [](W s) { return s.name; }},
      {"steps", [](W s) { return std::to_string(s.steps); }},
      {"height", [](W s) { return fmt(s.height); }},
      {"floor_alpha", [](W s) { return fmt(s.floor_alpha); }},
      {"interior", [](W s) { return fmt(s.interior); }},
      {"cosine", [](W s) { return fmt(s.cosine); }},
      {"distance", [](W s) { return fmt(s.distance); }},
      {"train_loss", [](W s) { return fmt(s.train_loss); }},
      {"test_loss", [](W s) { return fmt(s.test_loss); }},
  });
  return table;
}

void write_walk_files(const RunDirectory& out, const std::vector<WalkRun>& runs) {
  std::vector<WalkSummary> summaries;
  for (const WalkRun& r : runs) {
    const std::string dir = out.file(r.summary.name);
    make_directories(dir);
    walk_steps_table().write(dir + "/steps.csv", r.result.steps);
    walk_segments_table().write(dir + "/segments.csv", segment_points(r.result.steps));
    walk_curve_table().write(dir + "/curve.csv", r.result.run.curve);
    summaries.push_back(r.summary);
  }
  walk_summary_table().write(out.file("summary.csv"), summaries);
}

}  // namespace landscape
