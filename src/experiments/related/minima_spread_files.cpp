#include "experiments/related/minima_spread_files.hpp"

#include "experiments/support/table_columns.hpp"
#include "io/csv.hpp"

namespace landscape {

namespace {

constexpr const char* kDigits = "%.10g";  // these files keep 10 significant digits

}  // namespace

const Table<SpreadRun>& spread_runs_table() {
  using R = SpreadRun;
  static const Table<R> table(
      {text_column("optimizer", &R::optimizer), integer_column("width", &R::width),
       integer_column("restart", &R::restart), integer_column("seed", &R::seed),
       integer_column("params", &R::params), number_column("train_loss", &R::train_loss, kDigits),
       number_column("test_loss", &R::test_loss, kDigits),
       number_column("test_accuracy", &R::test_accuracy, kDigits), integer_column("proposals", &R::proposals),
       number_column("acceptance", &R::acceptance, kDigits), number_column("seconds", &R::seconds, "%.4g"),
       text_column("status", &R::status)});
  return table;
}

const Table<SpreadSummary>& spread_summary_table() {
  using S = SpreadSummary;
  static const Table<S> table(
      {text_column("optimizer", &S::optimizer), integer_column("width", &S::width),
       integer_column("restarts", &S::restarts), integer_column("params", &S::params),
       number_column("test_mean", &S::test_mean, kDigits), number_column("test_std", &S::test_std, kDigits),
       number_column("test_iqr", &S::test_iqr, kDigits), number_column("test_min", &S::test_min, kDigits),
       number_column("test_max", &S::test_max, kDigits), number_column("train_mean", &S::train_mean, kDigits),
       number_column("train_std", &S::train_std, kDigits),
       number_column("train_test_corr", &S::correlation, kDigits),
       number_column("seconds", &S::seconds, "%.4g")});
  return table;
}

std::vector<SpreadSummary> read_spread_summary(const std::string& path) {
  const CsvTable t = read_csv(path);
  std::vector<SpreadSummary> out;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    SpreadSummary s;
    s.optimizer = t.rows[r][size_t(t.column("optimizer"))];
    s.width = int(t.number(r, "width"));
    s.restarts = int(t.number(r, "restarts"));
    s.params = long(t.number(r, "params"));
    s.test_mean = t.number(r, "test_mean");
    s.test_std = t.number(r, "test_std");
    s.test_iqr = t.number(r, "test_iqr");
    s.test_min = t.number(r, "test_min");
    s.test_max = t.number(r, "test_max");
    s.train_mean = t.number(r, "train_mean");
    s.train_std = t.number(r, "train_std");
    s.correlation = t.number(r, "train_test_corr");
    s.seconds = t.number(r, "seconds");
    out.push_back(s);
  }
  return out;
}

void write_spread_files(const RunDirectory& out, const std::vector<SpreadRun>& runs,
                        const std::vector<SpreadSummary>& summary) {
  spread_runs_table().write(out.file("spread.csv"), runs);
  spread_summary_table().write(out.file("summary.csv"), summary);
}

}  // namespace landscape
