// The report's findings section: each verdict follows the numbers, in the paper's direction,
// with the autoencoder's barrier order reversed, and findings without inputs left out.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "experiments/paper/findings.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

void write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

const Finding* find(const std::vector<Finding>& f, const std::string& arch, const std::string& start) {
  for (const Finding& x : f)
    if (x.arch == arch && x.claim.rfind(start, 0) == 0) return &x;
  return nullptr;
}

// The finding of `arch` whose claim starts with `start` is there, with the verdict `holds`.
::testing::AssertionResult verdict(const std::vector<Finding>& f, const std::string& arch,
                                   const std::string& start, bool holds) {
  const Finding* x = find(f, arch, start);
  if (!x) return ::testing::AssertionFailure() << "no finding " << arch << ": " << start;
  if (x->holds != holds)
    return ::testing::AssertionFailure()
           << arch << ": " << start << ": holds is " << x->holds << "; evidence: " << x->evidence;
  return ::testing::AssertionSuccess();
}

TEST(Findings, VerdictsFollowTheNumbers) {
  const std::string out = testing::temp_dir();
  write(out + "/report/table1.csv",
        "arch,optimizer,train_loss,test_loss,n_params\n"
        "fcp,lbfgs,1e-9,0.4,42200\nfcp,sgd,2e-3,0.5,42200\n"
        "ae,lbfgs,0.05,0.05,52224\nae,sgd,0.04,0.04,52224\n");
  // FCP: SGD lower on the training landscape for the w_train sets, higher for the w_test sets.
  // Autoencoder: L-BFGS lower (the paper's exception, so it holds).
  write(out + "/report/barriers.csv",
        "arch,set,landscape,i,j,H_linear,H\n"
        "fcp,lbfgs-train,train,0,1,5,0.3\nfcp,lbfgs-train,train,2,3,5,0.5\n"
        "fcp,sgd-train,train,0,1,1,0.1\nfcp,sgd-train,train,2,3,1,0.2\n"
        "fcp,lbfgs-test,train,0,1,1,0.1\nfcp,sgd-test,train,0,1,1,0.3\n"
        "ae,lbfgs-train,train,0,1,1,0.05\nae,sgd-train,train,0,1,1,0.1\n");
  write(out + "/fcp/analysis/lengths.csv",
        "set,row,distance\nlbfgs-train,0,20\nlbfgs-train,1,22\nsgd-test,0,10\n");
  write(out + "/fcp/analysis/kpca_rbf.csv",
        "set,row,pc1,pc2\nlbfgs-train,0,-1,0\nlbfgs-train,1,-0.5,0\nsgd-test,0,0.5,0\nsgd-test,1,1,0\n");
  write(out + "/fcp/analysis/kpca_linear.csv",
        "set,row,pc1,pc2\nlbfgs-train,0,-1,0\nlbfgs-train,1,0.7,0\nsgd-test,0,0.5,0\nsgd-test,1,1,0\n");

  const auto f = check_findings(out, {"fcp", "ae"});
  EXPECT_TRUE(verdict(f, "fcp", "L-BFGS-GSS reaches a lower training loss", true));
  EXPECT_TRUE(verdict(f, "ae", "L-BFGS-GSS reaches a lower training loss", false));

  const std::string train_sets = "SGD barriers are lower (train sets, train landscape)";
  EXPECT_TRUE(verdict(f, "fcp", train_sets, true));
  const Finding* b_train = find(f, "fcp", train_sets);
  ASSERT_NE(b_train, nullptr);
  EXPECT_NE(b_train->evidence.find("0.15"), std::string::npos) << b_train->evidence;  // mean of 0.1, 0.2
  EXPECT_TRUE(verdict(f, "fcp", "SGD barriers are lower (test sets, train landscape)", false));
  EXPECT_EQ(find(f, "fcp", "SGD barriers are lower (train sets, test landscape)"), nullptr);

  EXPECT_TRUE(verdict(f, "ae", "L-BFGS barriers are lower (train sets, train landscape)", true));

  EXPECT_TRUE(verdict(f, "fcp", "L-BFGS vectors lie farther", true));
  // RBF intervals disjoint, linear ones overlap
  EXPECT_TRUE(verdict(f, "fcp", "RBF kernel PCA separates", true));

  // No analysis files for the autoencoder: those findings are left out, not guessed.
  EXPECT_EQ(find(f, "ae", "L-BFGS vectors lie farther"), nullptr);
}

}  // namespace
}  // namespace landscape
