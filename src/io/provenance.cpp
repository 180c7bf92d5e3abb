#include "io/provenance.hpp"

#include <ctime>

#include "core/blas.hpp"
#include "core/parallel.hpp"
#include "core/scalar.hpp"

namespace landscape {

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

JsonObject provenance(const std::string& command_line) {
  JsonObject o;
  o.add("command", command_line)
      .add("version", LANDSCAPE_VERSION)
      .add("precision", kPrecisionName)
      .add("threads", num_threads())
      .add("blas", blas::library_description())
      .add("started_utc", utc_timestamp());
  return o;
}

}  // namespace landscape
