#include "experiments/related/minima_spread_files.hpp"

#include "experiments/support/table_columns.hpp"

namespace landscape {

namespace {

constexpr const char* kDigits = "%.10g";  // these files keep 10 significant digits

}  // namespace

const Table<SpreadRun>& spread_runs_table() {
  using R = SpreadRun;
  static const Table<R> table({
      text_column("optimizer", &R::optimizer), integer_column("width", &R::width),
      integer_column("restart", &R::restart), integer_column("seed", &R::seed), integer_column("params", &R::params),
      number_column("train_loss", &R::train_loss, kDigits), number_column("test_loss", &R::test_loss, kDigits),
      number_column("test_accuracy", &R::test_accuracy, kDigits), text_column("status", &R::status)});
  return table;
}

const Table<SpreadSummary>& spread_summary_table() {
  using S = SpreadSummary;
  static const Table<S> table({
      text_column("optimizer", &S::optimizer), integer_column("width", &S::width),
      integer_column("restarts", &S::restarts), integer_column("params", &S::params),
      number_column("test_mean", &S::test_mean, kDigits), number_column("test_std", &S::test_std, kDigits),
      number_column("test_iqr", &S::test_iqr, kDigits), number_column("test_min", &S::test_min, kDigits),
      number_column("test_max", &S::test_max, kDigits), number_column("train_mean", &S::train_mean, kDigits),
      number_column("train_std", &S::train_std, kDigits),
      number_column("train_test_corr", &S::correlation, kDigits)});
  return table;
}

void write_spread_files(const RunDirectory& out, const std::vector<SpreadRun>& runs,
                        const std::vector<SpreadSummary>& summary) {
  spread_runs_table().write(out.file("spread.csv"), runs);
  spread_summary_table().write(out.file("summary.csv"), summary);
}

}  // namespace landscape
