#include "experiments/paths/pair_state.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/npy.hpp"

namespace landscape {

namespace {

std::string state_name(const PathPair& pair) { return "unfinished-" + pair_name(pair) + ".txt"; }
std::string arrays_prefix(const PathPair& pair) { return "unfinished-" + pair_name(pair) + "-step-"; }
std::string arrays_name(const PathPair& pair, int steps_done) {
  return arrays_prefix(pair) + std::to_string(steps_done) + ".npy";
}

// The numbers of PathResult that the text holds, each written and read through this one list.
struct ResultNumber {
  const char* key;
  double PathResult::*value;
};
constexpr ResultNumber kResultNumbers[] = {
    {"H_linear", &PathResult::H_linear},
    {"length_linear", &PathResult::length_linear},
    {"loss_sum_linear", &PathResult::loss_sum_linear},
    {"H", &PathResult::H},
    {"length", &PathResult::length},
    {"loss_sum", &PathResult::loss_sum},
    {"objective", &PathResult::objective},
};
struct ResultSeries {
  const char* key;
  std::vector<double> PathResult::*values;
};
constexpr ResultSeries kResultSeries[] = {{"t", &PathResult::t},
                                          {"profile_linear", &PathResult::profile_linear},
                                          {"profile", &PathResult::profile}};

// Numbers separated by spaces, each with the 17 digits that read back to the same bits.
std::string numbers_text(const std::vector<double>& values) {
  std::string text;
  for (double v : values) text += (text.empty() ? "" : " ") + number_text(v);
  return text;
}

std::string checkpoint_text(const PathCheckpoint& c) {
  return std::to_string(c.step) + " " +
         numbers_text({c.H, c.loss_sum, c.H_reported, c.seconds, c.cpu_seconds});
}

std::string state_text(const PathPair& pair, const FourierPathState& s, std::size_t P, std::size_t NF) {
  std::ostringstream text;
  text << "# landscape: FourierPathFinder's state for pair " << pair_name(pair) << " after " << s.steps_done
       << " steps (docs/algorithms.md §5.8); delete it and " << arrays_name(pair, s.steps_done)
       << " to start the pair afresh\n";
  text << "dimension = " << P << "\nterms = " << NF << "\nsteps_done = " << s.steps_done << "\n";
  text << "arrays = " << arrays_name(pair, s.steps_done) << "\n";
  text << "best = " << number_text(s.best) << "\nseconds = " << number_text(s.seconds)
       << "\ncpu_seconds = " << number_text(s.cpu_seconds) << "\n";
  text << "noise = " << s.noise << "\n";
  text << "reported_step = " << s.partial.reported_step << "\n";
  for (const ResultNumber& n : kResultNumbers)
    text << n.key << " = " << number_text(s.partial.*n.value) << "\n";
  for (const ResultSeries& v : kResultSeries)
    text << v.key << " = " << numbers_text(s.partial.*v.values) << "\n";
  // step H loss_sum H_reported seconds cpu_seconds, one line per judged iterate
  for (const PathCheckpoint& c : s.partial.checkpoints) text << "checkpoint = " << checkpoint_text(c) << "\n";
  return text.str();
}

// The lines "key = value" of a state's text, in order (checkpoint repeats).
class StateLines {
 public:
  StateLines(const std::string& text, std::string file) : file_(std::move(file)) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const std::size_t eq = line.find(" = ");
      if (eq == std::string::npos) fail("the line '" + line + "' is not 'key = value'");
      lines_.emplace_back(line.substr(0, eq), line.substr(eq + 3));
    }
  }
  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(file_ + ": " + problem + "; delete it to start the pair afresh");
  }
  const std::string& text(const std::string& key) const {
    for (const auto& [k, v] : lines_)
      if (k == key) return v;
    fail("no '" + key + "' line");
  }
  std::vector<std::string> all(const std::string& key) const {
    std::vector<std::string> values;
    for (const auto& [k, v] : lines_)
      if (k == key) values.push_back(v);
    return values;
  }
  long long integer(const std::string& key) const {
    const auto v = whole_integer(text(key));
    if (!v) fail("'" + key + " = " + text(key) + "' is not an integer");
    return *v;
  }
  std::vector<double> numbers(const std::string& key, const std::string& text_of_key) const {
    std::istringstream in(text_of_key);
    std::vector<double> values;
    std::string word;
    while (in >> word) {
      char* end = nullptr;
      const double v = std::strtod(word.c_str(), &end);
      if (end == word.c_str() || *end != '\0')
        fail("'" + word + "' in the '" + key + "' line is not a number");
      values.push_back(v);
    }
    return values;
  }
  std::vector<double> numbers(const std::string& key) const { return numbers(key, text(key)); }
  double number(const std::string& key) const {
    const std::vector<double> v = numbers(key);
    if (v.size() != 1) fail("the '" + key + "' line holds " + std::to_string(v.size()) + " numbers, not one");
    return v[0];
  }

 private:
  std::string file_;
  std::vector<std::pair<std::string, std::string>> lines_;
};

PathCheckpoint read_checkpoint(const StateLines& lines, const std::string& text) {
  const std::vector<double> v = lines.numbers("checkpoint", text);
  if (v.size() != 6) lines.fail("a checkpoint line of " + std::to_string(v.size()) + " numbers, not 6");
  return {int(v[0]), v[1], v[2], v[3], v[4], v[5]};
}

// The rows of the arrays file: b^K, m, v, the selected b.
enum ArrayRow { kB, kAdamM, kAdamV, kSelectedB, kArrayRows };

}  // namespace

std::string pair_state_file(const RunDirectory& dir, const PathPair& pair) {
  return dir.file(state_name(pair));
}

void keep_pair_state(const RunDirectory& dir, const PathPair& pair, const FourierPathState& s,
                     std::size_t P) {
  const std::size_t nb = s.b.size();
  std::vector<double> arrays(kArrayRows * nb);
  std::copy(s.b.begin(), s.b.end(), arrays.begin() + kB * nb);
  std::copy(s.adam_m.begin(), s.adam_m.end(), arrays.begin() + kAdamM * nb);
  std::copy(s.adam_v.begin(), s.adam_v.end(), arrays.begin() + kAdamV * nb);
  std::copy(s.partial.b.begin(), s.partial.b.end(), arrays.begin() + kSelectedB * nb);
  const std::string arrays_file = arrays_name(pair, s.steps_done);
  write_npy(dir.file(arrays_file), arrays.data(), kArrayRows, int64_t(nb));
  dir.write(state_name(pair), state_text(pair, s, P, nb / P));
  // The arrays of earlier steps: the text no longer names them.
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = e.path().filename().string();
    if (name.rfind(arrays_prefix(pair), 0) == 0 && name != arrays_file) dir.remove(name);
  }
}

std::optional<FourierPathState> kept_pair_state(const RunDirectory& dir, const PathPair& pair, std::size_t P,
                                                const PathParams& params) {
  if (!dir.finished(state_name(pair))) return std::nullopt;
  const StateLines lines(dir.read(state_name(pair)), pair_state_file(dir, pair));
  const std::size_t NF = std::size_t(params.terms), nb = NF * P;
  if (lines.integer("dimension") != (long long)P || lines.integer("terms") != (long long)NF)
    lines.fail("kept for a path of " + lines.text("dimension") + " dimensions and " + lines.text("terms") +
               " terms; this one has " + std::to_string(P) + " and " + std::to_string(NF));
  FourierPathState s;
  s.steps_done = int(lines.integer("steps_done"));
  if (s.steps_done < 1 || s.steps_done > params.steps)
    lines.fail("kept after step " + std::to_string(s.steps_done) + " of a run of " +
               std::to_string(params.steps) + " steps");
  s.best = lines.number("best");
  s.seconds = lines.number("seconds");
  s.cpu_seconds = lines.number("cpu_seconds");
  s.noise = lines.text("noise");
  s.partial.reported_step = int(lines.integer("reported_step"));
  for (const ResultNumber& n : kResultNumbers) s.partial.*n.value = lines.number(n.key);
  for (const ResultSeries& v : kResultSeries) {
    s.partial.*v.values = lines.numbers(v.key);
    if ((s.partial.*v.values).size() != std::size_t(params.points))
      lines.fail("the '" + std::string(v.key) + "' line holds " +
                 std::to_string((s.partial.*v.values).size()) + " points; the path has " +
                 std::to_string(params.points));
  }
  for (const std::string& c : lines.all("checkpoint"))
    s.partial.checkpoints.push_back(read_checkpoint(lines, c));

  const std::string arrays_file = lines.text("arrays");
  if (arrays_file != arrays_name(pair, s.steps_done))
    lines.fail("it names the arrays " + arrays_file + ", not " + arrays_name(pair, s.steps_done));
  if (!dir.finished(arrays_file)) lines.fail(dir.file(arrays_file) + ", which it names, is missing");
  int64_t rows = 0, cols = 0;
  const std::vector<double> arrays = read_npy_double(dir.file(arrays_file), &rows, &cols);
  if (rows != kArrayRows || cols != int64_t(nb))
    lines.fail(arrays_file + " is [" + std::to_string(rows) + ", " + std::to_string(cols) + "], not [" +
               std::to_string(int(kArrayRows)) + ", " + std::to_string(nb) + "]");
  const auto row = [&](ArrayRow r) { return arrays.begin() + std::ptrdiff_t(r * nb); };
  s.b.assign(row(kB), row(kB) + std::ptrdiff_t(nb));  // float64 holds every Scalar exactly
  s.adam_m.assign(row(kAdamM), row(kAdamM) + std::ptrdiff_t(nb));
  s.adam_v.assign(row(kAdamV), row(kAdamV) + std::ptrdiff_t(nb));
  s.partial.b.assign(row(kSelectedB), row(kSelectedB) + std::ptrdiff_t(nb));
  return s;
}

void forget_pair_state(const RunDirectory& dir, const PathPair& pair) {
  dir.remove(state_name(pair));
  // Arrays without a text too: a kill between the two writes of the first keep_pair_state.
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = e.path().filename().string();
    if (name.rfind(arrays_prefix(pair), 0) == 0) dir.remove(name);
  }
}

}  // namespace landscape
