#include "experiments/related/minima_spread_files.hpp"

#include "core/strings.hpp"

namespace landscape {

namespace {

std::string fmt(double v) { return number_text(v, "%.10g"); }

}  // namespace

const Table<SpreadRun>& spread_runs_table() {
  using R = const SpreadRun&;
  static const Table<SpreadRun> table({
      {"optimizer", [](R r) { return r.optimizer; }},
      {"width", [](R r) { return std::to_string(r.width); }},
      {"restart", [](R r) { return std::to_string(r.restart); }},
      {"seed", [](R r) { return std::to_string(r.seed); }},
      {"params", [](R r) { return std::to_string(r.params); }},
      {"train_loss", [](R r) { return fmt(r.train_loss); }},
      {"test_loss", [](R r) { return fmt(r.test_loss); }},
      {"test_accuracy", [](R r) { return fmt(r.test_accuracy); }},
      {"status", [](R r) { return r.status; }},
  });
  return table;
}

const Table<SpreadSummary>& spread_summary_table() {
  using S = const SpreadSummary&;
  static const Table<SpreadSummary> table({
      {"optimizer", [](S s) { return s.optimizer; }},
      {"width", [](S s) { return std::to_string(s.width); }},
      {"restarts", [](S s) { return std::to_string(s.restarts); }},
      {"params", [](S s) { return std::to_string(s.params); }},
      {"test_mean", [](S s) { return fmt(s.test_mean); }},
      {"test_std", [](S s) { return fmt(s.test_std); }},
      {"test_iqr", [](S s) { return fmt(s.test_iqr); }},
      {"test_min", [](S s) { return fmt(s.test_min); }},
      {"test_max", [](S s) { return fmt(s.test_max); }},
      {"train_mean", [](S s) { return fmt(s.train_mean); }},
      {"train_std", [](S s) { return fmt(s.train_std); }},
      {"train_test_corr", [](S s) { return fmt(s.correlation); }},
  });
  return table;
}

void write_spread_files(const RunDirectory& out, const std::vector<SpreadRun>& runs,
                        const std::vector<SpreadSummary>& summary) {
  spread_runs_table().write(out.file("spread.csv"), runs);
  spread_summary_table().write(out.file("summary.csv"), summary);
}

}  // namespace landscape
