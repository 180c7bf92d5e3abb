#include "experiments/support/step_trace.hpp"

#include <cmath>
#include <cstdio>

#include "core/error.hpp"

namespace landscape {

void TraceParams::check() const {
  table().check(*this);
  if (states && !trace) throw UsageError("--trace-states needs --trace");
  if (every != 1 && !states) throw UsageError("--trace-every K belongs to --trace-states");
}

StepTrace::StepTrace(std::vector<std::string> numbers, std::vector<std::string> integers)
    : numbers_(numbers.size()), integers_(integers.size()), header_("step") {
  for (const std::string& c : numbers) header_ += "," + c;
  for (const std::string& c : integers) header_ += "," + c;
  header_ += "\n";
}

void StepTrace::add(long step, const std::vector<double>& numbers,
                    const std::vector<std::uint64_t>& integers) {
  if (numbers.size() != numbers_ || integers.size() != integers_)
    throw Error("step trace: a row of " + std::to_string(numbers.size()) + " + " +
                std::to_string(integers.size()) + " values for " + std::to_string(numbers_) + " + " +
                std::to_string(integers_) + " columns");
  std::string line = std::to_string(step);
  char cell[40];
  for (double v : numbers) {
    if (std::isnan(v)) {  // one spelling, whatever the sign bit (printf may write -nan)
      line += ",nan";
      continue;
    }
    std::snprintf(cell, sizeof cell, ",%.17g", v);
    line += cell;
  }
  for (std::uint64_t v : integers) line += "," + std::to_string(v);
  lines_.push_back(line + "\n");
}

std::string StepTrace::text() const {
  std::string out = header_;
  for (const std::string& line : lines_) out += line;
  return out;
}

std::string TraceStates::steps_csv() const {
  std::string out = "row,step\n";
  for (std::size_t r = 0; r < steps.size(); ++r)
    out += std::to_string(r) + "," + std::to_string(steps[r]) + "\n";
  return out;
}

}  // namespace landscape
