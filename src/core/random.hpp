// The project's seeded random numbers: one generator type, with draws defined here (not by the
// standard library's distributions, whose algorithms differ between implementations), so a seed
// gives the same weights, shuffles and pairs on every platform.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

namespace landscape {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  uint64_t next() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n), without modulo bias.
  uint64_t below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;
    do r = engine_();
    while (r >= limit);
    return r % n;
  }
  // Standard normal by the Box-Muller transform (one of the pair is kept).
  double normal() {
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // The generator's whole state as one line of numbers, and back: how a run stopped mid-way
  // continues the same stream (docs/algorithms.md §5.8). restore() throws std::invalid_argument
  // on a text that is not such a line.
  std::string state() const {
    std::ostringstream text;
    text << engine_;
    return text.str();
  }
  void restore(const std::string& state) {
    std::istringstream text(state);
    std::mt19937_64 engine;
    if (!(text >> engine)) throw std::invalid_argument("not a generator state");
    engine_ = engine;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace landscape
