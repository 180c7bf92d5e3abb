// What a --data directory holds, and the one entry point every command reads data through
// (docs/algorithms.md §1): the four MNIST IDX files (also Fashion-MNIST, KMNIST: same format)
// or the .npy files of io/npy_dataset.hpp.
#pragma once

#include <string>

#include "io/dataset.hpp"

namespace landscape {

// The help of every --data flag.
inline constexpr const char* kDataDirHelp =
    "directory of MNIST IDX files or of train_x.npy, train_y.npy, test_x.npy, test_y.npy "
    "(else $LANDSCAPE_DATA, else data/mnist here or in the checkout)";

// The data directory: --data DIR if given, else $LANDSCAPE_DATA, else data/mnist in the working
// directory when it exists, else data/mnist in the checkout (as shipped_model_path finds models/).
std::string resolve_data_dir(const std::string& flag_value);

enum class DataFormat { MnistIdx, Npy };
// MnistIdx when dir holds any of the IDX files, Npy when it holds any of the .npy files. An
// Error naming dir and the files looked for when it holds neither, or both kinds.
DataFormat data_format(const std::string& dir);

// A split of the data set in dir (load_mnist or load_npy_dataset); limit < 0 takes all,
// otherwise the first `limit` examples (an Error if the split has fewer).
Dataset load_dataset(const std::string& dir, Split split, int limit = -1);

}  // namespace landscape
