// What every study that `landscape reproduce` runs from a preset does first, whichever study it
// is (the paper's, paper/study.hpp; the related ones, related/related_study.hpp), so that the
// command, not either study, chooses between them and neither includes the other.
#pragma once

#include <functional>

#include "experiments/support/study_options.hpp"
#include "io/run_directory.hpp"

namespace landscape {

// A study's own steps, given the options with the data's counts resolved and OUT held.
using StudyStages = std::function<void(const StudyOptions&, const RunDirectory& out)>;

// The preset's counts left at 0 ("all of the split") become the data's own, so that the
// settings of every stage and the report's tables name the count used, as an explicit N would;
// --shard is refused beside the stages it does not split; OUT is held (one lock per shard) and
// its preset.conf must match (a study's results are never thrown away for another preset);
// then `stages` run.
void run_in_study_directory(const StudyOptions& given, const StudyStages& stages);

}  // namespace landscape
