#include "optim/golden_section_line_search.hpp"

#include <cmath>
#include <limits>

namespace landscape {

const char* to_string(LineSearchStatus status) {
  switch (status) {
    case LineSearchStatus::ExpansionBudget: return "expansion-budget";
    case LineSearchStatus::ContractionTolerance: return "contraction-tolerance";
    case LineSearchStatus::ContractionBudgetUphill: return "contraction-budget-uphill";
    case LineSearchStatus::ContractionBudgetLower: return "contraction-budget-lower";
    case LineSearchStatus::TieMidpoint: return "tie-midpoint";
    case LineSearchStatus::GoldenTolerance: return "golden-tolerance";
    case LineSearchStatus::GoldenTie: return "golden-tie";
    case LineSearchStatus::GoldenBudget: return "golden-budget";
    case LineSearchStatus::NoDirection: return "no-direction";
  }
  return "?";
}

LineSearchResult golden_section_line_search(const std::function<double(double)>& phi, double f0,
                                            double first_trial, int budget, double tol) {
  int used = 0;       // evaluations counted against the budget
  int evaluated = 0;  // all evaluations (the tie midpoint is outside the budget)
  auto trial = [&](double u) {
    ++used;
    ++evaluated;
    return phi(u);
  };
  // Bracket a < x < b with f_x below both ends, built by expansion or contraction from a = 0.
  double a = 0, fa = f0;
  double x = 0, fx = 0;
  double b = 0, fb = 0;
  bool closed = false;  // b holds a trial above the best: the bracket has its upper end
  auto accept = [&](double u, double loss, LineSearchStatus status) {
    return LineSearchResult{u,      loss, evaluated,
                            status, a,    closed ? b : std::numeric_limits<double>::infinity()};
  };
  // A trial t tied the value it was compared with: return the midpoint of a and t, evaluated
  // once more without counting against the budget (published code).
  auto tie_midpoint = [&](double a, double t) {
    const double mid = (a + t) / 2;
    ++evaluated;
    return accept(mid, phi(mid), LineSearchStatus::TieMidpoint);
  };
  auto within_tol = [&](double a, double b, double fa, double fb) {
    return std::abs(b - a) < tol || std::abs(fa - fb) < tol;
  };

  double t = first_trial;
  double ft = trial(t);
  if (ft < fa) {
    // Expansion: the best so far is x; each lower trial moves a to the previous best.
    x = t;
    fx = ft;
    double scale = 2;  // the published exponent is bumped twice before the second trial:
    for (;;) {         // trials first_trial * 4, 8, 16, ... (2 is never tried)
      scale *= 2;
      t = first_trial * scale;
      ft = trial(t);
      if (ft < fx) {
        a = x, fa = fx;
        x = t, fx = ft;
        if (used == budget) return accept(x, fx, LineSearchStatus::ExpansionBudget);
      } else if (ft > fx) {
        b = t, fb = ft;  // the first higher trial closes the bracket
        closed = true;
        if (used == budget) return accept(x, fx, LineSearchStatus::ExpansionBudget);
        break;
      } else {
        return tie_midpoint(a, t);
      }
    }
  } else if (ft > fa) {
    // Contraction: shrink [a, b] = [0, t] from the right until a point below f0 appears.
    b = t, fb = ft;
    closed = true;
    for (;;) {
      // Published: b is returned although it is uphill from f0.
      if (within_tol(a, b, fa, fb)) return accept(b, fb, LineSearchStatus::ContractionTolerance);
      t = a + kGoldenFraction * (b - a);
      ft = trial(t);
      if (ft < fa) {
        x = t, fx = ft;  // the interior best ends the contraction
        if (used == budget) return accept(x, fx, LineSearchStatus::ContractionBudgetLower);
        break;
      } else if (ft > fa) {
        b = t, fb = ft;
        if (used == budget) return accept(b, fb, LineSearchStatus::ContractionBudgetUphill);
      } else {
        return tie_midpoint(a, t);
      }
    }
  } else {
    return tie_midpoint(a, t);  // the first trial tied f0 (or was NaN)
  }

  // Golden-section phase on a < x < b. Moving an end carries its loss with it.
  while (used < budget) {
    if (within_tol(a, b, fa, fb)) return accept(x, fx, LineSearchStatus::GoldenTolerance);
    const double step = (b - a) * kGoldenFraction;
    const double u = (b - x) > (x - a) ? a + step : b - step;  // probe the larger side
    const double fu = trial(u);
    if (fu < fx) {
      // The end opposite u moves to x, and u becomes the best.
      if (u >= x) {
        a = x, fa = fx;
      } else {
        b = x, fb = fx;
      }
      x = u, fx = fu;
    } else if (fu > fx) {
      // The end on u's side moves to u.
      if (u < x) {
        a = u, fa = fu;
      } else if (u > x) {
        b = u, fb = fu;
      }
    } else {
      return accept(x, fx, LineSearchStatus::GoldenTie);
    }
  }
  return accept(x, fx, LineSearchStatus::GoldenBudget);
}

}  // namespace landscape
