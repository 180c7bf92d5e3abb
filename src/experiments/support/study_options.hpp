// What `landscape reproduce` hands to a study: the preset, the output directory, the stage and
// the shard. The paper's study (paper/study.hpp) and the related studies
// (related/related_study.hpp) both take it, so it lives below both and neither includes the other.
#pragma once

#include <string>

#include "core/parameter_table.hpp"
#include "experiments/support/preset.hpp"
#include "io/data_directory.hpp"

namespace landscape {

enum class Stage { All, Train, Paths, Analysis, Report };
inline constexpr EnumName<Stage> kStageNames[] = {{Stage::All, "all"},
                                                  {Stage::Train, "train"},
                                                  {Stage::Paths, "paths"},
                                                  {Stage::Analysis, "analysis"},
                                                  {Stage::Report, "report"}};
inline std::string to_string(Stage s) { return enum_name(kStageNames, s); }

// Flags of `landscape reproduce` besides the preset and the shard: table() below.
struct StudyOptions {
  Preset preset;
  std::string preset_text;  // written to OUT/preset.conf
  std::string out = "out/study";
  Stage stage = Stage::All;
  int shard_index = 0, shard_count = 1;
  std::string data_dir;
  std::string command_line;
  static const ParameterTable<StudyOptions>& table();
};

inline const ParameterTable<StudyOptions>& StudyOptions::table() {
  using P = StudyOptions;
  // clang-format off
  static const auto t = ParameterTable<P>()
      .field("out", &P::out, "output directory")
      .field("stage", &P::stage, "all | train | paths | analysis | report", kStageNames)
      .field("data", &P::data_dir, kDataDirHelp);
  // clang-format on
  return t;
}

}  // namespace landscape
