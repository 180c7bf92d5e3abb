// Long check (make test-long, not in CI): the paper's published LSTM L-BFGS training weights
// (../shared/weights/, 48 x 15456) reproduce the paper's Table I mean training loss, 1.63e-06,
// within 10%, over all 60,000 training images. Minutes of work in the float64 build.
#include <gtest/gtest.h>

#include <cstdio>

#include "io/mnist.hpp"
#include "models/dataset_loss.hpp"
#include "models/weights_file.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

TEST(PublishedWeights, LstmMeanTrainingLossMatchesTableI) {
  const std::string path = testing::published_lstm_weights_path();
  if (!testing::file_exists(path)) GTEST_SKIP() << "published weights not found at " << path;
  if (!testing::have_mnist()) GTEST_SKIP() << "MNIST not found in " << testing::mnist_dir();
  auto model = make_model("lstm");
  NpyMatrix w = read_weights(path, *model);
  ASSERT_EQ(w.rows, 48);
  Dataset train = load_mnist(testing::mnist_dir(), Split::Train);
  double sum = 0;
  for (int64_t r = 0; r < w.rows; ++r) {
    const double loss = dataset_loss(*model, train, w.row(r), nullptr).loss;
    std::printf("row %2lld: training loss %.6e\n", (long long)r, loss);
    sum += loss;
  }
  const double mean = sum / double(w.rows);
  std::printf("mean training loss over the 48 published LSTM vectors: %.6e (Table I: 1.63e-06)\n", mean);
  EXPECT_NEAR(mean / 1.63e-6, 1.0, 0.10);
}

}  // namespace
}  // namespace landscape
