// landscape reproduce: the paper's protocol end to end, with the report (study.hpp).
#include <cstdio>
#include <filesystem>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/common_flags.hpp"
#include "cli/shard.hpp"
#include "core/error.hpp"
#include "experiments/paper/study.hpp"
#include "experiments/related/related_study.hpp"
#include "experiments/support/study_directory.hpp"
#include "io/data_directory.hpp"
#include "io/whole_file.hpp"

namespace landscape {

int cmd_reproduce(int argc, char** argv) {
  Args args("reproduce",
            "Runs the paper's study for each model: SGD and L-BFGS-GSS ensembles, barrier\n"
            "heights within the four weight sets, statistics, kernel PCA, and the report in\n"
            "OUT/report/ (index.html, report.md). Presets live in presets/ (quick, paper, mini;\n"
            "related runs the related studies instead: walk, spread, surface, hessian).\n"
            "Rerunning the same command continues where it stopped. For a cluster: run the\n"
            "train stage with --shard i/n in every shard, `landscape collect OUT`, then the paths\n"
            "stage likewise, `landscape collect OUT`, then --stage analysis and --stage report.");
  args.flag("preset", "quick", "quick | paper | mini | related, or a preset file")
      .flag("config", "", "a preset file of your own (overrides --preset)")
      .flag("archs", "", "only these models, e.g. fcp,lstm (default: the preset's)")
      .declare(StudyOptions::table())
      .flag("shard", "", "i/n: this process does runs / pairs k with k % n == i");
  if (!parse_with_threads(args, argc, argv)) return 0;

  StudyOptions o = args.read(StudyOptions::table());
  const std::string path = args.given("config") ? args.str("config") : preset_path(args.str("preset"));
  if (!std::filesystem::exists(path)) throw Error("cannot read preset " + path);
  o.preset_text = read_whole_file(path);
  if (args.given("archs"))
    o.preset_text += "\n# --archs on the command line\narchs = " + args.str("archs") + "\n";
  o.preset = parse_preset(path, o.preset_text);
  if (o.data_dir.empty()) o.data_dir = o.preset.data_dir;  // --data, else the preset's data key
  const Shard shard = parse_shard(args.str("shard"));
  o.shard_index = shard.index;
  o.shard_count = shard.count;
  o.command_line = args.command_line();
  // presets/related.conf and its kind run the related studies, every other preset the paper's.
  run_in_study_directory(
      o, o.preset.is_related() ? StudyStages(run_related_study) : StudyStages(run_paper_study));
  if (o.stage == Stage::All || o.stage == Stage::Report)
    std::fprintf(stderr, "reproduce: report in %s/report/index.html and report.md\n", o.out.c_str());
  return 0;
}

int cmd_collect(int argc, char** argv) {
  Args args("collect",
            "Merges the shards of `reproduce --shard i/n` in OUT: ensembles' runs.csv and weight\n"
            "stacks, path tables in pair order. Run it after every sharded stage.");
  args.flag("data", "", kDataDirHelp);
  std::vector<std::string> tokens;
  std::string out;
  for (int i = 2; i < argc; ++i) {
    const std::string t = argv[i];
    if (out.empty() && t.rfind("--", 0) != 0 && (i == 2 || std::string(argv[i - 1]) != "--data"))
      out = t;
    else
      tokens.push_back(t);
  }
  if (!args.parse(tokens)) return 0;
  if (out.empty()) throw UsageError("collect: give the study directory: landscape collect OUT");
  collect_study(out, args.str("data"));
  std::fprintf(stderr, "collect: merged the shards in %s\n", out.c_str());
  return 0;
}

}  // namespace landscape
