// Flags shared by many commands, declared once so their names, defaults and help agree.
#pragma once

#include "cli/args.hpp"
#include "io/mnist.hpp"
#include "models/model.hpp"

namespace landscape {

struct ThreadsOption {
  int threads = 0;  // 0: OMP_NUM_THREADS, else all cores
  static const ParameterTable<ThreadsOption>& table();
};
// Every command's last steps of set-up: --threads T declared, the command line parsed, the
// thread count applied (OpenMP and BLAS). False when --help was asked for (the help printed).
bool parse_with_threads(Args& args, int argc, char** argv);

// The model, weights and data of commands that evaluate given weights: ModelOnData
// (experiments/support/model_on_data.hpp), the base of their tables.
Split parse_split(const std::string& name);  // train | test, else UsageError naming --split
// --name a,b,c as numbers in [min, max], each checked as Args::real / Args::integer check a
// value (UsageError naming the flag); an empty list is an error too.
std::vector<double> real_list(const Args& args, const std::string& name, double min, double max);
std::vector<long long> integer_list(const Args& args, const std::string& name, long long min, long long max);

}  // namespace landscape
