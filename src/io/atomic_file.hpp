// Writes that never leave a half-written file behind: the content goes to a temporary file in
// the same directory, is flushed to disk, and is renamed over the target in one step. A failure
// (disk full, no permission) is an Error naming the target, and the old file stays intact.
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace landscape {

void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write);
void write_text_atomic(const std::string& path, const std::string& text);
void make_directories(const std::string& path);  // mkdir -p, Error when impossible

// Removes the temporary files (".NAME.XXXXXX") that writes cut off by a kill left in dir (not
// recursive). Call it only where no other process may be writing into dir at the same time.
void remove_stale_temporaries(const std::string& dir);

}  // namespace landscape
