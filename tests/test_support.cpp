#include "test_support.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace landscape::testing {

std::string source_dir() {
  const char* dir = std::getenv("LANDSCAPE_SOURCE_DIR");
  return dir ? dir : ".";
}

std::string reference_path(const std::string& name) {
  return source_dir() + "/reference_outputs/" + name;
}

std::string shared_path(const std::string& name) { return source_dir() + "/../shared/" + name; }

bool file_exists(const std::string& path) { return std::filesystem::exists(path); }

std::string temp_dir() {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path() /
             ("landscape-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string mnist_dir() {
  const char* dir = std::getenv("LANDSCAPE_DATA");
  return dir ? dir : source_dir() + "/data/mnist";
}

bool have_mnist() {
  for (const char* f : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
    if (!file_exists(mnist_dir() + "/" + f)) return false;
  return true;
}

Tensor random_tensor(Shape shape, unsigned seed, double lo, double hi) {
  Tensor t(std::move(shape));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  for (size_t i = 0; i < t.size(); ++i) t[i] = static_cast<Scalar>(u(rng));
  return t;
}

namespace {
double evaluate(const std::vector<Tensor>& inputs, const LossBuilder& loss) {
  Graph g;
  std::vector<Var> leaves;
  for (const Tensor& t : inputs) leaves.push_back(g.constant(t.clone()));
  return g.value(loss(g, leaves))[0];
}
}  // namespace

double gradient_check_error(std::vector<Tensor> inputs, const LossBuilder& loss, double h) {
  // Analytic gradients: every input is a parameter leaf with its own gradient buffer.
  std::vector<Tensor> analytic;
  {
    Graph g;
    std::vector<Var> leaves;
    for (const Tensor& t : inputs) {
      analytic.emplace_back(t.shape());
      leaves.push_back(g.parameter(t.clone(), analytic.back()));
    }
    g.backward(loss(g, leaves));
  }
  double worst = 0;
  for (size_t k = 0; k < inputs.size(); ++k) {
    double diff2 = 0, a2 = 0, n2 = 0;
    for (size_t i = 0; i < inputs[k].size(); ++i) {
      const Scalar keep = inputs[k][i];
      inputs[k][i] = keep + h;
      const double up = evaluate(inputs, loss);
      inputs[k][i] = keep - h;
      const double down = evaluate(inputs, loss);
      inputs[k][i] = keep;
      const double numeric = (up - down) / (2 * h);
      const double a = analytic[k][i];
      diff2 += (a - numeric) * (a - numeric);
      a2 += a * a;
      n2 += numeric * numeric;
    }
    const double scale = std::max(std::sqrt(std::max(a2, n2)), 1e-12);
    worst = std::max(worst, std::sqrt(diff2) / scale);
  }
  return worst;
}

}  // namespace landscape::testing
