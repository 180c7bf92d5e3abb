// A pair's unfinished FourierPathFinder run, kept in its path run's directory so that a run
// killed or stopped mid-pair continues from its last kept step instead of from b = 0, and ends in
// the same bits (docs/algorithms.md §5.8). A full-batch pair at the paper's scale is hours.
//
//   DIR/unfinished-I-J.txt           the state's numbers (FourierPathState), written last: a
//                                    state is there once this file is
//   DIR/unfinished-I-J-step-K.npy    [4, NF P] float64: b^K, Adam's m and v, the selected b
//
// Both go when the pair's row is in paths.csv. Deleting them starts the pair afresh.
//
// Legend: P = landscape dimension, NF = sine terms, K = steps taken.
#pragma once

#include <cstddef>
#include <optional>

#include "experiments/paths/path_pairs.hpp"
#include "io/run_directory.hpp"
#include "landscape/paths/fourier_path_finder.hpp"

namespace landscape {

// Writes the state of `pair`'s run after s.steps_done steps on a landscape of dimension P,
// replacing the one kept before.
void keep_pair_state(const RunDirectory& dir, const PathPair& pair, const FourierPathState& s, std::size_t P);

// The state kept for `pair`, none when there is none. An Error naming the file when it cannot be
// read or was made for another landscape dimension P or other terms, points or steps.
std::optional<FourierPathState> kept_pair_state(const RunDirectory& dir, const PathPair& pair, std::size_t P,
                                                const PathParams& params);

// Removes what is kept for `pair` (nothing to do when nothing is).
void forget_pair_state(const RunDirectory& dir, const PathPair& pair);

// DIR/unfinished-I-J.txt, as messages name it.
std::string pair_state_file(const RunDirectory& dir, const PathPair& pair);

}  // namespace landscape
