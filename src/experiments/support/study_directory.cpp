#include "experiments/support/study_directory.hpp"

#include <map>
#include <vector>

#include "core/error.hpp"
#include "io/data_directory.hpp"

namespace landscape {

namespace {
// The preset's counts left at 0 ("all of the split") as the data's own.
StudyOptions with_data_counts(const StudyOptions& given) {
  StudyOptions o = given;
  std::map<Split, int> sizes;
  auto size_of = [&](Split s) {
    if (!sizes.count(s)) sizes[s] = load_dataset(resolve_data_dir(o.data_dir), s, -1).size();
    return sizes[s];
  };
  std::vector<StudyPlan*> plans{&o.preset.defaults};
  for (auto& [arch, plan] : o.preset.per_arch) plans.push_back(&plan);
  for (StudyPlan* p : plans) {
    if (p->train_images == 0) p->train_images = size_of(Split::Train);
    if (p->path_images == 0) p->path_images = size_of(Split::Train);
    if (p->test_images == 0) p->test_images = size_of(Split::Test);
  }
  return o;
}
}  // namespace

void run_in_study_directory(const StudyOptions& given, const StudyStages& stages) {
  const StudyOptions o = with_data_counts(given);
  const Stage st = o.stage;
  if (o.shard_count > 1 && (st == Stage::All || st == Stage::Analysis || st == Stage::Report))
    throw UsageError("--shard splits the train and paths stages; give --stage train or paths");
  // Shards of a stage run side by side in OUT, each with its own lock.
  const RunDirectory out(o.out, o.shard_index, o.shard_count);
  out.require_settings(o.preset_text, OnOtherSettings::Refuse, {}, "preset.conf");
  stages(o, out);
}

}  // namespace landscape
