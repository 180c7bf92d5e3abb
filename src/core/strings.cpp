#include "core/strings.hpp"

#include <sstream>

namespace landscape {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) out.push_back(item);
  if (text.back() == ',') out.push_back("");
  return out;
}

}  // namespace landscape
