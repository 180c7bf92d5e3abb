// What each fuzz target does with one input, shared by the libFuzzer executables (fuzz/*.cpp,
// `make fuzz`) and by tests/test_fuzz_regressions.cpp, which replays the seed corpora and every
// crash ever found (fuzz/regressions/<target>/) in the ordinary test suite.
//
// The contract under test: for ANY bytes, a reader either returns a value or throws
// landscape::Error (a message for the user naming the input). Everything else -- another
// exception type (std::out_of_range from a stoi, std::length_error, bad_alloc from a size taken
// on trust), a crash, a sanitizer report, a hang -- is a bug. So each target catches Error only.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/common_flags.hpp"
#include "cli/shard.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "experiments/support/preset.hpp"
#include "experiments/training/training_run.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "io/npy_dataset.hpp"
#include "models/described_model.hpp"
#include "models/model.hpp"
#include "models/model_description.hpp"
#include "models/onnx_import.hpp"
#include "models/weights_file.hpp"

namespace landscape::fuzz {

inline std::string as_string(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Runs f and swallows Error (the expected answer to a bad input); anything else escapes.
template <class F>
void expect_value_or_error(F&& f) {
  try {
    f();
  } catch (const Error&) {}
}

// The IDX reader of MNIST (src/io/mnist.cpp): the same bytes as an images and as a labels file.
inline void idx(const uint8_t* data, size_t size) {
  const std::string bytes = as_string(data, size);
  expect_value_or_error([&] {
    int n = 0, rows = 0, cols = 0;
    const std::vector<unsigned char> pixels = parse_idx_images("fuzz.idx", bytes, &n, &rows, &cols);
    // What a caller relies on: the pixel count agrees with the header it was given.
    if (pixels.size() != size_t(n) * size_t(rows) * size_t(cols)) __builtin_trap();
  });
  expect_value_or_error([&] { parse_idx_labels("fuzz.idx", bytes); });
}

// The .npy reader (src/io/npy.cpp): as a float matrix and as an int64 vector.
inline void npy(const uint8_t* data, size_t size) {
  const std::string bytes = as_string(data, size);
  expect_value_or_error([&] {
    const NpyMatrix m = parse_npy("fuzz.npy", bytes);
    if (m.rows < 0 || m.cols < 0 || m.data.size() != size_t(m.rows) * size_t(m.cols)) __builtin_trap();
  });
  expect_value_or_error([&] { parse_npy_int64_vector("fuzz.npy", bytes); });
}

// The command-line parser (src/cli/args.cpp) and the value parsers behind the flags. The input
// is the tokens of a command line, one per line; the flags are those of a typical command.
inline void args(const uint8_t* data, size_t size) {
  std::vector<std::string> tokens;
  std::string text = as_string(data, size), token;
  for (char c : text) {
    if (c == '\n') {
      tokens.push_back(token);
      token.clear();
    } else {
      token += c;
    }
  }
  if (!token.empty()) tokens.push_back(token);
  // --help prints the help text and stops: nothing to find there, and it would flood the log.
  std::erase_if(tokens, [](const std::string& t) { return t == "--help" || t == "-h"; });

  expect_value_or_error([&] {
    Args a("fuzz", "fuzz target");
    a.flag("arch", "fcp", "model")
        .flag("out", "", "output directory", true)
        .flag("runs", "1", "runs")
        .flag("lr", "0.01", "learning rate")
        .flag("rows", "all", "rows")
        .flag("shard", "", "i/n")
        .flag("split", "train", "train | test")
        .flag("activation", "softplus", "activation")
        .flag("list", "", "comma list")
        .toggle("verbose", "a switch");
    a.declare(ThreadsOption::table());
    a.flag("train-images", "60000", "use the first N training images")
        .declare(TrainConfig::table(), {}, {"lr"});  // a parameter table's flags (--lr: the one above)
    a.parse(tokens);
    // Read every flag back the way commands do; each may throw a UsageError (an Error).
    auto each = [](auto&& read) { expect_value_or_error(read); };
    each([&] { a.integer("runs", 1, 1000000); });
    each([&] { a.integer("threads", 0, 4096); });
    each([&] { a.integer("train-images", 1, 60000); });
    each([&] { a.read(TrainConfig::table()); });
    each([&] { a.real("lr", -1e300, 1e300); });
    each([&] { parse_rows(a.str("rows"), 7); });
    each([&] { parse_shard(a.str("shard")); });
    each([&] { parse_split(a.str("split")); });
    each([&] { parse_activation(a.str("activation")); });
    each([&] { split_commas(a.list("list").empty() ? a.str("list") : a.list("list").front()); });
    a.on("verbose");
    a.given("out");
    a.command_line();
    a.help();
  });
}

// The preset / --config parser of `landscape reproduce` (src/experiments/support/preset.cpp).
inline void config(const uint8_t* data, size_t size) {
  expect_value_or_error([&] {
    const Preset p = parse_preset("fuzz.conf", as_string(data, size));
    // What the study relies on: a plan for every model, keeping no more runs than it trains.
    for (const char* arch : {"fcp", "lenet", "lstm", "ae"}) {
      const StudyPlan& plan = p.plan(arch);
      if (plan.keep > plan.runs || plan.runs < 1 || plan.path.points < 2) __builtin_trap();
    }
  });
}

// What a caller relies on in a description: the model it builds has a parameter table whose
// blocks follow each other, and the description reads back from the JSON it writes.
inline void check_description(const ModelDescription& d) {
  const auto model = make_described_model(d);
  size_t offset = 0;
  for (const ParamBlock& b : model->layout()) {
    if (b.offset != offset) __builtin_trap();
    offset += b.size();
  }
  summarize_layers(d);
  const ModelDescription back = parse_model_description(write_model_description(d), "back.json");
  if (make_described_model(back)->num_params() != model->num_params()) __builtin_trap();
}

// The model description reader (src/models/model_description.cpp) and the shape checks of the
// model it describes (src/models/described_model.cpp).
inline void description(const uint8_t* data, size_t size) {
  expect_value_or_error(
      [&] { check_description(parse_model_description(as_string(data, size), "fuzz.json")); });
}

// The ONNX reader and its translation (src/models/onnx_graph.cpp, onnx_import.cpp): the weights
// it takes must fill the parameter table of the description it gives.
inline void onnx(const uint8_t* data, size_t size) {
  expect_value_or_error([&] {
    const ModelDescription d = translate_onnx_graph(parse_onnx_graph("fuzz.onnx", as_string(data, size)));
    if (d.weights.size() != make_described_model(d)->num_params()) __builtin_trap();
    check_description(d);
  });
}

// The .npy data directory (src/io/npy_dataset.cpp): the bytes as train_x.npy alone, then as
// train_y.npy beside a valid x of 3 examples. (Files, as the loader reads a directory: one
// directory per process, made on first use.)
inline void npy_data(const uint8_t* data, size_t size) {
  static const std::string dir = [] {
    char name[] = "/tmp/landscape-fuzz-npy-XXXXXX";
    return std::string(mkdtemp(name) ? name : "/tmp");
  }();
  auto put = [&](const std::string& file, const std::string& bytes) {
    std::ofstream(dir + "/" + file, std::ios::binary | std::ios::trunc) << bytes;
  };
  for (const char* f : {"train_y.npy", "test_x.npy", "test_y.npy"}) ::unlink((dir + "/" + f).c_str());
  put("train_x.npy", as_string(data, size));
  expect_value_or_error([&] {
    const Dataset d = load_npy_dataset(dir, Split::Train);
    if (d.images.size() != size_t(d.size()) * d.row_length()) __builtin_trap();
  });
  // x: 3 examples of 4 float32 values (the header np.save writes), then the bytes as labels
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string x = "\x93NUMPY\x01";
  x += '\0';
  x += char(header.size() & 0xff);
  x += char(header.size() >> 8);
  x += header + std::string(3 * 4 * 4, '\0');
  put("train_x.npy", x);
  put("train_y.npy", as_string(data, size));
  expect_value_or_error([&] {
    const Dataset d = load_npy_dataset(dir, Split::Train);
    if (d.size() != 3 || (d.has_labels && d.labels.size() != 3)) __builtin_trap();
  });
}

}  // namespace landscape::fuzz
