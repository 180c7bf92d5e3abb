#include "test_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "autodiff/ops.hpp"
#include "models/weights_file.hpp"

namespace landscape::testing {

std::string source_dir() {
  const char* dir = std::getenv("LANDSCAPE_SOURCE_DIR");
  return dir ? dir : ".";
}

std::string reference_path(const std::string& name) { return source_dir() + "/reference_outputs/" + name; }

std::string shared_path(const std::string& name) { return source_dir() + "/../shared/" + name; }

bool file_exists(const std::string& path) { return std::filesystem::exists(path); }

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

namespace {
std::string py_shape(const std::vector<int64_t>& shape) {  // Python's spelling: (3,) (2, 3)
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}
}  // namespace

std::string npy_bytes(const std::string& descr, const std::vector<int64_t>& shape, const std::string& data,
                      bool fortran) {
  const std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                           ", 'shape': " + py_shape(shape) + ", }";
  return npy_bytes_with_dict(dict, data);
}

std::string npy_bytes_with_dict(const std::string& dict, const std::string& data) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\0';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

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
  for (const char* f : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                        "t10k-labels-idx1-ubyte"})
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

Dataset pseudo_images(int n, unsigned seed, double lo, int label_step, int first_label) {
  Dataset d;
  d.images = random_tensor({n, kImagePixels}, seed, lo, 1);
  for (size_t i = 0; i < d.images.size(); ++i) d.images[i] = std::max(Scalar(0), d.images[i]);
  for (int i = 0; i < n; ++i) d.labels.push_back((i * label_step + first_label) % 10);
  return d;
}

std::string binary() {
  const char* b = std::getenv("LANDSCAPE_BINARY");
  return b ? b : "landscape";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

// fork + exec of argv with stdout and stderr sent to the given files; returns the child's pid.
// (Everything the child needs is built before fork: a test may have threads running, so the
// child calls only async-signal-safe functions.)
pid_t spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::pair<const char*, int> redirects[] = {{out.c_str(), STDOUT_FILENO},
                                                   {err.c_str(), STDERR_FILENO}};
  const pid_t pid = fork();
  if (pid != 0) return pid;
  for (const auto& [path, fd] : redirects) {
    const int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (f < 0 || dup2(f, fd) < 0) _exit(126);
    close(f);
  }
  execv(args[0], args.data());
  _exit(127);
}

int wait_status(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

CommandResult run_capture(const std::vector<std::string>& argv, const std::string& stdout_path) {
  const std::string dir = temp_dir();
  const std::string out = stdout_path.empty() ? dir + "/stdout" : stdout_path;
  CommandResult r;
  const pid_t pid = spawn(argv, out, dir + "/stderr");
  if (pid < 0) return r;
  r.status = wait_status(pid);
  if (stdout_path.empty()) r.out = read_file(out);
  r.err = read_file(dir + "/stderr");
  std::filesystem::remove_all(dir);
  return r;
}

int run_command(const std::vector<std::string>& argv) {
  const pid_t pid = spawn(argv, "/dev/null", "/dev/null");
  return pid < 0 ? -1 : wait_status(pid);
}

CommandResult run_and_signal(const std::vector<std::string>& argv, std::chrono::milliseconds delay,
                             int signal) {
  const std::string dir = temp_dir();
  CommandResult r;
  const pid_t pid = spawn(argv, dir + "/stdout", dir + "/stderr");
  if (pid < 0) return r;
  std::this_thread::sleep_for(delay);
  kill(pid, signal);
  r.status = wait_status(pid);
  r.out = read_file(dir + "/stdout");
  r.err = read_file(dir + "/stderr");
  std::filesystem::remove_all(dir);
  return r;
}

void run_and_kill(const std::vector<std::string>& argv, std::chrono::milliseconds delay) {
  const pid_t pid = spawn(argv, "/dev/null", "/dev/null");
  if (pid < 0) return;
  std::this_thread::sleep_for(delay);
  kill(pid, SIGKILL);
  wait_status(pid);
}

namespace {
double evaluate(const std::vector<Tensor>& inputs, const LossBuilder& loss) {
  Graph g;
  std::vector<Var> leaves;
  for (const Tensor& t : inputs) leaves.push_back(g.constant(t.clone()));
  return g.value(loss(g, leaves))[0];
}
}  // namespace

double relative_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double d2 = 0, a2 = 0, b2 = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    d2 += (a[i] - b[i]) * (a[i] - b[i]);
    a2 += a[i] * a[i];
    b2 += b[i] * b[i];
  }
  return std::sqrt(d2) / std::max(std::sqrt(std::max(a2, b2)), 1e-300);
}

double relative_error(const Scalar* a, const std::vector<Scalar>& reference) {
  double d2 = 0, b2 = 0;
  for (size_t i = 0; i < reference.size(); ++i) {
    d2 += (double(a[i]) - reference[i]) * (double(a[i]) - reference[i]);
    b2 += double(reference[i]) * reference[i];
  }
  return std::sqrt(d2 / std::max(b2, 1e-300));
}

namespace {
// The gradient of loss at inputs (all parameters), flattened in input order; with v, in tangent
// mode, H v instead.
std::vector<double> gradient_or_hvp(const std::vector<Tensor>& inputs, const LossBuilder& loss,
                                    const std::vector<Tensor>* v = nullptr) {
  Graph g;
  if (v) g.enable_tangents();
  std::vector<Tensor> grads, hv;
  std::vector<Var> leaves;
  for (size_t k = 0; k < inputs.size(); ++k) {
    grads.emplace_back(inputs[k].shape());
    hv.emplace_back(inputs[k].shape());
    leaves.push_back(v ? g.parameter(inputs[k].clone(), grads.back(), (*v)[k].clone(), hv.back())
                       : g.parameter(inputs[k].clone(), grads.back()));
  }
  g.backward(loss(g, leaves));
  std::vector<double> flat;
  for (const Tensor& t : v ? hv : grads) flat.insert(flat.end(), t.data(), t.data() + t.size());
  return flat;
}
}  // namespace

double hvp_check_error(const std::vector<Tensor>& inputs, const LossBuilder& loss, double h, unsigned seed) {
  std::vector<Tensor> v, up, down;
  for (size_t k = 0; k < inputs.size(); ++k) {
    v.push_back(random_tensor(inputs[k].shape(), seed + unsigned(k)));
    up.push_back(inputs[k].clone());
    down.push_back(inputs[k].clone());
    for (size_t i = 0; i < v[k].size(); ++i) {
      up[k][i] += Scalar(h) * v[k][i];
      down[k][i] -= Scalar(h) * v[k][i];
    }
  }
  const std::vector<double> gu = gradient_or_hvp(up, loss), gd = gradient_or_hvp(down, loss);
  std::vector<double> fd(gu.size());
  for (size_t i = 0; i < fd.size(); ++i) fd[i] = (gu[i] - gd[i]) / (2 * h);
  return relative_difference(gradient_or_hvp(inputs, loss, &v), fd);
}

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

Var to_scalar(Graph& g, Var y) {
  Tensor target = random_tensor(g.value(y).shape(), 99, -0.5, 0.5);
  return mse(g, y, g.constant(std::move(target)));
}

ValueAndGradients value_and_gradients(const std::vector<Tensor>& inputs, const LossBuilder& build,
                                      const std::function<Var(Graph&, Var)>& reduce) {
  Graph g;
  std::vector<Tensor> sinks;
  std::vector<Var> v;
  for (const Tensor& t : inputs) {
    sinks.emplace_back(t.shape());
    v.push_back(g.parameter(t, sinks.back()));
  }
  Var y = build(g, v);
  ValueAndGradients out;
  out.value.assign(g.value(y).data(), g.value(y).data() + g.value(y).size());
  g.backward(reduce(g, y));
  for (const Tensor& d : sinks) out.grads.emplace_back(d.data(), d.data() + d.size());
  return out;
}

std::string published_lstm_weights_path() {
  return shared_path("weights/LSTM_BFGS_Training_best48_weights.npy");
}

void PublishedLstmLandscape::SetUp() {
  if (!have_mnist()) GTEST_SKIP() << "MNIST not found";
  weights_path = published_lstm_weights_path();
  if (!file_exists(weights_path)) GTEST_SKIP() << "no " << weights_path;
  model = make_model("lstm");
  weights = read_weights(weights_path, *model);
  data = load_mnist(mnist_dir(), Split::Train, 128);
  land.emplace(*model, data);
}

std::map<std::string, std::string> files_under(const std::string& dir,
                                               const std::function<bool(const std::string&)>& skip) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string rel = e.path().lexically_relative(dir).string();
    if (e.is_regular_file() && !(skip && skip(rel))) files[rel] = read_file(e.path().string());
  }
  return files;
}

bool is_manifest(const std::string& relative_path) {
  return std::filesystem::path(relative_path).filename().string().rfind("manifest", 0) == 0;
}

}  // namespace landscape::testing
