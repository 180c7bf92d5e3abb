// Filter normalisation (Li, Xu, Taylor, Studer & Goldstein 2018, "Visualizing the loss
// landscape of neural nets", section 4; docs/algorithms.md §9.1): a random direction d for a loss
// plot around weights w is drawn from a standard Gaussian, then every "filter" of d is rescaled
// to the norm of the matching filter of w, so the plot's axis means the same relative step for
// every layer whatever its scale. Without it, a network whose layers are rescaled (which a
// ReLU network without biases does not notice) would show a different landscape.
//
// Legend: P parameters; a weight block of the layout has shape [F, ...]: F filters, each the
// block's slice for one leading index, i.e. one output unit of a linear layer ([out, in] rows),
// one output channel of a conv layer ([out, in, kh, kw]), one gate unit of the LSTM's
// weight_ih / weight_hh ([4H, in] rows). Rank-1 blocks are biases.
//
//   d_f <- d_f * |w_f| / (|d_f| + 1e-10)   every filter f of every weight block
//   d_b <- 0                               every bias block (default)
//   d_b <- w_b                             bias blocks with include_biases
// The 1e-10 and the bias rule are those of Li et al.'s published code (net_plotter.py): with
// biases included it copies the bias itself into the direction. A later package that drew
// uniform [0,1) directions and renormalised the biases gave plots unlike the paper's (§9.1).
// Norms are summed in double.
#pragma once

#include <vector>

#include "core/random.hpp"
#include "core/scalar.hpp"
#include "models/model.hpp"

namespace landscape {

// The filters of one block: F = shape[0] slices of size() / F consecutive entries (rank >= 2);
// a rank-1 block is a bias and has no filters (0).
int filter_count(const ParamBlock& block);
bool is_bias(const ParamBlock& block);

// d [P] (in/out) rescaled filter by filter to the norms of w [P]; bias entries zeroed, or set
// to w's with include_biases.
void normalize_filters(const Model& model, const Scalar* w, Scalar* d, bool include_biases = false);

// A standard Gaussian direction (one rng.normal() per entry in layout order, biases included,
// so the flag does not shift the weights' draws), filter-normalised to w [P]. Returns d [P].
std::vector<Scalar> random_filter_direction(const Model& model, const Scalar* w, Rng& rng,
                                            bool include_biases = false);

}  // namespace landscape
