// The published LSTM's pixel permutation (torch.randperm(784) seeded 1234), embedded from
// reference_outputs/lstm_perm_seed1234.npy by scripts/make_lstm_permutation.py.
#pragma once

#include <vector>

namespace landscape {

const std::vector<int>& lstm_permutation();  // x_perm[k] = x[perm[k]], 784 entries

}  // namespace landscape
