// The line search of L-BFGS-GSS (docs/algorithms.md §4.5), as the published code runs it:
// a bracketing phase (expansion or contraction) followed by a golden-section phase, on the
// one-dimensional function phi(u) = loss(w + u d) over distances u >= 0 along a unit direction
// d, with phi(0) = f0 already known.
//
// Budget: at most `budget` evaluations of phi, except that a tie (a trial exactly equal to the
// value it is compared with) ends the search at a midpoint that is evaluated once more, outside
// the budget, as in the published code. Tolerance `tol` is applied both to the bracket width
// |b - a| and to the loss difference |f_a - f_b|.
//
// Published behaviour kept on purpose (the golden trajectory depends on it):
//  - expansion trials are first_trial times 1, 4, 8, 16, ... (the code bumps its exponent
//    twice before the second trial, so 2x is never tried);
//  - the contraction returns the uphill end b when the bracket [0, b] is within tol, or when
//    the budget runs out on a higher trial;
//  - 0.382 is the published rounding of the golden fraction (3 - sqrt 5) / 2 = 0.381966...;
//  - a NaN loss compares neither lower nor higher and so counts as a tie.
#pragma once

#include <functional>

namespace landscape {

// Which rule ended the search. The accepted (u, loss) always come from one evaluation of phi.
enum class LineSearchStatus {
  ExpansionBudget,          // budget spent while expanding: the lowest trial
  ContractionTolerance,     // [0, b] within tol before a lower point was seen: b (uphill)
  ContractionBudgetUphill,  // budget spent on a higher contraction trial: b (uphill)
  ContractionBudgetLower,   // budget spent on the contraction trial that went lower: that trial
  TieMidpoint,              // a bracketing trial tied: midpoint of a and the trial (+1 eval)
  GoldenTolerance,          // golden phase, bracket within tol: the best point x
  GoldenTie,                // golden phase, a probe tied f_x: the best point x
  GoldenBudget,             // golden phase, budget spent: the best point x
  NoDirection,              // no search was made (|r| zero or not finite; set by L-BFGS-GSS)
};

const char* to_string(LineSearchStatus status);

struct LineSearchResult {
  double u = 0;         // accepted distance along the unit direction
  double loss = 0;      // phi(u), from the evaluation that produced u
  int evaluations = 0;  // calls of phi, the tie midpoint included
  LineSearchStatus status = LineSearchStatus::NoDirection;
  // The bracket [a, b] when the search stopped (what a step trace records, docs/algorithms.md
  // §16): a its lower end, b its upper end, +inf while no higher trial had closed it.
  double bracket_a = 0, bracket_b = 0;
};

inline constexpr double kGoldenFraction = 0.382;  // published rounding of (3 - sqrt 5) / 2

// phi(u): the loss at distance u (loss only, no gradient). f0 = phi(0). first_trial > 0 is the
// first distance tried (L-BFGS-GSS: 0.2 |r|). budget >= 2, tol > 0 (LbfgsGssParams::check).
LineSearchResult golden_section_line_search(const std::function<double(double)>& phi, double f0,
                                            double first_trial, int budget, double tol);

}  // namespace landscape
