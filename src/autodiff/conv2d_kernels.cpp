// Direct convolution on wide rows (measurements: bench/README.md, "LeNet on AVX-512"), for
// stride 1; other strides go to conv2d_strided.cpp, and the plain twins at the end take any.
//
// Every input plane is copied once, with its zero padding, into a row-major plane of width
// Wp = W + 2p. There a tap (kh, kw) of the kernel is a fixed shift of the plane,
//   off(kh, kw) = kh Wp + kw,
// and a convolution is a sum of k*k shifted planes, one long vector loop per tap:
//   yw[f][i] = sum_{c,kh,kw} w[f,c,kh,kw] xp[c][i + off(kh,kw)],        i = oh Wp + ow.
// A row of yw has Wp values, the first Wo of them y's row; the other k-1 ("wide" columns) are
// computed and dropped: 14% more products for LeNet's conv1 (32 columns for 28) and 40% for
// conv2 (14 for 10), instead of im2col's patch matrix, which copied each conv1 image 25 times
// and each conv2 image 150 times. The adjoints use the same layout, with dy widened the same way
// (dyw: zero in the wide columns):
//   dw[f,c,kh,kw] += sum_i dyw[f][i] xp[c][i + off(kh,kw)]
//   dxp[c][i + off(kh,kw)] += sum_f w[f,c,kh,kw] dyw[f][i]         dx: dxp inside the padding
// The second hands each output position's gradient back to the inputs it was computed from, so
// it too runs over the Ho Wp wide outputs. Gathering at each input instead,
// dxp[c][j] = sum w dyw[f][j - off], runs over the whole padded plane and mostly adds the zeros
// around dy (the border of a full correlation): 31,200 vector products per conv2 image against
// 21,600.
//
// The sums run in blocks whose partial sums stay in vector registers (the shapes are too small
// for a BLAS call to reach its speed: OpenBLAS spent 29% of its time packing). Products are
// fused multiply-adds written as std::fma, as in the OpenBLAS kernels they replace (the build's
// -ffp-contract=off fuses nothing that is not written so). Against the plain twins at the end,
// the sums differ only in order and rounding.
#include "autodiff/conv2d_kernels.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "core/simd_width.hpp"

namespace landscape::conv {

namespace {

// Values per vector register; the loops below ask for it with `omp simd simdlen`
// (core/simd_width.hpp says why).
inline constexpr int kLanes = kSimdLanes;
// Partial sums one block keeps in registers: 32 vector registers with AVX-512, 16 without,
// leaving room for the loaded inputs and coefficients.
inline constexpr int kSumRegisters = kSimdBytes == 64 ? 24 : 12;

long round_up(long n, long m) { return (n + m - 1) / m * m; }

// Where the kernels find each value (see the top of the file).
struct WideLayout {
  int Wp, Ho, Wo, pad;
  int taps;                 // k*k
  int max_offset;           // (k-1) Wp + (k-1), the largest tap shift
  int out_len;              // Ho Wp rounded up to whole vectors: the wide positions of an output plane
  long plane;               // values per padded input plane: every read or write i + off of an output
                            // position i < out_len stays inside it
  std::vector<int> offset;  // [k*k] off(kh, kw) at t = kh k + kw

  explicit WideLayout(const ConvShape& s)
      : Wp(s.W + 2 * s.pad),
        Ho(s.Ho()),
        Wo(s.Wo()),
        pad(s.pad),
        taps(s.k * s.k),
        max_offset((s.k - 1) * (Wp + 1)),
        out_len(int(round_up(long(Ho) * Wp, kLanes))),
        plane(round_up(long(out_len) + max_offset, kLanes)) {
    for (int kh = 0; kh < s.k; ++kh)
      for (int kw = 0; kw < s.k; ++kw) offset.push_back(kh * Wp + kw);
  }
};

// Scratch that every kernel writes in full before reading (no zero fill).
using Buffer = std::unique_ptr<Scalar[]>;
Buffer scratch(size_t n) { return std::make_unique_for_overwrite<Scalar[]>(n); }

// dst [len] = src [n] followed by len - n zeros: one image row and the zeros after it, a vector
// at a time (masked at the end). Zero-filling the whole buffer and a memcpy per row of 28 or 10
// values, as first written, took about three times as long; one loop over len with the same
// select 1.8 times.
inline void copy_then_zeros(const Scalar* src, int n, Scalar* dst, int len) {
  for (int j0 = 0; j0 < len; j0 += kLanes) {
#pragma omp simd simdlen(kLanes)
    for (int l = 0; l < kLanes; ++l) {
      const int j = j0 + l;
      if (j < len) dst[j] = j < n ? src[j] : Scalar(0);
    }
  }
}

// xp [N*C, plane]: each plane of x [N,C,H,W] at row p, column p of a zero plane of width Wp.
Buffer padded_input(const ConvShape& s, const WideLayout& L, const Scalar* x) {
  Buffer xp = scratch(size_t(s.N) * s.C * L.plane);
  const int lead = L.pad * L.Wp + L.pad;  // zeros before the first value
  for (long q = 0; q < long(s.N) * s.C; ++q) {
    Scalar* p = xp.get() + q * L.plane;
    std::fill_n(p, lead, Scalar(0));
    for (int ih = 0; ih < s.H; ++ih)  // the row, then the 2p zeros up to the next one
      copy_then_zeros(x + (q * s.H + ih) * s.W, s.W, p + lead + long(ih) * L.Wp, L.Wp);
    std::fill(p + lead + long(s.H) * L.Wp, p + L.plane, Scalar(0));
  }
  return xp;
}

// dyw [N*F, out_len]: each plane of dy [N,F,Ho,Wo] with its rows Wp apart, zeros between them
// and after the last.
Buffer widened_output(const ConvShape& s, const WideLayout& L, const Scalar* dy) {
  Buffer dyw = scratch(size_t(s.N) * s.F * L.out_len);
  for (long q = 0; q < long(s.N) * s.F; ++q) {
    Scalar* p = dyw.get() + q * L.out_len;
    for (int oh = 0; oh < L.Ho; ++oh)
      copy_then_zeros(dy + (q * L.Ho + oh) * L.Wo, L.Wo, p + long(oh) * L.Wp, L.Wp);
    std::fill(p + long(L.Ho) * L.Wp, p + L.out_len, Scalar(0));
  }
  return dyw;
}

// ---- products over shifted planes: the forward pass and the input adjoint ----

// Gathered: out[a][i] = sum_{b<B} sum_{t<T} coef[(a B + b) T + t] in[b in_stride + i + offset[t]]
// for a < R and i < V kLanes. The R x V vectors of sums stay in registers through all B T
// steps, each of which loads V vectors of `in` and R coefficients.
template <int R, int V>
void gathered_products_block(int B, int T, const Scalar* coef, const int* offset, const Scalar* in,
                             long in_stride, Scalar* out, long out_stride) {
  Scalar sum[R][V * kLanes] = {};
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const Scalar* src = in + b * in_stride + offset[t];
      for (int a = 0; a < R; ++a) {
        const Scalar c = coef[(long(a) * B + b) * T + t];
#pragma omp simd simdlen(kLanes)
        for (int j = 0; j < V * kLanes; ++j) sum[a][j] = std::fma(c, src[j], sum[a][j]);
      }
    }
  for (int a = 0; a < R; ++a)
#pragma omp simd simdlen(kLanes)
    for (int j = 0; j < V * kLanes; ++j) out[a * out_stride + j] = sum[a][j];
}

// Scattered: out[a][i + offset[t]] += sum_{b<B} coef[(a B + b) T + t] in[b in_stride + i]
// for every t < T, a < R and i < V kLanes: per tap, the R x V vectors of sums over b in
// registers, then added to `out` at the tap's shift. (Loading `out` into the sums and storing
// them back instead ran 15% slower: the next tap's loads overlap the stores just made, one
// value along, which no store can forward.)
template <int R, int V>
void scattered_products_block(int B, int T, const Scalar* coef, const int* offset, const Scalar* in,
                              long in_stride, Scalar* out, long out_stride) {
  for (int t = 0; t < T; ++t) {
    Scalar sum[R][V * kLanes] = {};
    for (int b = 0; b < B; ++b) {
      const Scalar* src = in + b * in_stride;
      for (int a = 0; a < R; ++a) {
        const Scalar c = coef[(long(a) * B + b) * T + t];
#pragma omp simd simdlen(kLanes)
        for (int j = 0; j < V * kLanes; ++j) sum[a][j] = std::fma(c, src[j], sum[a][j]);
      }
    }
    for (int a = 0; a < R; ++a) {
      Scalar* dst = out + a * out_stride + offset[t];
#pragma omp simd simdlen(kLanes)
      for (int j = 0; j < V * kLanes; ++j) dst[j] += sum[a][j];
    }
  }
}

// Rows a and vectors of i of one block. Each step of a block loads one coefficient per row and
// one vector per column of sums, so 8 rows of 3 vectors (AVX-512) or 4 of 3 (AVX2) beat 8 of 1.
inline constexpr int kMaxRows = kSimdBytes == 64 ? 8 : 4;
inline constexpr int kMaxVectors = 4;

using ProductsBlock = void (*)(int, int, const Scalar*, const int*, const Scalar*, long, Scalar*, long);
using ProductsBlocks = std::array<ProductsBlock, kMaxRows * kMaxVectors>;  // [R-1][V-1]
template <size_t... I>
constexpr ProductsBlocks gathered_blocks(std::index_sequence<I...>) {
  return {&gathered_products_block<int(I) / kMaxVectors + 1, int(I) % kMaxVectors + 1>...};
}
template <size_t... I>
constexpr ProductsBlocks scattered_blocks(std::index_sequence<I...>) {
  return {&scattered_products_block<int(I) / kMaxVectors + 1, int(I) % kMaxVectors + 1>...};
}
inline constexpr ProductsBlocks kGathered =
    gathered_blocks(std::make_index_sequence<kMaxRows * kMaxVectors>());
inline constexpr ProductsBlocks kScattered =
    scattered_blocks(std::make_index_sequence<kMaxRows * kMaxVectors>());

// One of the products above for all a < A and i < L (L whole vectors), in blocks of up to
// kMaxRows rows and as many vectors as leave the sums in registers.
void shifted_products(const ProductsBlocks& blocks, int A, int B, int T, const Scalar* coef,
                      const int* offset, const Scalar* in, long in_stride, int L, Scalar* out,
                      long out_stride) {
  const int vectors = L / kLanes;
  for (int a0 = 0; a0 < A; a0 += kMaxRows) {
    const int rows = std::min(kMaxRows, A - a0);
    const int per_block = std::clamp(kSumRegisters / rows, 1, kMaxVectors);
    for (int v0 = 0; v0 < vectors; v0 += per_block) {
      const int v = std::min(per_block, vectors - v0);
      blocks[(rows - 1) * kMaxVectors + v - 1](B, T, coef + long(a0) * B * T, offset, in + long(v0) * kLanes,
                                               in_stride, out + a0 * out_stride + long(v0) * kLanes,
                                               out_stride);
    }
  }
}

// ---- correlations of shifted planes: the weight adjoint ----

// out[a * out_stride + t] += sum_{n<N} sum_{i<L} g[n g_image + a g_stride + i]
//                                                in[n in_image + i + offset[t]]
// for a < R, t < T: R x T vectors of partial sums (lane l sums the i = l mod kLanes) stay in
// registers over all images and are added lane by lane, in lane order, at the end.
template <int R, int T>
void shifted_correlations_block(int N, int L, const Scalar* g, long g_image, long g_stride, const Scalar* in,
                                long in_image, const int* offset, Scalar* out, long out_stride) {
  Scalar sum[R][T][kLanes] = {};
  int off[T];
  for (int t = 0; t < T; ++t) off[t] = offset[t];
  for (int n = 0; n < N; ++n) {
    const Scalar* gn = g + n * g_image;
    const Scalar* xn = in + n * in_image;
    for (int i = 0; i < L; i += kLanes)
      for (int a = 0; a < R; ++a)
        for (int t = 0; t < T; ++t) {
          const Scalar* ga = gn + a * g_stride + i;
          const Scalar* xt = xn + off[t] + i;
#pragma omp simd simdlen(kLanes)
          for (int l = 0; l < kLanes; ++l) sum[a][t][l] = std::fma(ga[l], xt[l], sum[a][t][l]);
        }
  }
  for (int a = 0; a < R; ++a)
    for (int t = 0; t < T; ++t) {
      Scalar total = 0;
      for (int l = 0; l < kLanes; ++l) total += sum[a][t][l];
      out[a * out_stride + t] += total;
    }
}

// Rows a and taps t of one block: 4 x 4 sums and 4 + 4 loaded vectors fit AVX-512's 32
// registers, and so do 3 x 5, which LeNet's conv1 (6 filters of 25 taps) divides into without
// remainder blocks; half the rows for AVX2's 16. (GCC keeps 4 x 5 sums in memory, which ran
// conv2's weight adjoint 1.7 times slower.)
inline constexpr int kCorrelationRows = kSimdBytes == 64 ? 4 : 2;
inline constexpr int kCorrelationTaps = 5;

struct BlockShape {
  int rows, taps;
};
BlockShape correlation_block(int A, int T) {
  if (kSimdBytes == 64 && A % 3 == 0 && T % 5 == 0) return {3, 5};
  return {kCorrelationRows, 4};
}

using CorrelationsBlock = void (*)(int, int, const Scalar*, long, long, const Scalar*, long, const int*,
                                   Scalar*, long);
template <size_t... I>
constexpr std::array<CorrelationsBlock, sizeof...(I)> correlation_blocks(std::index_sequence<I...>) {
  return {&shifted_correlations_block<int(I) / kCorrelationTaps + 1, int(I) % kCorrelationTaps + 1>...};
}
// [R-1][T-1]
inline constexpr auto kCorrelationBlocks =
    correlation_blocks(std::make_index_sequence<kCorrelationRows * kCorrelationTaps>());

// out [A, B, T] += the shifted correlations of g [N, A, g_stride] with in [N, B, in_stride]
// over i < L, for every a < A, b < B, t < T.
void shifted_correlations(int A, int B, int T, int N, int L, const Scalar* g, long g_stride, const Scalar* in,
                          long in_stride, const int* offset, Scalar* out) {
  const BlockShape block = correlation_block(A, T);
  for (int a0 = 0; a0 < A; a0 += block.rows) {
    const int rows = std::min(block.rows, A - a0);
    for (int b = 0; b < B; ++b)
      for (int t0 = 0; t0 < T; t0 += block.taps) {
        const int taps = std::min(block.taps, T - t0);
        kCorrelationBlocks[(rows - 1) * kCorrelationTaps + taps - 1](
            N, L, g + a0 * g_stride, A * g_stride, g_stride, in + b * in_stride, B * in_stride, offset + t0,
            out + (long(a0) * B + b) * T + t0, long(B) * T);
      }
  }
}

// ---- filters in lanes: the weight adjoint of 5 x 5 kernels and whole vectors of filters ----
//
// With F a multiple of kLanes (LeNet's conv2: 16 filters, one AVX-512 register of floats) the
// weight adjoint puts the filters in the lanes instead of the positions:
//   dw[f,c,kh,kw] += sum_{n,oh,ow} xp[c][(oh+kh) Wp + ow + kw] dyt[oh Wo + ow][f],
// dyt being dy with the filters innermost. Every product is a term of the sum (no wide columns),
// and a tap's sums are a vector over filters, stored as they are: the wide form spent 44% more
// products on conv2 (144 wide positions for 100 pixels) and summed each of its 2,400 weights'
// vectors across the lanes once per chunk, and took twice as long.
// Its blocks hold 25 (weight adjoint) and 12 (forward) vectors of sums, which fit AVX-512's 32
// registers but not AVX2's 16, so without AVX-512 the wide form does all.
inline constexpr int kLaneKernel = 5;  // the kernel size it is compiled for

bool filters_in_lanes(const ConvShape& s) {
  return kSimdBytes == 64 && s.k == kLaneKernel && s.F % kLanes == 0;
}

// dyt [N, Ho*Wo, F]: dy [N,F,Ho,Wo] with the filters innermost.
Buffer filters_innermost(const ConvShape& s, const Scalar* dy) {
  const long P = long(s.Ho()) * s.Wo();
  Buffer dyt = scratch(size_t(s.N) * P * s.F);
  for (int n = 0; n < s.N; ++n) {
    const Scalar* src = dy + long(n) * s.F * P;
    Scalar* dst = dyt.get() + long(n) * P * s.F;
    for (long p = 0; p < P; ++p)
#pragma omp simd
      for (int f = 0; f < s.F; ++f) dst[p * s.F + f] = src[f * P + p];
  }
  return dyt;
}

// dw[(f0 + l) C T + c T + t] += sum_{n,oh,ow} xp[n][(oh+kh) Wp + ow + kw] dyt[n][oh Wo + ow][f0 + l]
// for one channel c (xp: its planes, x_image apart) and the kLanes filters from f0 (dyt at f0):
// the K*K taps' vectors of sums stay in registers over all images and pixels.
template <int K>
void filter_lanes_weight_block(const ConvShape& s, int Wp, const Scalar* xp, long x_image, const Scalar* dyt,
                               Scalar* dw) {
  const int Ho = s.Ho(), Wo = s.Wo(), F = s.F;
  Scalar sum[K * K][kLanes] = {};
  for (int n = 0; n < s.N; ++n)
    for (int oh = 0; oh < Ho; ++oh) {
      const Scalar* row = xp + n * x_image + long(oh) * Wp;
      const Scalar* g = dyt + (long(n) * Ho + oh) * Wo * F;
      for (int ow = 0; ow < Wo; ++ow)
#pragma GCC unroll 8
        for (int kh = 0; kh < K; ++kh)
#pragma GCC unroll 8
          for (int kw = 0; kw < K; ++kw) {
            const Scalar v = row[kh * Wp + ow + kw];
#pragma omp simd simdlen(kLanes)
            for (int l = 0; l < kLanes; ++l)
              sum[kh * K + kw][l] = std::fma(v, g[long(ow) * F + l], sum[kh * K + kw][l]);
          }
    }
  const long T = K * K;
  for (int l = 0; l < kLanes; ++l)
    for (int t = 0; t < K * K; ++t) dw[long(l) * s.C * T + t] += sum[t][l];
}

// y[n][f0 + l][oh][ow] (+)= sum_{c,kh,kw} xp[c][(oh+kh) Wp + ow + kw] wt[c][kh][kw][f0 + l] (+ b)
// for PC columns from (oh, ow0) of one image (xp at that image and pixel, y at (n, f0, oh, ow0),
// wt at f0, b at f0 or nullptr): a vector of sums per pixel, over the kLanes filters from f0,
// stays in registers through the C K K steps, each of which loads one vector of weights; the
// sums are then written to their filters' planes.
template <int K, int PC>
void filter_lanes_forward_block(const ConvShape& s, int Wp, long plane, const Scalar* xp, const Scalar* wt,
                                const Scalar* b, Scalar* y, bool accumulate) {
  Scalar sum[PC][kLanes] = {};
  for (int c = 0; c < s.C; ++c) {
    const Scalar* xc = xp + c * plane;
#pragma GCC unroll 8
    for (int kh = 0; kh < K; ++kh)
#pragma GCC unroll 8
      for (int kw = 0; kw < K; ++kw) {
        const Scalar* wv = wt + (long(c) * K * K + kh * K + kw) * s.F;
#pragma GCC unroll 16
        for (int pc = 0; pc < PC; ++pc) {
          const Scalar v = xc[long(kh) * Wp + pc + kw];
#pragma omp simd simdlen(kLanes)
          for (int l = 0; l < kLanes; ++l) sum[pc][l] = std::fma(v, wv[l], sum[pc][l]);
        }
      }
  }
  const long P = long(s.Ho()) * s.Wo();
  for (int l = 0; l < kLanes; ++l) {
    const Scalar bias = b ? b[l] : Scalar(0);
    for (int pc = 0; pc < PC; ++pc) {
      Scalar& out = y[l * P + pc];
      out = accumulate ? out + (sum[pc][l] + bias) : sum[pc][l] + bias;
    }
  }
}

// Columns of one forward block: up to 12 sums. (Two rows of LeNet's 10 columns, 20 sums, made
// GCC keep some on the stack: 1.8 times slower.)
inline constexpr int kLaneColumns = 12;

using LanesForwardBlock = void (*)(const ConvShape&, int, long, const Scalar*, const Scalar*, const Scalar*,
                                   Scalar*, bool);
template <size_t... I>
constexpr std::array<LanesForwardBlock, sizeof...(I)> lanes_forward_blocks(std::index_sequence<I...>) {
  return {&filter_lanes_forward_block<kLaneKernel, int(I) + 1>...};
}
// [PC-1]
inline constexpr auto kLanesForwardBlocks = lanes_forward_blocks(std::make_index_sequence<kLaneColumns>());

// y = conv(x, w) (+ b) with the filters in lanes: w as wt [C, K*K, F], then runs of pixels.
void filter_lanes_forward(const ConvShape& s, const WideLayout& L, const Scalar* xp, const Scalar* w,
                          const Scalar* b, Scalar* y, bool accumulate) {
  std::vector<Scalar> wt(size_t(s.C) * L.taps * s.F);  // [C, K*K, F]
  for (int f = 0; f < s.F; ++f)
    for (int ct = 0; ct < s.C * L.taps; ++ct) wt[size_t(ct) * s.F + f] = w[long(f) * s.C * L.taps + ct];
  const long P = long(L.Ho) * L.Wo;
  for (int n = 0; n < s.N; ++n)
    for (int f0 = 0; f0 < s.F; f0 += kLanes)
      for (int oh = 0; oh < L.Ho; ++oh)
        for (int ow0 = 0; ow0 < L.Wo; ow0 += kLaneColumns) {
          const int cols = std::min(kLaneColumns, L.Wo - ow0);
          kLanesForwardBlocks[cols - 1](
              s, L.Wp, L.plane, xp + long(n) * s.C * L.plane + long(oh) * L.Wp + ow0, wt.data() + f0,
              b ? b + f0 : nullptr, y + (long(n) * s.F + f0) * P + long(oh) * L.Wo + ow0, accumulate);
        }
}

}  // namespace

// y = conv(x, w) (+ b): per image, yw [F, out_len] from the padded planes, then the first Wo
// columns of each of its rows into y.
void forward(const ConvShape& s, const Scalar* x, const Scalar* w, const Scalar* b, Scalar* y,
             bool accumulate) {
  if (s.stride != 1) return strided_forward(s, x, w, b, y, accumulate);
  const WideLayout L(s);
  const Buffer xp = padded_input(s, L, x);
  if (filters_in_lanes(s)) return filter_lanes_forward(s, L, xp.get(), w, b, y, accumulate);
  const Buffer yw = scratch(size_t(s.F) * L.out_len);
  for (int n = 0; n < s.N; ++n) {
    shifted_products(kGathered, s.F, s.C, L.taps, w, L.offset.data(), xp.get() + long(n) * s.C * L.plane,
                     L.plane, L.out_len, yw.get(), L.out_len);
    for (int f = 0; f < s.F; ++f) {
      const Scalar bias = b ? b[f] : Scalar(0);
      for (int oh = 0; oh < L.Ho; ++oh) {
        const Scalar* src = yw.get() + long(f) * L.out_len + long(oh) * L.Wp;
        Scalar* dst = y + ((long(n) * s.F + f) * L.Ho + oh) * L.Wo;
        if (accumulate) {
#pragma omp simd
          for (int ow = 0; ow < L.Wo; ++ow) dst[ow] += src[ow] + bias;
        } else if (b) {
#pragma omp simd
          for (int ow = 0; ow < L.Wo; ++ow) dst[ow] = src[ow] + bias;
        } else {
#pragma omp simd
          for (int ow = 0; ow < L.Wo; ++ow) dst[ow] = src[ow];
        }
      }
    }
  }
}

// dw [F, C, k*k] += over all images and wide positions, dyw[f] times xp[c] shifted by the tap.
void weight_adjoint(const ConvShape& s, const Scalar* x, const Scalar* dy, Scalar* dw) {
  if (s.stride != 1) return strided_weight_adjoint(s, x, dy, dw);
  const WideLayout L(s);
  const Buffer xp = padded_input(s, L, x);
  if (filters_in_lanes(s)) {
    const Buffer dyt = filters_innermost(s, dy);
    for (int f0 = 0; f0 < s.F; f0 += kLanes)
      for (int c = 0; c < s.C; ++c)
        filter_lanes_weight_block<kLaneKernel>(s, L.Wp, xp.get() + c * L.plane, s.C * L.plane, dyt.get() + f0,
                                               dw + (long(f0) * s.C + c) * L.taps);
    return;
  }
  const Buffer dyw = widened_output(s, L, dy);
  shifted_correlations(s.F, s.C, L.taps, s.N, L.out_len, dyw.get(), L.out_len, xp.get(), L.plane,
                       L.offset.data(), dw);
}

// dx += per image, the padded planes dxp [C, plane] that the scattered products of w^T (as
// coefficients [C, F, k*k]) with dyw fill, without their padding.
void input_adjoint(const ConvShape& s, const Scalar* w, const Scalar* dy, Scalar* dx) {
  if (s.stride != 1) return strided_input_adjoint(s, w, dy, dx);
  const WideLayout L(s);
  const Buffer dyw = widened_output(s, L, dy);
  std::vector<Scalar> wt(size_t(s.C) * s.F * L.taps);  // [C, F, k*k]
  for (int f = 0; f < s.F; ++f)
    for (int c = 0; c < s.C; ++c)
      std::copy_n(w + (long(f) * s.C + c) * L.taps, L.taps, wt.data() + (long(c) * s.F + f) * L.taps);
  const Buffer dxp = scratch(size_t(s.C) * L.plane);
  for (int n = 0; n < s.N; ++n) {
    std::fill_n(dxp.get(), size_t(s.C) * L.plane, Scalar(0));
    shifted_products(kScattered, s.C, s.F, L.taps, wt.data(), L.offset.data(),
                     dyw.get() + long(n) * s.F * L.out_len, L.out_len, L.out_len, dxp.get(), L.plane);
    for (int c = 0; c < s.C; ++c)
      for (int ih = 0; ih < s.H; ++ih) {
        const Scalar* src = dxp.get() + long(c) * L.plane + long(ih + L.pad) * L.Wp + L.pad;
        Scalar* dst = dx + ((long(n) * s.C + c) * s.H + ih) * s.W;
#pragma omp simd
        for (int iw = 0; iw < s.W; ++iw) dst[iw] += src[iw];
      }
  }
}

// ---- the plain twins: the definitions, one output at a time, for every stride ----

void forward_reference(const ConvShape& s, const Scalar* x, const Scalar* w, const Scalar* b, Scalar* y,
                       bool accumulate) {
  const int Ho = s.Ho(), Wo = s.Wo(), k = s.k;
  for (int n = 0; n < s.N; ++n)
    for (int f = 0; f < s.F; ++f)
      for (int oh = 0; oh < Ho; ++oh)
        for (int ow = 0; ow < Wo; ++ow) {
          Scalar sum = 0;
          for (int c = 0; c < s.C; ++c)
            for (int kh = 0; kh < k; ++kh)
              for (int kw = 0; kw < k; ++kw) {
                const int ih = oh * s.stride + kh - s.pad, iw = ow * s.stride + kw - s.pad;
                if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W) continue;
                sum += w[((long(f) * s.C + c) * k + kh) * k + kw] *
                       x[((long(n) * s.C + c) * s.H + ih) * s.W + iw];
              }
          if (b) sum += b[f];
          Scalar& out = y[((long(n) * s.F + f) * Ho + oh) * Wo + ow];
          out = accumulate ? out + sum : sum;
        }
}

void weight_adjoint_reference(const ConvShape& s, const Scalar* x, const Scalar* dy, Scalar* dw) {
  const int Ho = s.Ho(), Wo = s.Wo(), k = s.k;
  for (int f = 0; f < s.F; ++f)
    for (int c = 0; c < s.C; ++c)
      for (int kh = 0; kh < k; ++kh)
        for (int kw = 0; kw < k; ++kw) {
          Scalar sum = 0;
          for (int n = 0; n < s.N; ++n)
            for (int oh = 0; oh < Ho; ++oh)
              for (int ow = 0; ow < Wo; ++ow) {
                const int ih = oh * s.stride + kh - s.pad, iw = ow * s.stride + kw - s.pad;
                if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W) continue;
                sum += dy[((long(n) * s.F + f) * Ho + oh) * Wo + ow] *
                       x[((long(n) * s.C + c) * s.H + ih) * s.W + iw];
              }
          dw[((long(f) * s.C + c) * k + kh) * k + kw] += sum;
        }
}

void input_adjoint_reference(const ConvShape& s, const Scalar* w, const Scalar* dy, Scalar* dx) {
  const int Ho = s.Ho(), Wo = s.Wo(), k = s.k;
  for (int n = 0; n < s.N; ++n)
    for (int c = 0; c < s.C; ++c)
      for (int ih = 0; ih < s.H; ++ih)
        for (int iw = 0; iw < s.W; ++iw) {
          Scalar sum = 0;
          for (int f = 0; f < s.F; ++f)
            for (int kh = 0; kh < k; ++kh)
              for (int kw = 0; kw < k; ++kw) {
                // the output pixel whose tap (kh, kw) is (ih, iw): oh s + kh - p = ih
                const int th = ih - kh + s.pad, tw = iw - kw + s.pad;
                if (th < 0 || tw < 0 || th % s.stride || tw % s.stride) continue;
                const int oh = th / s.stride, ow = tw / s.stride;
                if (oh >= Ho || ow >= Wo) continue;
                sum += w[((long(f) * s.C + c) * k + kh) * k + kw] *
                       dy[((long(n) * s.F + f) * Ho + oh) * Wo + ow];
              }
          dx[((long(n) * s.C + c) * s.H + ih) * s.W + iw] += sum;
        }
}

}  // namespace landscape::conv
