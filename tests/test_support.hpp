// Helpers shared by the test executables: where golden files live, seeded random tensors and
// pseudo-images, and the float64 central-difference gradient check that every op and model must pass.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "autodiff/graph.hpp"
#include "core/error.hpp"
#include "core/tensor.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "landscape/model_landscape.hpp"
#include "models/model.hpp"

namespace landscape::testing {

std::string source_dir();                        // $LANDSCAPE_SOURCE_DIR (set by meson)
std::string reference_path(const std::string&);  // source_dir()/reference_outputs/NAME
std::string shared_path(const std::string&);     // source_dir()/../shared/NAME
bool file_exists(const std::string& path);
std::string temp_dir();   // a fresh empty directory for one test
std::string mnist_dir();  // $LANDSCAPE_DATA, else source_dir()/data/mnist
bool have_mnist();        // the four MNIST files are there (tests needing them skip otherwise)

Tensor random_tensor(Shape shape, unsigned seed, double lo = -1, double hi = 1);

// n pseudo-images of MNIST's size, labelled (i * label_step + first_label) % 10: pixels drawn
// uniformly in [lo, 1] (random_tensor with `seed`), those below 0 set to 0. lo < 0 gives
// MNIST's mix of exact zeros and values in (0, 1] (a share -lo / (1 - lo) of zeros), which sends
// a dense input layer to its sparse product; lo >= 0 clips nothing. The defaults: MNIST's value
// range, labels cycling through the digits.
Dataset pseudo_images(int n, unsigned seed, double lo = 0, int label_step = 3, int first_label = 1);

// Writes bytes to path as they are (no temporary file: tests write what a user might).
void write_bytes(const std::string& path, const std::string& bytes);
// A version 1.0 .npy file as np.save writes it: magic, version, uint16 header length, the dict
// padded with spaces and a newline to a multiple of 64 bytes, then `data` (raw_bytes). For the
// dtypes write_npy does not write: integer labels, uint8 images, big-endian, Fortran order.
std::string npy_bytes(const std::string& descr, const std::vector<int64_t>& shape, const std::string& data,
                      bool fortran = false);
// The same framing around any header dict, a malformed one included.
std::string npy_bytes_with_dict(const std::string& dict, const std::string& data);
template <class T>
std::string raw_bytes(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}
template <class T>
void write_npy_array(const std::string& path, const std::string& descr, const std::vector<int64_t>& shape,
                     const std::vector<T>& values) {
  write_bytes(path, npy_bytes(descr, shape, raw_bytes(values)));
}

// Every file under dir, relative path -> bytes, hidden files included, except those whose
// relative path `skip` accepts.
std::map<std::string, std::string> files_under(const std::string& dir,
                                               const std::function<bool(const std::string&)>& skip = {});
bool is_manifest(const std::string& relative_path);  // its file name starts with "manifest"

// Runs f, which must throw an Error whose message contains every one of `parts`.
template <class F>
void expect_error(F f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "no Error thrown; expected one mentioning " << parts.front();
  } catch (const Error& e) {
    const std::string message = e.what();
    for (const std::string& p : parts)
      EXPECT_NE(message.find(p), std::string::npos) << "message: " << message << "\nmissing: " << p;
  }
}

// The message of the UsageError that f throws; "" when it throws none.
template <class F>
std::string usage_error_of(F f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

// The command line as a user runs it.
std::string binary();                            // $LANDSCAPE_BINARY (set by meson), else "landscape"
std::string read_file(const std::string& path);  // the whole file ("" if unreadable)
// The first N lines of the file at path, without their '\n' ("" past its end): a CSV's header
// and first rows.
template <std::size_t N>
std::array<std::string, N> first_lines(const std::string& path) {
  std::istringstream in(read_file(path));
  std::array<std::string, N> lines;
  for (std::string& line : lines) std::getline(in, line);
  return lines;
}
struct CommandResult {
  int status = -1;       // exit status; 128 + the signal when killed by one
  std::string out, err;  // what it wrote to stdout (unless sent elsewhere) and to stderr
};
// Runs argv (argv[0] a path, no shell) and waits. stdout_path: where its stdout goes instead of
// being captured (e.g. /dev/full).
CommandResult run_capture(const std::vector<std::string>& argv, const std::string& stdout_path = "");
int run_command(const std::vector<std::string>& argv);  // output discarded; the exit status
// Starts argv, sends it `signal` after `delay` and waits: its exit status and what it wrote.
CommandResult run_and_signal(const std::vector<std::string>& argv, std::chrono::milliseconds delay,
                             int signal);
// Starts argv (output discarded), SIGKILLs it after `delay` and waits for it.
void run_and_kill(const std::vector<std::string>& argv, std::chrono::milliseconds delay);

// Builds a scalar loss from leaves standing for `inputs` (same order).
using LossBuilder = std::function<Var(Graph&, const std::vector<Var>&)>;

// Largest, over the inputs, of |analytic - numeric| / max(|analytic|, |numeric|) (norms of the
// whole gradient), with central differences of step h.
double gradient_check_error(std::vector<Tensor> inputs, const LossBuilder& loss, double h = 1e-6);

// Relative difference between the R-operator's H v and (grad(x + h v) - grad(x - h v)) / 2h,
// for a random direction v (drawn with seeds seed, seed+1, ... per input), as
// relative_difference.
double hvp_check_error(const std::vector<Tensor>& inputs, const LossBuilder& loss, double h = 1e-5,
                       unsigned seed = 500);

// |a - b| / max(|a|, |b|) over whole vectors (norms), as gradient_check_error.
double relative_difference(const std::vector<double>& a, const std::vector<double>& b);
// |a - reference| / |reference| over whole vectors (norms): ours against a reference (PyTorch).
double relative_error(const Scalar* a, const std::vector<Scalar>& reference);

inline constexpr bool kFloat64 = sizeof(Scalar) == 8;

// A fixture for the finite-difference checks: they run in the float64 build and skip in float32.
class Float64Only : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!kFloat64) GTEST_SKIP() << "finite-difference checks run in the float64 build";
  }
};

// Reduces any tensor to a scalar through a fixed random target (mse against values in
// [-0.5, 0.5], seed 99), so every output element reaches the loss with its own weight.
Var to_scalar(Graph& g, Var y);

// What one graph computes: y = build(leaves standing for `inputs`), and the gradient of
// reduce(y) with respect to every input.
struct ValueAndGradients {
  std::vector<Scalar> value;               // y, its elements in order
  std::vector<std::vector<Scalar>> grads;  // one per input, same order
};
ValueAndGradients value_and_gradients(const std::vector<Tensor>& inputs, const LossBuilder& build,
                                      const std::function<Var(Graph&, Var)>& reduce = to_scalar);

// The paper's published LSTM L-BFGS training weights, 48 x 15456 (a worktree has no ../shared).
std::string published_lstm_weights_path();  // shared_path("weights/LSTM_BFGS_Training_best48...")

// A fixture on a trained network's landscape: those weights and the mean loss over the first 128
// MNIST training images. The test skips where MNIST or the weights are missing.
class PublishedLstmLandscape : public ::testing::Test {
 protected:
  void SetUp() override;

  std::string weights_path;  // published_lstm_weights_path()
  std::unique_ptr<Model> model;
  NpyMatrix weights;
  Dataset data;
  std::optional<ModelLandscape> land;  // on *model and data
};

}  // namespace landscape::testing
