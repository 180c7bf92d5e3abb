#include "experiments/related/sgd_walk_files.hpp"

#include <cstdlib>

#include "core/strings.hpp"
#include "experiments/support/table_columns.hpp"
#include "io/atomic_file.hpp"

namespace landscape {

namespace {

constexpr const char* kDigits = "%.10g";  // these files keep 10 significant digits
std::string fmt(double v) { return number_text(v, kDigits); }

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
      integer_column("epoch", &WalkStep::epoch),
      integer_column("step", &WalkStep::step),
      number_column("step_norm", &WalkStep::step_norm, kDigits),
      number_column("distance_from_init", &WalkStep::distance_from_init, kDigits),
      number_column("cosine_previous", &WalkStep::cosine_previous, kDigits),
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
  using P = WalkSegmentPoint;
  static const Table<P> table({integer_column("step", &P::step), number_column("alpha", &P::alpha, kDigits),
                               number_column("batch_loss", &P::batch_loss, kDigits),
                               number_column("eval_loss", &P::eval_loss, kDigits)});
  return table;
}

const Table<EpochRecord>& walk_curve_table() {
  using E = EpochRecord;
  static const Table<E> table({integer_column("epoch", &E::epoch),
                               number_column("train_loss", &E::train_loss, kDigits),
                               number_column("test_loss", &E::test_loss, kDigits)});
  return table;
}

const Table<WalkSummary>& walk_summary_table() {
  using W = WalkSummary;
  static const Table<W> table(
      {number_column("lr", &W::lr, kDigits), integer_column("batch", &W::batch),
       text_column("name", &W::name), integer_column("steps", &W::steps),
       number_column("height", &W::height, kDigits), number_column("floor_alpha", &W::floor_alpha, kDigits),
       number_column("interior", &W::interior, kDigits), number_column("cosine", &W::cosine, kDigits),
       number_column("distance", &W::distance, kDigits), number_column("train_loss", &W::train_loss, kDigits),
       number_column("test_loss", &W::test_loss, kDigits)});
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
