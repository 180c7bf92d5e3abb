#include "landscape/paths/nudged_elastic_band.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.hpp"

namespace landscape {

void NebParams::check() const {
  table().check(*this);
  if (max_images < images) throw UsageError("--neb-max-images must be at least --neb-images");
  if (!(lr_decay > 0 && lr_decay <= 1)) throw UsageError("NEB lr_decay must lie in (0, 1]");
  if (budget < 0) throw UsageError("--budget must be >= 0");
}

namespace {

constexpr double kBeta1 = 0.9, kBeta2 = 0.999;  // Adam's defaults for the two moments

double distance(const Scalar* a, const Scalar* b, std::size_t P) {
  double s = 0;
  for (std::size_t p = 0; p < P; ++p) {
    const double d = double(b[p]) - double(a[p]);
    s += d * d;
  }
  return std::sqrt(s);
}

}  // namespace

NudgedElasticBand::NudgedElasticBand(const Landscape& f, std::vector<Scalar> band, const NebParams& params)
    : f_(f), params_(params), P_(f.dimension()), X_(std::move(band)) {
  params_.check();
  require(P_ > 0 && X_.size() % P_ == 0 && X_.size() / P_ >= 3,
          "NudgedElasticBand: the band needs at least 3 images of the landscape's dimension");
  const std::size_t n = X_.size() / P_;
  G_.assign(n * P_, Scalar(0));
  E_.assign(n, 0.0);
  tau_.assign(n * P_, 0.0);
  m_.assign(n * P_, 0.0);
}

void NudgedElasticBand::evaluate(int first, int last) {
  if (last <= first) return;
  evaluate_points(f_, X_.data() + first * P_, std::size_t(last - first), G_.data() + first * P_,
                  E_.data() + first, "NEB image");
  grad_evals_ += last - first;
}

int NudgedElasticBand::highest_interior() const {
  const int n = int(E_.size());
  int c = 1;
  for (int i = 2; i < n - 1; ++i)
    if (E_[i] > E_[c]) c = i;
  return c;
}

// Henkelman and Jonsson's improved tangent: towards the higher neighbour when the image is
// between its neighbours in f; at an extremum along the band, both segments weighted by the
// larger and smaller energy differences, the larger towards the higher neighbour.
void NudgedElasticBand::tangents() {
  const int n = int(E_.size());
  for (int i = 1; i < n - 1; ++i) {
    const Scalar* xm = X_.data() + (i - 1) * P_;
    const Scalar* x = xm + P_;
    const Scalar* xp = x + P_;
    const double dEp = E_[i + 1] - E_[i], dEm = E_[i] - E_[i - 1];  // uphill > 0
    double wp, wm;  // tau ~ wp (X_{i+1} - X_i) + wm (X_i - X_{i-1})
    if (dEp > 0 && dEm > 0) {
      wp = 1, wm = 0;
    } else if (dEp < 0 && dEm < 0) {
      wp = 0, wm = 1;
    } else {
      const double big = std::max(std::abs(dEp), std::abs(dEm));
      const double small = std::min(std::abs(dEp), std::abs(dEm));
      const bool right_higher = E_[i + 1] > E_[i - 1];
      wp = right_higher ? big : small;
      wm = right_higher ? small : big;
      if (big == 0) wp = wm = 1;  // a flat stretch: the chord
    }
    double* t = tau_.data() + i * P_;
    double norm = 0;
    for (std::size_t p = 0; p < P_; ++p) {
      t[p] = wp * (double(xp[p]) - double(x[p])) + wm * (double(x[p]) - double(xm[p]));
      norm += t[p] * t[p];
    }
    norm = std::sqrt(norm);
    if (norm > 0)
      for (std::size_t p = 0; p < P_; ++p) t[p] /= norm;
  }
}

// AutoNEB: probe the midpoint of every segment (loss only); where the band rises between two
// images by more than insert_tolerance of its loss span, insert the midpoint as a new image.
int NudgedElasticBand::insert_images() {
  const int n = int(E_.size());
  int room = params_.max_images - n;
  if (params_.budget > 0)  // each new image costs its own evaluation and one per later step
    room = std::min<long>(room, (params_.budget - grad_evals_ - (n - 2)) / 2);
  if (room <= 0) return 0;
  std::vector<Scalar> mid(std::size_t(n - 1) * P_);
  for (int i = 0; i + 1 < n; ++i)
    for (std::size_t p = 0; p < P_; ++p)
      mid[i * P_ + p] = static_cast<Scalar>(0.5 * (double(X_[i * P_ + p]) + double(X_[(i + 1) * P_ + p])));
  std::vector<double> fmid(n - 1);
  evaluate_points(f_, mid.data(), std::size_t(n - 1), nullptr, fmid.data(), "NEB midpoint");
  loss_evals_ += n - 1;

  const auto [lo, hi] = std::minmax_element(E_.begin(), E_.end());
  const double threshold = params_.insert_tolerance * (*hi - *lo);
  std::vector<std::pair<double, int>> rises;  // (rise, segment)
  for (int i = 0; i + 1 < n; ++i) {
    const double rise = fmid[i] - std::max(E_[i], E_[i + 1]);
    if (rise > threshold) rises.push_back({rise, i});
  }
  std::sort(rises.begin(), rises.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (int(rises.size()) > room) rises.resize(room);
  if (rises.empty()) return 0;
  std::vector<char> chosen(n - 1, 0);
  for (const auto& rise : rises) chosen[rise.second] = 1;

  // The new band: image i, then (if chosen) the midpoint of segment i, which starts at rest.
  const std::size_t n_new = std::size_t(n) + rises.size();
  std::vector<Scalar> X, G;
  std::vector<double> E, m;
  X.reserve(n_new * P_), G.reserve(n_new * P_), m.reserve(n_new * P_), E.reserve(n_new);
  std::vector<Scalar> W_new;  // [added, P] the new images, evaluated together below
  std::vector<std::size_t> at;
  for (int i = 0; i < n; ++i) {
    X.insert(X.end(), X_.begin() + i * P_, X_.begin() + (i + 1) * P_);
    G.insert(G.end(), G_.begin() + i * P_, G_.begin() + (i + 1) * P_);
    m.insert(m.end(), m_.begin() + i * P_, m_.begin() + (i + 1) * P_);
    E.push_back(E_[i]);
    if (i + 1 < n && chosen[i]) {
      at.push_back(E.size());
      X.insert(X.end(), mid.begin() + i * P_, mid.begin() + (i + 1) * P_);
      W_new.insert(W_new.end(), mid.begin() + i * P_, mid.begin() + (i + 1) * P_);
      G.insert(G.end(), P_, Scalar(0));
      m.insert(m.end(), P_, 0.0);
      E.push_back(fmid[i]);
    }
  }
  std::vector<Scalar> G_new(W_new.size());
  std::vector<double> E_new(at.size());
  evaluate_points(f_, W_new.data(), at.size(), G_new.data(), E_new.data(), "NEB new image");
  grad_evals_ += long(at.size());
  for (std::size_t a = 0; a < at.size(); ++a) {
    E[at[a]] = E_new[a];
    std::copy(G_new.begin() + a * P_, G_new.begin() + (a + 1) * P_, G.begin() + at[a] * P_);
  }
  X_ = std::move(X), G_ = std::move(G), m_ = std::move(m), E_ = std::move(E);
  tau_.assign(n_new * P_, 0.0);
  return int(at.size());
}

double NudgedElasticBand::gradient_norm(int i) const {
  const Scalar* g = G_.data() + std::size_t(i) * P_;
  double gg = 0;
  for (std::size_t p = 0; p < P_; ++p) gg += double(g[p]) * g[p];
  return std::sqrt(gg);
}

NebResult NudgedElasticBand::run() {
  int n = int(E_.size());
  E_[0] = f_.evaluate(X_.data(), nullptr);
  E_[n - 1] = f_.evaluate(X_.data() + (n - 1) * P_, nullptr);
  loss_evals_ += 2;
  require(std::isfinite(E_[0]) && std::isfinite(E_[n - 1]), "NEB: non-finite loss at an end");
  const int climb_from = params_.climb_from < 0 ? params_.cycle_steps : params_.climb_from;
  NebResult r;
  if (params_.budget > 0 && params_.budget < n - 2)
    throw UsageError("--budget " + std::to_string(params_.budget) + " is smaller than one NEB step (" +
                     std::to_string(n - 2) + " images)");
  evaluate(1, n - 1);
  for (int i = 1; i < n - 1; ++i)
    r.first_steepest_gradient = std::max(r.first_steepest_gradient, gradient_norm(i));

  double v = 0;  // running mean square of the band force
  long s = 0;    // moves made (bias correction)
  std::vector<double> F;
  int k = 0;
  for (;; ++k) {  // X_, E_, G_ hold state k, evaluated
    if (k == params_.steps) break;
    if (k > 0 && k % params_.cycle_steps == 0) insert_images();
    n = int(E_.size());
    if (params_.budget > 0 && grad_evals_ + (n - 2) > params_.budget) break;
    tangents();
    const int c = k >= climb_from ? highest_interior() : -1;
    if (c > 0 && params_.stop_gradient > 0 && gradient_norm(c) <= params_.stop_gradient)
      break;  // at its saddle

    // Spring constant relative to the forces across the band (see the header).
    double perp_sum = 0, length = 0;
    int perp_count = 0;
    for (int i = 1; i < n - 1; ++i) {
      if (i == c) continue;
      const Scalar* g = G_.data() + i * P_;
      const double* t = tau_.data() + i * P_;
      double gt = 0, gg = 0;
      for (std::size_t p = 0; p < P_; ++p) gt += double(g[p]) * t[p], gg += double(g[p]) * g[p];
      perp_sum += std::sqrt(std::max(0.0, gg - gt * gt));
      ++perp_count;
    }
    std::vector<double> seg(n - 1);
    for (int i = 0; i + 1 < n; ++i) {
      seg[i] = distance(X_.data() + i * P_, X_.data() + (i + 1) * P_, P_);
      length += seg[i];
    }
    const double mean_seg = length / (n - 1);
    const double k_spring =
        (perp_count > 0 && mean_seg > 0) ? params_.spring * (perp_sum / perp_count) / mean_seg : 0.0;

    // The NEB force of every interior image, and its mean square over the band.
    F.assign(std::size_t(n) * P_, 0.0);
    double sq = 0;
    for (int i = 1; i < n - 1; ++i) {
      const Scalar* g = G_.data() + i * P_;
      const double* t = tau_.data() + i * P_;
      double* Fi = F.data() + i * P_;
      double gt = 0;
      for (std::size_t p = 0; p < P_; ++p) gt += double(g[p]) * t[p];
      if (i == c) {
        for (std::size_t p = 0; p < P_; ++p) Fi[p] = -double(g[p]) + 2 * gt * t[p];  // climbs
      } else {
        const double stretch = k_spring * (seg[i] - seg[i - 1]);
        for (std::size_t p = 0; p < P_; ++p) Fi[p] = -(double(g[p]) - gt * t[p]) + stretch * t[p];
      }
      for (std::size_t p = 0; p < P_; ++p) sq += Fi[p] * Fi[p];
    }

    // Momentum with one RMS scale for the band (see the header).
    ++s;
    v = kBeta2 * v + (1 - kBeta2) * sq / (double(n - 2) * double(P_));
    const double denom = std::sqrt(v / (1 - std::pow(kBeta2, double(s))));
    const double lr = params_.lr * std::pow(params_.lr_decay, double(k / params_.cycle_steps));
    const double scale = denom > 0 ? lr / ((1 - std::pow(kBeta1, double(s))) * denom) : 0.0;
    for (int i = 1; i < n - 1; ++i)
      for (std::size_t p = 0; p < P_; ++p) {
        const std::size_t q = i * P_ + p;
        m_[q] = kBeta1 * m_[q] + (1 - kBeta1) * F[q];
        X_[q] = static_cast<Scalar>(X_[q] + scale * m_[q]);
      }
    evaluate(1, n - 1);
    ++r.steps;
  }

  n = int(E_.size());
  r.climbing = k >= climb_from ? highest_interior() : -1;
  if (r.climbing > 0) r.climbing_gradient_norm = gradient_norm(r.climbing);
  r.band = X_;
  r.energy = E_;
  r.gradient_evaluations = grad_evals_;
  r.loss_evaluations = loss_evals_;
  return r;
}

FoundPath find_neb_path(const Landscape& f, std::span<const Scalar> w_i, std::span<const Scalar> w_j,
                        const NebParams& params) {
  params.check();
  const std::size_t P = f.dimension();
  require(w_i.size() == P && w_j.size() == P, "NEB: the end points have " + std::to_string(w_i.size()) +
                                                  " and " + std::to_string(w_j.size()) +
                                                  " components; the landscape has " + std::to_string(P));
  const int n = params.images;
  std::vector<Scalar> band(std::size_t(n) * P);
  for (int k = 0; k < n; ++k) {  // the straight line, exact at both ends
    const double t = double(k) / (n - 1);
    for (std::size_t p = 0; p < P; ++p)
      band[k * P + p] = k == 0       ? w_i[p]
                        : k == n - 1 ? w_j[p]
                                     : static_cast<Scalar>((1 - t) * w_i[p] + t * w_j[p]);
  }
  NudgedElasticBand neb(f, std::move(band), params);
  NebResult r = neb.run();
  // t_k: the fraction of the band's length up to image k.
  const int K = r.images();
  std::vector<double> t(K, 0.0);
  for (int k = 1; k < K; ++k)
    t[k] = t[k - 1] + distance(r.band.data() + (k - 1) * P, r.band.data() + k * P, P);
  const double total = t[K - 1];
  for (int k = 1; k < K; ++k) t[k] = total > 0 ? t[k] / total : double(k) / (K - 1);
  t[K - 1] = 1;
  FoundPath path = measure_path(f, std::move(t), std::move(r.band), r.steps);
  if (r.climbing > 0)
    path.climbing = ClimbingCheck{r.climbing_gradient_norm, kClimbingTolerance * r.first_steepest_gradient};
  return path;
}

}  // namespace landscape
