// .npy reading and writing (src/io/npy.cpp) and atomic writes (src/io/atomic_file.cpp).
// Files of every accepted kind are built byte by byte here, so the reader is checked against
// the format spec rather than against our own writer; every rejection checks that the message
// names the file and the problem.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/npy.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

using testing::expect_error;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A .npy file by hand: magic, version major.0, header length (2 bytes for 1.x, 4 otherwise),
// the dict padded with spaces and a newline to a multiple of 64, then `data`.
std::string npy_file(int major, const std::string& dict, const std::string& data) {
  const size_t length_width = major == 1 ? 2 : 4;
  const size_t preamble = 8 + length_width;
  std::string header = dict;
  while ((preamble + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (size_t i = 0; i < length_width; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + data;
}

template <class T>
std::string raw(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

std::string dict(const std::string& descr, const std::string& shape, bool fortran = false) {
  return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(Npy, RoundTripFloat32TwoD) {
  const std::string path = testing::temp_dir() + "/m.npy";
  const std::vector<float> values = {0.5f, -1.25f, 3.0e-7f, 1.0f / 3.0f, 7.0f, -0.0f};
  write_npy(path, values.data(), 2, 3);
  const NpyMatrix m = read_npy(path);
  EXPECT_EQ(m.rows, 2);
  EXPECT_EQ(m.cols, 3);
  EXPECT_FALSE(m.one_dimensional);
  EXPECT_EQ(m.dtype, "<f4");
  ASSERT_EQ(m.data.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(m.data[i], static_cast<Scalar>(values[i]));
  EXPECT_EQ(m.row(1)[0], Scalar(1.0f / 3.0f));
  int64_t rows = 0, cols = 0;
  const std::vector<double> d = read_npy_double(path, &rows, &cols);
  EXPECT_EQ(rows, 2);
  EXPECT_EQ(cols, 3);
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(d[i], static_cast<double>(values[i]));
}

TEST(Npy, RoundTripFloat64OneD) {
  const std::string path = testing::temp_dir() + "/v.npy";
  const std::vector<double> values = {0.1, -1e-300, 1e300, 2.0 / 3.0, 42.0};
  write_npy(path, values.data(), 1, 5, /*one_dimensional=*/true);
  int64_t rows = 0, cols = 0;
  const std::vector<double> d = read_npy_double(path, &rows, &cols);
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(cols, 5);
  EXPECT_EQ(d, values);  // bit-exact
  const NpyMatrix m = read_npy(path);
  EXPECT_TRUE(m.one_dimensional);
  EXPECT_EQ(m.dtype, "<f8");
  EXPECT_EQ(m.data[0], static_cast<Scalar>(0.1));
}

TEST(Npy, WriterProducesNumpyHeader) {
  const std::string path = testing::temp_dir() + "/h.npy";
  const std::vector<float> values(6, 1.0f);
  write_npy(path, values.data(), 2, 3);
  const std::string bytes = read_bytes(path);
  // NumPy 1.0 layout: magic, 1, 0, uint16 length, dict padded to 64 bytes in all, '\n'.
  // (np.save of a 2x3 float32 array: 128 header bytes, length field 118.)
  ASSERT_EQ(bytes.size(), 128u + 6 * 4);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_EQ(static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8, 118);
  const std::string header = bytes.substr(10, 118);
  EXPECT_EQ(header.substr(0, header.find_last_not_of(" \n") + 1),
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
  EXPECT_EQ(header.back(), '\n');
  write_npy(path, values.data(), 1, 6, true);
  EXPECT_NE(read_bytes(path).find("'shape': (6,), }"), std::string::npos);
  EXPECT_THROW(write_npy(path, values.data(), 2, 3, /*one_dimensional=*/true), Error);
}

TEST(Npy, ReadsHandBuiltVersions1To3) {
  const std::string dir = testing::temp_dir();
  const std::vector<float> f = {1.5f, -2.0f, 0.25f, 8.0f, 9.5f, -7.0f};
  const std::vector<double> d = {1e-3, 2.5};
  for (int major : {1, 2, 3}) {
    const std::string path = dir + "/v" + std::to_string(major) + ".npy";
    write_bytes(path, npy_file(major, dict("<f4", "(3, 2)"), raw(f)));
    const NpyMatrix m = read_npy(path);
    EXPECT_EQ(m.rows, 3) << "version " << major;
    EXPECT_EQ(m.cols, 2);
    for (size_t i = 0; i < f.size(); ++i) EXPECT_EQ(m.data[i], static_cast<Scalar>(f[i]));
    write_bytes(path, npy_file(major, dict("<f8", "(2,)"), raw(d)));
    int64_t rows = 0, cols = 0;
    EXPECT_EQ(read_npy_double(path, &rows, &cols), d) << "version " << major;
    EXPECT_EQ(cols, 2);
  }
  // Other spellings the spec allows: keys in any order, double quotes, Python 2 longs, no
  // trailing comma in the dict, and a header not padded to 64 (older writers used 16).
  const std::string path = dir + "/spellings.npy";
  std::string h = "{\"shape\": (3L, 2L), \"fortran_order\": False, \"descr\": \"<f4\"}\n";
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(h.size());
  bytes += '\0';
  write_bytes(path, bytes + h + raw(f));
  EXPECT_EQ(read_npy(path).rows, 3);
  // A 1-D array is the same bytes in either order, so fortran_order True is harmless there.
  write_bytes(path, npy_file(1, dict("<f8", "(2,)", true), raw(d)));
  EXPECT_EQ(read_npy_double(path, nullptr, nullptr), d);
  // Empty arrays are legal.
  write_bytes(path, npy_file(1, dict("<f4", "(0, 5)"), ""));
  EXPECT_EQ(read_npy(path).rows, 0);
}

TEST(Npy, RejectsWhatItCannotRead) {
  const std::string dir = testing::temp_dir();
  const std::string p = dir + "/bad.npy";
  const std::string f6 = raw(std::vector<float>(6, 1.0f));
  auto rejects = [&](const std::string& bytes, const std::vector<std::string>& parts) {
    write_bytes(p, bytes);
    std::vector<std::string> all = {p};
    all.insert(all.end(), parts.begin(), parts.end());
    expect_error([&] { read_npy(p); }, all);
  };
  rejects("\x89PNG\r\n\x1a\n" + f6, {"bad magic", "89 50 4e 47"});
  rejects("", {"bad magic"});
  std::string v4 = npy_file(2, dict("<f4", "(6,)"), f6);
  v4[6] = 4;
  rejects(v4, {"version 4.0"});
  std::string v11 = npy_file(1, dict("<f4", "(6,)"), f6);
  v11[7] = 1;
  rejects(v11, {"version 1.1"});
  rejects(npy_file(1, dict(">f4", "(6,)"), f6), {"big-endian", "'>f4'"});
  rejects(npy_file(1, dict("<f4", "(2, 3)", true), f6), {"Fortran", "(2, 3)"});
  rejects(npy_file(1, dict("<i4", "(6,)"), f6), {"dtype '<i4'", "'<f4' or '<f8'"});
  rejects(npy_file(1, dict("|u1", "(24,)"), f6), {"dtype '|u1'"});
  rejects(npy_file(1, dict("<f4", "(1, 2, 3)"), f6), {"3-D", "(1, 2, 3)"});
  rejects(npy_file(1, dict("<f4", "()"), f6.substr(0, 4)), {"0-D"});
  rejects(npy_file(1, dict("<f4", "(2, 3)"), f6.substr(0, 20)),
          {"(2, 3)", "24 data bytes", "holds 20", "truncated"});
  rejects(npy_file(1, dict("<f4", "(2, 3)"), f6 + "xyzw"), {"holds 28", "extra bytes"});
  rejects(npy_file(1, dict("<f8", "(2, 3)"), f6), {"'<f8'", "48 data bytes", "truncated"});
  // Malformed dicts.
  rejects(npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,)", f6), {"malformed", "'}'"});
  rejects(npy_file(1, "{'descr': '<f4', 'shape': (6,), }", f6), {"malformed", "'fortran_order'"});
  rejects(npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'x': 1}", f6),
          {"malformed", "unexpected key 'x'"});
  rejects(npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6)}", f6), {"malformed", "(n,)"});
  rejects(npy_file(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (6,)}", f6),
          {"malformed", "True or False"});
  rejects(npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-6,)}", f6),
          {"malformed", "non-negative integer"});
  rejects(npy_file(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,)}", f6),
          {"structured"});
  rejects(npy_file(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (6,)}", f6),
          {"twice"});
  rejects(npy_file(1, "not a dict", f6), {"malformed", "expected '{'"});
  rejects(npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,)} junk", f6),
          {"malformed", "after the closing"});
  std::string long_header = npy_file(1, dict("<f4", "(6,)"), "");
  long_header[8] = static_cast<char>(0xff);  // header length 0x..ff, past the end
  long_header[9] = static_cast<char>(0x7f);
  rejects(long_header, {"runs past the end"});
  expect_error([&] { read_npy(dir + "/missing.npy"); }, {dir + "/missing.npy", "cannot read"});
}

TEST(Npy, Int64Vectors) {
  const std::string p = testing::temp_dir() + "/perm.npy";
  const std::vector<int64_t> v = {3, 0, 2, 1, -5, int64_t(1) << 40};
  write_bytes(p, npy_file(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (6,), }", raw(v)));
  EXPECT_EQ(read_npy_int64_vector(p), v);
  expect_error([&] { read_npy(p); }, {p, "dtype '<i8'"});
  write_bytes(p, npy_file(1, dict("<i8", "(2, 3)"), raw(v)));
  expect_error([&] { read_npy_int64_vector(p); }, {p, "(2, 3)", "1-D '<i8'"});
  write_bytes(p, npy_file(1, dict(">i8", "(6,)"), raw(v)));
  expect_error([&] { read_npy_int64_vector(p); }, {p, "big-endian"});
  write_bytes(p, npy_file(1, dict("<f8", "(6,)"), raw(v)));
  expect_error([&] { read_npy_int64_vector(p); }, {p, "'<f8'", "expected '<i8'"});
}

// The study's own files: the LSTM pixel permutation and the 48 published LSTM weight vectors.
TEST(Npy, ReadsSharedReferenceFiles) {
  const std::string perm_path = testing::shared_path("conformance/lstm_perm_seed1234.npy");
  const std::string weights_path = testing::published_lstm_weights_path();
  if (!testing::file_exists(perm_path) || !testing::file_exists(weights_path))
    GTEST_SKIP() << "../shared/ reference files absent";
  std::vector<int64_t> perm = read_npy_int64_vector(perm_path);
  ASSERT_EQ(perm.size(), 784u);
  std::sort(perm.begin(), perm.end());
  std::vector<int64_t> identity(784);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(perm, identity) << "not a permutation of 0..783";

  const NpyMatrix w = read_npy(weights_path);
  EXPECT_EQ(w.rows, 48);
  EXPECT_EQ(w.cols, 15456);
  EXPECT_EQ(w.dtype, "<f4");
  // Written back as float32, the file is byte-identical to the one np.save made (the float ->
  // Scalar -> float round trip is exact in both builds).
  const std::vector<float> back(w.data.begin(), w.data.end());
  const std::string copy = testing::temp_dir() + "/copy.npy";
  write_npy(copy, back.data(), w.rows, w.cols);
  EXPECT_TRUE(read_bytes(copy) == read_bytes(weights_path));
}

// ---------------------------------------------------------------------------------------------
// Atomic writes.

TEST(AtomicFile, ReplacesAndKeepsNoTempFiles) {
  const std::string dir = testing::temp_dir();
  write_text_atomic(dir + "/a.txt", "first");
  write_text_atomic(dir + "/a.txt", "second");
  EXPECT_EQ(read_bytes(dir + "/a.txt"), "second");
  EXPECT_EQ(entries(dir), std::vector<std::string>{"a.txt"});
}

TEST(AtomicFile, WriterExceptionLeavesOldFile) {
  const std::string dir = testing::temp_dir();
  write_text_atomic(dir + "/a.txt", "old");
  EXPECT_THROW(write_file_atomic(dir + "/a.txt",
                                 [](std::ostream& os) {
                                   os << "half";
                                   throw std::runtime_error("writer failed");
                                 }),
               std::runtime_error);
  EXPECT_EQ(read_bytes(dir + "/a.txt"), "old");
  EXPECT_EQ(entries(dir), std::vector<std::string>{"a.txt"});
}

// A disk that fills up mid-write: RLIMIT_FSIZE makes write(2) fail with EFBIG after 4 KiB,
// which exercises the same path as ENOSPC on a real disk.
TEST(AtomicFile, FailedWriteLeavesOldFileAndNoTemp) {
  const std::string dir = testing::temp_dir();
  const std::string path = dir + "/w.npy";
  write_text_atomic(path, "old contents");
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = 4096;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::vector<double> big(100000, 1.0);
  std::string message;
  try {
    write_npy(path, big.data(), 1, static_cast<int64_t>(big.size()));
  } catch (const Error& e) {
    message = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, old_handler);
  EXPECT_NE(message.find("cannot write " + path), std::string::npos) << message;
  EXPECT_EQ(read_bytes(path), "old contents");
  EXPECT_EQ(entries(dir), std::vector<std::string>{"w.npy"});
}

TEST(AtomicFile, DevFullFailsCleanly) {
  if (!testing::file_exists("/dev/full")) GTEST_SKIP() << "/dev/full absent";
  const std::vector<float> v(100000, 1.0f);
  expect_error([&] { write_npy("/dev/full", v.data(), 1, 100000); }, {"/dev/full", std::strerror(ENOSPC)});
  EXPECT_FALSE(std::filesystem::is_regular_file("/dev/full"));  // still the device
}

TEST(AtomicFile, NonWritableDirectoryLeavesOldFile) {
  const std::string dir = testing::temp_dir();
  const std::string path = dir + "/kept.txt";
  write_text_atomic(path, "old");
  std::filesystem::permissions(dir,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
                                   std::filesystem::perms::group_read | std::filesystem::perms::group_exec |
                                   std::filesystem::perms::others_read | std::filesystem::perms::others_exec);
  // root ignores directory permissions, so it tries as `nobody` instead.
  const bool root = geteuid() == 0;
  if (root && seteuid(65534) != 0) GTEST_SKIP() << "running as root and cannot drop to nobody";
  std::string message;
  try {
    write_text_atomic(path, "new");
  } catch (const Error& e) {
    message = e.what();
  }
  if (root) {
    ASSERT_EQ(seteuid(0), 0);
  }
  EXPECT_NE(message.find("cannot write " + path), std::string::npos) << message;
  EXPECT_EQ(read_bytes(path), "old");
  EXPECT_EQ(entries(dir), std::vector<std::string>{"kept.txt"});
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
}

TEST(AtomicFile, MissingDirectoryAndMakeDirectories) {
  const std::string dir = testing::temp_dir();
  expect_error([&] { write_text_atomic(dir + "/no/such/x.txt", "x"); },
               {"cannot write " + dir + "/no/such/x.txt"});
  make_directories(dir + "/no/such");
  make_directories(dir + "/no/such");  // already there: fine
  write_text_atomic(dir + "/no/such/x.txt", "x");
  EXPECT_EQ(read_bytes(dir + "/no/such/x.txt"), "x");
  expect_error([&] { make_directories(dir + "/no/such/x.txt/deeper"); },
               {"cannot create directory " + dir + "/no/such/x.txt/deeper"});
  expect_error([&] { make_directories(dir + "/no/such/x.txt"); }, {"in the way"});
  expect_error([&] { write_text_atomic(dir + "/no", "x"); }, {"directory"});
}

}  // namespace
}  // namespace landscape
