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
void add_threads_flag(Args& args);  // --threads T
void apply_threads_flag(const Args& args);

// The model and the MNIST files of commands that evaluate given weights (eval, path).
struct ModelOptions {
  Activation activation = Activation::Softplus;
  std::string data_dir;
  static const ParameterTable<ModelOptions>& table();
};
void add_model_flags(Args& args);            // --activation softplus|relu, --data DIR
Split parse_split(const std::string& name);  // train | test, else UsageError naming --split
// --name a,b,c as numbers in [min, max], each checked as Args::real / Args::integer check a
// value (UsageError naming the flag); an empty list is an error too.
std::vector<double> real_list(const Args& args, const std::string& name, double min, double max);
std::vector<long long> integer_list(const Args& args, const std::string& name, long long min, long long max);

}  // namespace landscape
