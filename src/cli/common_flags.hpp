// Flags shared by many commands, declared once so their names, defaults and help agree.
#pragma once

#include "cli/args.hpp"
#include "io/mnist.hpp"

namespace landscape {

void add_threads_flag(Args& args);   // --threads T (0: OMP_NUM_THREADS or all cores)
void apply_threads_flag(const Args& args);
void add_data_flags(Args& args);
Split parse_split(const std::string& name);  // train | test, else UsageError naming --split     // --data DIR, --train-images N, --test-images N

}  // namespace landscape
