#include "core/sparse_rows.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__AVX512F__) && defined(__AVX512VL__)
#include <immintrin.h>
#endif

namespace landscape {

namespace {

// append_nonzeros may write this many entries past the last nonzero.
inline constexpr int kBlockSlack = 16;

// Plain loop: appends the nonzeros of row [cols] at column/value + k, returns the new k.
size_t append_nonzeros_plain(const Scalar* row, int cols, int* column, Scalar* value, size_t k) {
  for (int c = 0; c < cols; ++c)
    if (row[c] != 0) {
      column[k] = c;
      value[k] = row[c];
      ++k;
    }
  return k;
}

#if defined(__AVX512F__) && defined(__AVX512VL__)
// The same with AVX-512: for each block of 16 (float) or 8 (double) entries, a compare gives
// the mask of nonzeros and a compress packs them and their columns to the front of a register,
// which is stored whole: up to a block's width of slack past the last nonzero is overwritten
// (SparseRows::of leaves room). The compress goes to a register, not memory: compress-to-memory
// is microcoded and slow on AMD Zen 4, this machine's CPU. 6x faster than the plain loop here.
[[maybe_unused]] size_t append_nonzeros(const float* row, int cols, int* column, float* value, size_t k) {
  const __m512i step = _mm512_set1_epi32(16);
  __m512i columns = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (int c = 0; c < cols; c += 16, columns = _mm512_add_epi32(columns, step)) {
    const __mmask16 inside = cols - c >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (cols - c)) - 1);
    const __m512 v = _mm512_maskz_loadu_ps(inside, row + c);
    const __mmask16 nonzero = _mm512_mask_cmp_ps_mask(inside, v, _mm512_setzero_ps(), _CMP_NEQ_UQ);
    if (!nonzero) continue;
    _mm512_storeu_ps(value + k, _mm512_maskz_compress_ps(nonzero, v));
    _mm512_storeu_si512(column + k, _mm512_maskz_compress_epi32(nonzero, columns));
    k += std::popcount(unsigned(nonzero));
  }
  return k;
}

[[maybe_unused]] size_t append_nonzeros(const double* row, int cols, int* column, double* value, size_t k) {
  const __m256i step = _mm256_set1_epi32(8);
  __m256i columns = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (int c = 0; c < cols; c += 8, columns = _mm256_add_epi32(columns, step)) {
    const __mmask8 inside = cols - c >= 8 ? __mmask8(0xFF) : __mmask8((1u << (cols - c)) - 1);
    const __m512d v = _mm512_maskz_loadu_pd(inside, row + c);
    const __mmask8 nonzero = _mm512_mask_cmp_pd_mask(inside, v, _mm512_setzero_pd(), _CMP_NEQ_UQ);
    if (!nonzero) continue;
    _mm512_storeu_pd(value + k, _mm512_maskz_compress_pd(nonzero, v));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(column + k),
                        _mm256_maskz_compress_epi32(nonzero, columns));
    k += std::popcount(unsigned(nonzero));
  }
  return k;
}
#else
size_t append_nonzeros(const Scalar* row, int cols, int* column, Scalar* value, size_t k) {
  return append_nonzeros_plain(row, cols, column, value, k);
}
#endif

// Each row is compressed into a scratch row and appended from there: one pass over x, and no
// zero fill of the result (a first pass counting the nonzeros, then a zero-filled vector of
// that size, cost as much as the compression).
SparseRows compress(const Scalar* x, int rows, int cols, bool plain) {
  SparseRows s;
  s.rows = rows;
  s.cols = cols;
  s.row_start.resize(size_t(rows) + 1);
  s.column.reserve(size_t(rows) * cols / 4);  // MNIST images are 19% nonzero
  s.value.reserve(size_t(rows) * cols / 4);
  std::vector<int> row_column(size_t(cols) + kBlockSlack);
  std::vector<Scalar> row_value(size_t(cols) + kBlockSlack);
  for (int r = 0; r < rows; ++r) {
    s.row_start[r] = int(s.value.size());
    const Scalar* row = x + size_t(r) * cols;
    const size_t n = plain ? append_nonzeros_plain(row, cols, row_column.data(), row_value.data(), 0)
                           : append_nonzeros(row, cols, row_column.data(), row_value.data(), 0);
    s.column.insert(s.column.end(), row_column.begin(), row_column.begin() + n);
    s.value.insert(s.value.end(), row_value.begin(), row_value.begin() + n);
  }
  s.row_start[rows] = int(s.value.size());
  return s;
}

// Both products come down to one kernel, y [R,O] += a [R,C] b [C,O] with a sparse: each
// nonzero a[r,c] adds a[r,c] times row c of b to row r of y. The forward pass is a = x, b = w^T;
// the weight gradient is dw^T = x^T dy, a = x^T (the pixels as rows), b = dy.
//
// The kernel works on a row of y in tiles of kTile values held in registers, so b's rows are
// padded to a multiple of kTile (padded_width). Eight floats are one AVX register; on this
// machine's AMD Zen 4 eight-wide tiles beat sixteen-wide ones (FCP's 50 outputs pad to 56
// instead of 64): FCP's full batch took 0.064 s against 0.069 s (chunks of 1,024 images).
inline constexpr int kTile = 8;
inline int padded_width(int O) { return (O + kTile - 1) / kTile * kTile; }

// kTile scalars as one value of a GCC/Clang vector type, so that each step below is visibly
// one register-wide multiply and add (plain loops over a small array were vectorised across the
// nonzeros instead, with gathers, and ran 3x slower).
typedef Scalar Tile __attribute__((vector_size(kTile * sizeof(Scalar))));
inline Tile load_tile(const Scalar* p) {
  Tile t;
  std::memcpy(&t, p, sizeof t);
  return t;
}
inline void store_tile(Scalar* p, Tile t) { std::memcpy(p, &t, sizeof t); }

// A zero matrix [R, padded_width(C)] stored as tiles, so that every tile of it is aligned and
// no load straddles two cache lines (with the 16-byte alignment of a plain vector of floats
// the forward product ran 12% slower).
struct PaddedMatrix {
  int ld;                   // values per row, padded_width(C)
  std::vector<Tile> tiles;  // [R, ld / kTile]
  PaddedMatrix(int R, int C) : ld(padded_width(C)), tiles(size_t(R) * (ld / kTile), Tile{}) {}
  Scalar* row(size_t r) { return reinterpret_cast<Scalar*>(tiles.data()) + r * ld; }
  const Scalar* data() const { return reinterpret_cast<const Scalar*>(tiles.data()); }
};

// to[c * ld_to + r] (+)= from[r * C + c] for r < R, c < C: a transpose, eight rows of `from`
// at a time so that each write to `to` is one whole tile (a plain double loop took 1.4 cycles
// per entry, half the time of a 64-image first layer: FCP's 784 x 50 weights are transposed
// twice per graph).
template <bool Add>
void transpose_into(const Scalar* from, int R, int C, Scalar* to, int ld_to) {
  int r0 = 0;
  for (; r0 + kTile <= R; r0 += kTile)
    for (int c = 0; c < C; ++c) {
      Tile t;
      for (int j = 0; j < kTile; ++j) t[j] = from[size_t(r0 + j) * C + c];
      Scalar* out = to + size_t(c) * ld_to + r0;
      store_tile(out, Add ? load_tile(out) + t : t);
    }
  for (int r = r0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      Scalar& out = to[size_t(c) * ld_to + r];
      out = Add ? out + from[size_t(r) * C + c] : from[size_t(r) * C + c];
    }
}

// Up to this many tiles of a row of y are summed in registers at once (64 values: FCP's 50 and
// the autoencoder's 32 hidden units in one pass over an image's nonzeros).
inline constexpr int kMaxTiles = 8;

// y[r, o0 : o0+T*kTile] += sum over row r's nonzeros a[r,c] of a[r,c] b[c, o0 : o0+T*kTile],
// for every row r. b has rows of ldb values; y has rows of O values, of which only those below
// o0 + width are written.
template <int T>
void add_tiles_of_product(const SparseRows& a, const Scalar* b, int ldb, int o0, int width, int O,
                          Scalar* y) {
  for (int r = 0; r < a.rows; ++r) {
    if (a.row_start[r] == a.row_start[r + 1]) continue;  // e.g. a pixel dark in every image
    Tile sum[T] = {};
    for (int k = a.row_start[r]; k < a.row_start[r + 1]; ++k) {
      const Scalar* row = b + size_t(a.column[k]) * ldb + o0;
      for (int j = 0; j < T; ++j) sum[j] += a.value[k] * load_tile(row + j * kTile);
    }
    Scalar* out = y + size_t(r) * O + o0;
    const int whole = width / kTile;  // tiles that lie wholly inside y's row
    for (int j = 0; j < whole; ++j) store_tile(out + j * kTile, load_tile(out + j * kTile) + sum[j]);
    for (int t = whole * kTile; t < width; ++t) out[t] += sum[t / kTile][t % kTile];
  }
}

// y [R,O] += a b, b [C, ldb] padded: add_tiles_of_product over groups of at most kMaxTiles
// tiles, the number of tiles a template argument so that the sums stay in registers.
void add_sparse_times_dense(const SparseRows& a, const Scalar* b, int ldb, int O, Scalar* y) {
  for (int o0 = 0; o0 < O; o0 += kMaxTiles * kTile) {
    const int width = std::min(kMaxTiles * kTile, O - o0);
    switch ((width + kTile - 1) / kTile) {
      case 1: add_tiles_of_product<1>(a, b, ldb, o0, width, O, y); break;
      case 2: add_tiles_of_product<2>(a, b, ldb, o0, width, O, y); break;
      case 3: add_tiles_of_product<3>(a, b, ldb, o0, width, O, y); break;
      case 4: add_tiles_of_product<4>(a, b, ldb, o0, width, O, y); break;
      case 5: add_tiles_of_product<5>(a, b, ldb, o0, width, O, y); break;
      case 6: add_tiles_of_product<6>(a, b, ldb, o0, width, O, y); break;
      case 7: add_tiles_of_product<7>(a, b, ldb, o0, width, O, y); break;
      default: add_tiles_of_product<8>(a, b, ldb, o0, width, O, y); break;
    }
  }
}

// x^T as sparse rows (x's columns; each one's entries in the order of x's rows): a counting sort
// of the entries by column.
SparseRows transposed(const SparseRows& x) {
  SparseRows t;
  t.rows = x.cols;
  t.cols = x.rows;
  t.row_start.assign(size_t(t.rows) + 1, 0);
  for (int c : x.column) ++t.row_start[c + 1];
  for (int r = 0; r < t.rows; ++r) t.row_start[r + 1] += t.row_start[r];
  t.column.resize(x.column.size());
  t.value.resize(x.value.size());
  std::vector<int> next(t.row_start.begin(), t.row_start.end() - 1);
  for (int n = 0; n < x.rows; ++n)
    for (int k = x.row_start[n]; k < x.row_start[n + 1]; ++k) {
      const int p = next[x.column[k]]++;
      t.column[p] = n;
      t.value[p] = x.value[k];
    }
  return t;
}

}  // namespace

SparseRows SparseRows::of(const Scalar* x, int rows, int cols) { return compress(x, rows, cols, false); }

SparseRows SparseRows::of_reference(const Scalar* x, int rows, int cols) {
  return compress(x, rows, cols, true);
}

double SparseRows::density() const {
  return rows == 0 || cols == 0 ? 0.0 : double(value.size()) / (double(rows) * cols);
}

void add_sparse_input_product(const SparseRows& x, const Scalar* w, int O, Scalar* y) {
  PaddedMatrix wt(x.cols, O);  // w^T [I, O]
  transpose_into<false>(w, O, x.cols, wt.row(0), wt.ld);
  add_sparse_times_dense(x, wt.data(), wt.ld, O, y);
}

void add_sparse_input_weight_adjoint(const SparseRows& x, const Scalar* dy, int O, Scalar* dw) {
  PaddedMatrix padded_dy(x.rows, O);
  for (int n = 0; n < x.rows; ++n) std::copy_n(dy + size_t(n) * O, O, padded_dy.row(n));
  std::vector<Scalar> dwt(size_t(x.cols) * O, Scalar(0));  // dw^T [I,O] = x^T dy
  add_sparse_times_dense(transposed(x), padded_dy.data(), padded_dy.ld, O, dwt.data());
  transpose_into<true>(dwt.data(), x.cols, O, dw, x.cols);
}

}  // namespace landscape
