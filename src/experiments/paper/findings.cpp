#include "experiments/paper/findings.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/statistics.hpp"
#include "experiments/paper/report_files.hpp"  // cell, the report's table files
#include "experiments/paper/study_layout.hpp"
#include "experiments/support/report_document.hpp"
#include "io/csv.hpp"

namespace landscape {

namespace fs = std::filesystem;

namespace {

// The mean, 0 for no values (the findings' evidence has always shown 0 there).
double mean_or_zero(const std::vector<double>& v) { return v.empty() ? 0 : mean(v); }

// Column `value` of the rows of `table` whose columns match every (name, wanted) in `where`.
std::vector<double> select(const CsvTable& table, const std::string& value,
                           const std::vector<std::pair<std::string, std::string>>& where) {
  std::vector<double> out;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    bool match = true;
    for (const auto& [name, wanted] : where) match = match && table.text(r, name) == wanted;
    if (match) out.push_back(table.number(r, value));
  }
  return out;
}

void check_training_loss(const CsvTable& t1, const std::string& arch, std::vector<Finding>& out) {
  const auto lb = select(t1, "train_loss", {{"arch", arch}, {"optimizer", "lbfgs"}});
  const auto sgd = select(t1, "train_loss", {{"arch", arch}, {"optimizer", "sgd"}});
  if (lb.empty() || sgd.empty()) return;
  out.push_back({arch, "L-BFGS-GSS reaches a lower training loss than SGD",
                 "mean train loss L-BFGS " + num(lb[0]) + ", SGD " + num(sgd[0]), lb[0] < sgd[0]});
}

// Figure 4 (and S2): per landscape, the w_train sets against each other and the w_test sets
// against each other. The autoencoder is the paper's exception: there L-BFGS barriers are lower.
void check_barriers(const CsvTable& barriers, const std::string& arch, std::vector<Finding>& out) {
  const bool reversed = arch == "ae";
  for (const char* land : {"train", "test"})
    for (const char* which : {"train", "test"}) {
      const std::string lb_set = std::string("lbfgs-") + which, sgd_set = std::string("sgd-") + which;
      const auto lb = select(barriers, "H", {{"arch", arch}, {"set", lb_set}, {"landscape", land}});
      const auto sgd = select(barriers, "H", {{"arch", arch}, {"set", sgd_set}, {"landscape", land}});
      if (lb.empty() || sgd.empty()) continue;
      const double a = mean_or_zero(lb), b = mean_or_zero(sgd);
      out.push_back({arch,
                     std::string(reversed ? "L-BFGS" : "SGD") + " barriers are lower (" + which + " sets, " +
                         land + " landscape)",
                     "mean H " + sgd_set + " " + num(b) + " (" + std::to_string(sgd.size()) + " pairs), " +
                         lb_set + " " + num(a) + " (" + std::to_string(lb.size()) + ")",
                     reversed ? a < b : b < a});
    }
}

// Beyond the paper (docs/algorithms.md §14.6): does finding 2 survive weight matching? The same
// comparison on the training landscape's aligned paths, per pair of sets.
void check_aligned_barriers(const CsvTable& aligned, const std::string& arch, std::vector<Finding>& out) {
  const bool reversed = arch == "ae";
  for (const char* which : {"train", "test"}) {
    const std::string lb_set = std::string("lbfgs-") + which, sgd_set = std::string("sgd-") + which;
    const auto lb = select(aligned, "H_after", {{"arch", arch}, {"set", lb_set}});
    const auto sgd = select(aligned, "H_after", {{"arch", arch}, {"set", sgd_set}});
    if (lb.empty() || sgd.empty()) continue;
    const double a = mean_or_zero(lb), b = mean_or_zero(sgd);
    out.push_back({arch,
                   std::string(reversed ? "L-BFGS" : "SGD") + " barriers are lower after weight matching (" +
                       which + " sets, train landscape; beyond the paper)",
                   "mean H after alignment " + sgd_set + " " + num(b) + " (" + std::to_string(sgd.size()) +
                       " pairs; before " +
                       num(mean_or_zero(select(aligned, "H_before", {{"arch", arch}, {"set", sgd_set}}))) +
                       "), " + lb_set + " " + num(a) + " (" + std::to_string(lb.size()) + "; before " +
                       num(mean_or_zero(select(aligned, "H_before", {{"arch", arch}, {"set", lb_set}}))) +
                       ")",
                   reversed ? a < b : b < a});
  }
}

// Beyond the paper (§10.10): "deeper, more isolated" minima as numbers. L-BFGS-GSS minima are
// sharper when both the mean Hessian lambda_max and the mean adaptive worst-case sharpness of
// its set exceed SGD's (the w_train sets, then the w_test sets).
void check_sharpness(const StudyLayout& layout, const std::string& arch, std::vector<Finding>& out) {
  const std::string file = layout.curvature_file(arch);
  if (!fs::exists(file)) return;
  const CsvTable t = read_csv(file);
  for (const char* which : {"train", "test"}) {
    const std::string lb = std::string("lbfgs-") + which, sgd = std::string("sgd-") + which;
    const double lb_max = mean_or_zero(select(t, "hessian_lambda_max", {{"set", lb}}));
    const double sgd_max = mean_or_zero(select(t, "hessian_lambda_max", {{"set", sgd}}));
    const double lb_sharp = mean_or_zero(select(t, "adaptive_sharpness", {{"set", lb}}));
    const double sgd_sharp = mean_or_zero(select(t, "adaptive_sharpness", {{"set", sgd}}));
    out.push_back({arch,
                   std::string("L-BFGS-GSS minima are sharper (") + which +
                       " sets: Hessian lambda_max and adaptive sharpness; beyond the paper)",
                   "mean lambda_max " + lb + " " + num(lb_max) + ", " + sgd + " " + num(sgd_max) +
                       "; adaptive sharpness " + num(lb_sharp) + ", " + num(sgd_sharp),
                   lb_max > sgd_max && lb_sharp > sgd_sharp});
  }
}

void check_distances(const StudyLayout& layout, const std::string& arch, std::vector<Finding>& out) {
  const std::string file = layout.lengths_file(arch);
  if (!fs::exists(file)) return;
  const CsvTable t = read_csv(file);
  const double lb = mean_or_zero(select(t, "distance", {{"set", "lbfgs-train"}}));
  const double sgd = mean_or_zero(select(t, "distance", {{"set", "sgd-test"}}));
  out.push_back({arch, "L-BFGS vectors lie farther from the common origin",
                 "mean distance L-BFGS-train " + num(lb) + ", SGD-test " + num(sgd), lb > sgd});
}

// Two sets are separated along PC1 when their PC1 intervals do not overlap.
bool separated_on_pc1(const CsvTable& t) {
  const auto a = select(t, "pc1", {{"set", "lbfgs-train"}});
  const auto b = select(t, "pc1", {{"set", "sgd-test"}});
  if (a.empty() || b.empty()) return false;
  const auto [amin, amax] = std::minmax_element(a.begin(), a.end());
  const auto [bmin, bmax] = std::minmax_element(b.begin(), b.end());
  return *amax < *bmin || *bmax < *amin;
}

void check_kpca(const StudyLayout& layout, const std::string& arch, std::vector<Finding>& out) {
  const std::string rbf_file = layout.kpca_file(arch, "rbf"), linear_file = layout.kpca_file(arch, "linear");
  if (!fs::exists(rbf_file) || !fs::exists(linear_file)) return;
  const bool rbf = separated_on_pc1(read_csv(rbf_file));
  const bool linear = separated_on_pc1(read_csv(linear_file));
  out.push_back({arch, "RBF kernel PCA separates L-BFGS-train from SGD-test along PC1, linear PCA does not",
                 std::string("PC1 intervals: RBF ") + (rbf ? "disjoint" : "overlap") + ", linear " +
                     (linear ? "disjoint" : "overlap"),
                 rbf && !linear});
}

// A table the report wrote, empty when it did not (that finding is then left out).
std::optional<CsvTable> read_report_table(const StudyLayout& layout, const char* name) {
  const std::string file = layout.report_file(name);
  if (!fs::exists(file)) return std::nullopt;
  return read_csv(file);
}

}  // namespace

std::vector<Finding> check_findings(const std::string& out, const std::vector<std::string>& archs) {
  const StudyLayout layout(out);
  std::vector<Finding> findings;
  const std::optional<CsvTable> t1 = read_report_table(layout, kTable1File);
  const std::optional<CsvTable> barriers = read_report_table(layout, kBarriersFile);
  const std::optional<CsvTable> aligned = read_report_table(layout, kAlignmentFile);
  for (const std::string& arch : archs) {
    if (t1) check_training_loss(*t1, arch, findings);
    if (barriers) check_barriers(*barriers, arch, findings);
    if (aligned) check_aligned_barriers(*aligned, arch, findings);
    check_distances(layout, arch, findings);
    check_sharpness(layout, arch, findings);
    check_kpca(layout, arch, findings);
  }
  return findings;
}

}  // namespace landscape
