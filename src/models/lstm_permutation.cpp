#include "models/lstm_permutation.hpp"

namespace landscape {

const std::vector<int>& lstm_permutation() {
  static const std::vector<int> perm = {
#include "models/lstm_permutation.inc"
  };
  return perm;
}

}  // namespace landscape
