// How an output was made: every manifest starts with these fields (version, precision,
// threads, BLAS, the command line, the time), so a result file can be traced to its run.
#pragma once

#include <string>

#include "io/json_writer.hpp"

namespace landscape {

JsonObject provenance(const std::string& command_line);
std::string utc_timestamp();  // "2026-11-25T12:34:56Z"

}  // namespace landscape
