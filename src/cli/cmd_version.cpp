// landscape version: what this binary is and how it will run.
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "core/blas.hpp"
#include "core/parallel.hpp"
#include "core/scalar.hpp"

namespace landscape {

int cmd_version(int argc, char** argv) {
  Args args("version",
            "Prints the version, the scalar precision, the OpenMP thread count and "
            "the BLAS library with its threading mode.");
  if (!parse_with_threads(args, argc, argv)) return 0;
  std::cout << "landscape " << LANDSCAPE_VERSION << "\n"
            << "precision: " << kPrecisionName << "\n"
            << "threads:   " << num_threads() << " (OpenMP; OMP_NUM_THREADS or --threads)\n"
            << "blas:      " << blas::library_description() << ", " << blas::threads()
            << " threads outside our parallel regions\n";
  return 0;
}

}  // namespace landscape
