// Flags shared by many commands, declared once so their names, defaults and help agree.
#pragma once

#include "cli/args.hpp"
#include "io/mnist.hpp"

namespace landscape {

void add_threads_flag(Args& args);   // --threads T (0: OMP_NUM_THREADS or all cores)
void apply_threads_flag(const Args& args);
void add_data_flags(Args& args);     // --data DIR, --train-images N, --test-images N
// --activation softplus|relu and --data DIR: the model and the MNIST files of commands that
// evaluate given weights on one split (eval, path, surface, hessian).
void add_model_flags(Args& args);
Split parse_split(const std::string& name);  // train | test, else UsageError naming --split
// --name a,b,c as numbers in [min, max], each checked as Args::real / Args::integer check a
// value (UsageError naming the flag); an empty list is an error too.
std::vector<double> real_list(const Args& args, const std::string& name, double min, double max);
std::vector<long long> integer_list(const Args& args, const std::string& name, long long min, long long max);

}  // namespace landscape
