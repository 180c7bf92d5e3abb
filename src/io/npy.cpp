// The .npy format as NumPy's format spec (numpy.lib.format) defines it:
//   bytes 0-5   magic "\x93NUMPY"
//   bytes 6-7   format version major, minor: 1.0, 2.0 or 3.0
//   then        header length, little-endian: uint16 in 1.0, uint32 in 2.0 and 3.0
//   then        the header: a Python dict literal {'descr': ..., 'fortran_order': ...,
//               'shape': (...), } padded with spaces and ended by '\n' so that magic + version
//               + length + header is a multiple of 64 bytes (ASCII in 1.0/2.0, UTF-8 in 3.0)
//   then        the data, prod(shape) items of dtype `descr`, nothing after it.
// Every mismatch is an Error of the form "PATH: what was found (what was expected)", so a user
// who brings a file from PyTorch/NumPy learns how to save it differently.
#include "io/npy.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <type_traits>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/whole_file.hpp"

namespace landscape {
namespace {

// The data bytes are copied as they lie; only a little-endian host reads '<f4' that way.
static_assert(std::endian::native == std::endian::little, "npy.cpp assumes a little-endian host");

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr size_t kAlign = 64;  // header alignment NumPy writes (the spec's ARRAY_ALIGN)

struct NpyHeader {
  std::string descr;  // e.g. "<f4"
  bool fortran_order = false;
  std::vector<int64_t> shape;  // () for 0-D
  size_t data_offset = 0;      // where the data starts in the file
};

std::string shape_text(const std::vector<int64_t>& shape) {  // as Python prints it: (3,) (2, 3)
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

// The header is one Python literal: a dict whose keys are strings and whose values are a
// string, True/False or a tuple of integers. This parser accepts exactly that and says where it
// stopped otherwise.
class HeaderParser {
 public:
  HeaderParser(const std::string& path, const std::string& text) : path_(path), text_(text) {}

  NpyHeader parse() {
    NpyHeader h;
    bool seen_descr = false, seen_order = false, seen_shape = false;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = string_literal();
      expect(':');
      skip_space();
      if (key == "descr") {
        if (peek() == '[') fail("descr is a list (a structured dtype); only '<f4'/'<f8' are read");
        once(seen_descr, key);
        h.descr = string_literal();
      } else if (key == "fortran_order") {
        once(seen_order, key);
        h.fortran_order = boolean_literal();
      } else if (key == "shape") {
        once(seen_shape, key);
        h.shape = int_tuple();
      } else {
        fail("unexpected key '" + key + "' (a .npy header has descr, fortran_order, shape)");
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_space();
      if (peek() != '}') fail("expected ',' or '}'");
    }
    ++pos_;  // '}'
    skip_space();
    if (pos_ != text_.size()) fail("text after the closing '}'");
    if (!seen_descr || !seen_order || !seen_shape)
      fail(std::string("missing key '") +
           (!seen_descr   ? "descr"
            : !seen_order ? "fortran_order"
                          : "shape") +
           "'");
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    std::string shown = text_;
    while (!shown.empty() && (shown.back() == ' ' || shown.back() == '\n')) shown.pop_back();
    if (shown.size() > 120) shown = shown.substr(0, 120) + "...";
    throw Error(path_ + ": malformed .npy header: " + what + " at character " + std::to_string(pos_) +
                " of " + shown);
  }
  void once(bool& seen, const std::string& key) {
    if (seen) fail("key '" + key + "' given twice");
    seen = true;
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t')) ++pos_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string string_literal() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a quoted string");
    const size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) ++pos_;
    if (pos_ >= text_.size()) fail("unterminated string");
    return text_.substr(start, pos_++ - start);
  }
  bool boolean_literal() {
    if (text_.compare(pos_, 4, "True") == 0) return pos_ += 4, true;
    if (text_.compare(pos_, 5, "False") == 0) return pos_ += 5, false;
    fail("fortran_order is not True or False");
  }
  std::vector<int64_t> int_tuple() {
    if (peek() != '(') fail("shape is not a tuple");
    ++pos_;
    std::vector<int64_t> dims;
    bool comma_after_last = false;
    while (true) {
      skip_space();
      if (peek() == ')') break;
      if (peek() < '0' || peek() > '9') fail("shape holds something other than a non-negative integer");
      int64_t d = 0;
      while (peek() >= '0' && peek() <= '9') {
        const int digit = peek() - '0';
        if (d > (std::numeric_limits<int64_t>::max() - digit) / 10) fail("dimension too large");
        d = d * 10 + digit;
        ++pos_;
      }
      if (peek() == 'L') ++pos_;  // Python 2 wrote long integers as 3L
      dims.push_back(d);
      comma_after_last = false;
      skip_space();
      if (peek() == ',') {
        ++pos_;
        comma_after_last = true;
        continue;
      }
      if (peek() != ')') fail("expected ',' or ')' in shape");
    }
    ++pos_;
    // Python needs a trailing comma for a 1-tuple: "(3)" is the integer 3, not a shape.
    if (dims.size() == 1 && !comma_after_last)
      fail("shape (n) is an integer, not a tuple; a 1-D shape is written (n,)");
    return dims;
  }

  const std::string& path_;
  const std::string& text_;
  size_t pos_ = 0;
};

uint32_t little_endian(const std::string& bytes, size_t at, int width) {
  uint32_t v = 0;
  for (int i = width - 1; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

// Magic, version, header length and header dict; checks nothing about dtype or shape.
NpyHeader parse_header(const std::string& path, const std::string& bytes) {
  if (bytes.size() < kMagicSize || bytes.compare(0, kMagicSize, kMagic, kMagicSize) != 0) {
    std::ostringstream found;
    found << std::hex;
    for (size_t i = 0; i < std::min<size_t>(bytes.size(), kMagicSize); ++i)
      found << (i ? " " : "") << static_cast<int>(static_cast<unsigned char>(bytes[i]));
    throw Error(path + ": not a .npy file (bad magic: first bytes [" + found.str() +
                "], expected 93 4e 55 4d 50 59 = \"\\x93NUMPY\")");
  }
  if (bytes.size() < kMagicSize + 2) throw Error(path + ": .npy file ends inside its version");
  const int major = static_cast<unsigned char>(bytes[6]);
  const int minor = static_cast<unsigned char>(bytes[7]);
  if (minor != 0 || major < 1 || major > 3)
    throw Error(path + ": unsupported .npy format version " + std::to_string(major) + "." +
                std::to_string(minor) + " (this reader knows 1.0, 2.0 and 3.0)");
  const int length_width = major == 1 ? 2 : 4;
  const size_t header_start = kMagicSize + 2 + length_width;
  if (bytes.size() < header_start) throw Error(path + ": .npy file ends inside its header length");
  const size_t header_size = little_endian(bytes, kMagicSize + 2, length_width);
  if (bytes.size() - header_start < header_size)
    throw Error(path + ": header length " + std::to_string(header_size) + " runs past the end of the " +
                std::to_string(bytes.size()) + "-byte file");
  NpyHeader h = HeaderParser(path, bytes.substr(header_start, header_size)).parse();
  h.data_offset = header_start + header_size;
  return h;
}

// prod(shape) items of item_size bytes, overflow-checked, must be exactly the bytes after the
// header: fewer is a truncated file, more is trailing garbage. Returns the number of items.
int64_t check_data_length(const std::string& path, const std::string& bytes, const NpyHeader& h,
                          size_t item_size) {
  int64_t items = 1;
  for (int64_t d : h.shape) {
    if (d != 0 && items > std::numeric_limits<int64_t>::max() / static_cast<int64_t>(item_size) / d)
      throw Error(path + ": shape " + shape_text(h.shape) + " is too large");
    items *= d;
  }
  const uint64_t need = static_cast<uint64_t>(items) * item_size;
  const uint64_t have = bytes.size() - h.data_offset;
  if (need != have)
    throw Error(path + ": header says shape " + shape_text(h.shape) + " of '" + h.descr +
                "' = " + std::to_string(need) + " data bytes but the file holds " + std::to_string(have) +
                (have < need ? " (truncated)" : " (extra bytes after the data)"));
  return items;
}

// The checks every reader shares: little-endian `wanted` dtype, C order for 2-D, and a data
// length that agrees with the shape. Returns the number of items.
int64_t check_layout(const std::string& path, const std::string& bytes, const NpyHeader& h,
                     const std::vector<std::string>& wanted, size_t item_size) {
  std::string expected;
  for (size_t i = 0; i < wanted.size(); ++i) expected += (i ? "' or '" : "'") + wanted[i];
  expected += "'";
  bool known = false;
  for (const std::string& w : wanted) known = known || h.descr == w;
  if (!known) {
    if (!h.descr.empty() && h.descr[0] == '>')
      throw Error(path + ": big-endian dtype '" + h.descr + "' (expected little-endian " + expected +
                  "; save with a.astype('<" + h.descr.substr(1) + "'))");
    throw Error(path + ": dtype '" + h.descr + "' is not supported here (expected " + expected + ")");
  }
  if (h.shape.size() == 0) throw Error(path + ": 0-D array (shape ()) where a 1-D or 2-D array was expected");
  if (h.shape.size() > 2)
    throw Error(path + ": " + std::to_string(h.shape.size()) + "-D array of shape " + shape_text(h.shape) +
                " (expected 1-D or 2-D)");
  // A 1-D array lies the same way in either order; a 2-D one in Fortran order is transposed.
  if (h.fortran_order && h.shape.size() == 2)
    throw Error(path + ": Fortran-order array of shape " + shape_text(h.shape) +
                " (expected C order; save np.ascontiguousarray(a))");
  return check_data_length(path, bytes, h, item_size);
}

template <class From, class To>
void convert(const char* src, int64_t n, To* dst) {
  if constexpr (std::is_same_v<From, To>) {
    // (An empty array's vector has data() == nullptr, which memcpy may not be given even for
    // 0 bytes; UBSan found it on a (0, 0) stack of a fully diverged ensemble.)
    if (n > 0) std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(To));
  } else {
    for (int64_t i = 0; i < n; ++i) {
      From v;
      std::memcpy(&v, src + i * sizeof(From), sizeof(From));
      dst[i] = static_cast<To>(v);
    }
  }
}

// Reads a float32/float64 file into `To`, filling rows/cols/one_dimensional/dtype.
template <class To>
std::vector<To> parse_float_matrix(const std::string& path, const std::string& bytes, NpyMatrix* shape_out) {
  const NpyHeader h = parse_header(path, bytes);
  const bool f4 = h.descr == "<f4";
  const int64_t items = check_layout(path, bytes, h, {"<f4", "<f8"}, f4 ? 4 : 8);
  shape_out->one_dimensional = h.shape.size() == 1;
  shape_out->rows = shape_out->one_dimensional ? 1 : h.shape[0];
  shape_out->cols = shape_out->one_dimensional ? h.shape[0] : h.shape[1];
  shape_out->dtype = h.descr;
  std::vector<To> out(static_cast<size_t>(items));
  const char* src = bytes.data() + h.data_offset;
  if (f4)
    convert<float>(src, items, out.data());
  else
    convert<double>(src, items, out.data());
  return out;
}

template <class T>
void write_matrix(const std::string& path, const T* data, int64_t rows, int64_t cols, bool one_dimensional,
                  const char* descr) {
  if (rows < 0 || cols < 0) throw Error("write_npy " + path + ": negative shape");
  if (one_dimensional && rows != 1)
    throw Error("write_npy " + path + ": a 1-D array needs rows == 1, got " + std::to_string(rows));
  const std::vector<int64_t> shape =
      one_dimensional ? std::vector<int64_t>{cols} : std::vector<int64_t>{rows, cols};
  // The dict as NumPy's own writer spells it, so our files are byte-identical to np.save's.
  std::string header =
      std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape_text(shape) + ", }";
  const size_t preamble = kMagicSize + 2 + 2;  // magic, version 1.0, uint16 length
  const size_t padded = (preamble + header.size() + 1 + kAlign - 1) / kAlign * kAlign;
  header.append(padded - preamble - header.size() - 1, ' ');
  header += '\n';
  write_file_atomic(path, [&](std::ostream& os) {
    os.write(kMagic, kMagicSize);
    const char version[2] = {1, 0};
    os.write(version, 2);
    const char length[2] = {static_cast<char>(header.size() & 0xff), static_cast<char>(header.size() >> 8)};
    os.write(length, 2);
    os << header;
    os.write(reinterpret_cast<const char*>(data),
             static_cast<std::streamsize>(rows * cols * static_cast<int64_t>(sizeof(T))));
  });
}

}  // namespace

NpyMatrix parse_npy(const std::string& name, const std::string& bytes) {
  NpyMatrix m;
  m.data = parse_float_matrix<Scalar>(name, bytes, &m);
  return m;
}

NpyMatrix read_npy(const std::string& path) { return parse_npy(path, read_whole_file(path)); }

std::vector<double> read_npy_double(const std::string& path, int64_t* rows, int64_t* cols) {
  NpyMatrix shape;
  std::vector<double> data = parse_float_matrix<double>(path, read_whole_file(path), &shape);
  if (rows) *rows = shape.rows;
  if (cols) *cols = shape.cols;
  return data;
}

std::vector<int64_t> parse_npy_int64_vector(const std::string& path, const std::string& bytes) {
  const NpyHeader h = parse_header(path, bytes);
  const int64_t items = check_layout(path, bytes, h, {"<i8"}, 8);
  if (h.shape.size() != 1)
    throw Error(path + ": shape " + shape_text(h.shape) + " where a 1-D '<i8' vector was expected");
  std::vector<int64_t> out(static_cast<size_t>(items));
  convert<int64_t>(bytes.data() + h.data_offset, items, out.data());
  return out;
}

std::vector<int64_t> read_npy_int64_vector(const std::string& path) {
  return parse_npy_int64_vector(path, read_whole_file(path));
}

namespace {

// The item size of a numeric descr: '<f4', '<i8', '|u1', '|b1', ... (byte order '<', or '|'
// where it does not matter). Errors name the file: big-endian, non-numeric, unknown sizes.
size_t numeric_item_size(const std::string& path, const std::string& descr) {
  if (descr.size() >= 2 && descr[0] == '>')
    throw Error(path + ": big-endian dtype '" + descr + "' (expected little-endian; save with a.astype('<" +
                descr.substr(1) + "'))");
  const bool order_ok = descr.size() >= 3 && (descr[0] == '<' || descr[0] == '|' || descr[0] == '=');
  const char kind = order_ok ? descr[1] : '\0';
  const std::string digits = order_ok ? descr.substr(2) : "";
  const bool numeric = std::string("biuf").find(kind) != std::string::npos && kind != '\0';
  if (!numeric || digits.empty() || digits.size() > 2 ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    throw Error(path + ": dtype '" + descr +
                "' is not a numeric array (expected a bool, integer "
                "or floating-point dtype such as '<f4', '<i8', '|u1')");
  const size_t size = std::stoul(digits);
  const bool known = kind == 'b'   ? size == 1
                     : kind == 'f' ? (size == 2 || size == 4 || size == 8)
                                   : (size == 1 || size == 2 || size == 4 || size == 8);
  if (!known) throw Error(path + ": dtype '" + descr + "' has an item size this reader does not know");
  return size;
}

NpyArray array_of_header(const NpyHeader& h) {
  NpyArray a;
  a.dtype = h.descr;
  a.kind = h.descr[1];
  a.shape = h.shape;
  a.data_offset = h.data_offset;
  return a;
}

}  // namespace

int64_t NpyArray::items() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

NpyArray parse_npy_array(const std::string& name, std::string bytes) {
  const NpyHeader h = parse_header(name, bytes);
  const size_t item_size = numeric_item_size(name, h.descr);
  if (h.fortran_order && h.shape.size() >= 2)
    throw Error(name + ": Fortran-order array of shape " + shape_text(h.shape) +
                " (expected C order; save np.ascontiguousarray(a))");
  check_data_length(name, bytes, h, item_size);
  NpyArray a = array_of_header(h);
  a.item_size = item_size;
  a.bytes = std::move(bytes);
  return a;
}

NpyArray read_npy_array(const std::string& path) { return parse_npy_array(path, read_whole_file(path)); }

NpyArray read_npy_header(const std::string& path) {
  // Magic, version and the header length first; then exactly the header.
  const std::string start = read_file_prefix(path, kMagicSize + 2 + 4);
  size_t end = start.size();
  if (start.size() >= kMagicSize + 2 + 2 && start.compare(0, kMagicSize, kMagic, kMagicSize) == 0) {
    const int width = static_cast<unsigned char>(start[6]) == 1 ? 2 : 4;
    if (start.size() >= kMagicSize + 2 + width)
      end = kMagicSize + 2 + width + little_endian(start, kMagicSize + 2, width);
  }
  const NpyHeader h = parse_header(path, read_file_prefix(path, end));
  NpyArray a = array_of_header(h);
  a.item_size = numeric_item_size(path, h.descr);
  return a;
}

std::string npy_shape_text(const std::vector<int64_t>& shape) { return shape_text(shape); }

void write_npy(const std::string& path, const float* data, int64_t rows, int64_t cols, bool one_dimensional) {
  write_matrix(path, data, rows, cols, one_dimensional, "<f4");
}

void write_npy(const std::string& path, const double* data, int64_t rows, int64_t cols,
               bool one_dimensional) {
  write_matrix(path, data, rows, cols, one_dimensional, "<f8");
}

void write_npy(const std::string& path, const int64_t* data, int64_t rows, int64_t cols,
               bool one_dimensional) {
  write_matrix(path, data, rows, cols, one_dimensional, "<i8");
}

}  // namespace landscape
