// Small text helpers shared by flags, presets and file readers.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace landscape {

// "a,b,c" -> {"a","b","c"}; "" -> {}; a trailing comma gives a trailing empty item.
std::vector<std::string> split_commas(const std::string& text);

// `text` read by std::stoll (leading white space and a sign allowed) when all of it is one
// integer; nothing when it is empty, has anything after the number, or is out of range.
std::optional<long long> whole_integer(const std::string& text);

// A number as text for the files the project writes (CSV, gnuplot data and scripts, settings),
// printf-formatted; the default's 17 significant digits read back to the same bits. Every NaN
// is written "nan" (printf may write "-nan").
std::string number_text(double value, const char* format = "%.17g");

}  // namespace landscape
