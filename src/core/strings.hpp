// Small text helpers shared by flags, presets and file readers.
#pragma once

#include <string>
#include <vector>

namespace landscape {

// "a,b,c" -> {"a","b","c"}; "" -> {}; a trailing comma gives a trailing empty item.
std::vector<std::string> split_commas(const std::string& text);

}  // namespace landscape
