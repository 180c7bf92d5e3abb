// Every subcommand of `landscape`: one function per command, each in cmd_<name>.cpp.
// argv[1] is the command's name; its flags start at argv[2].
#pragma once

namespace landscape {

int cmd_version(int argc, char** argv);
int cmd_describe(int argc, char** argv);
int cmd_fig3(int argc, char** argv);
int cmd_path(int argc, char** argv);
int cmd_compare_paths(int argc, char** argv);
int cmd_compare_trace(int argc, char** argv);
int cmd_align(int argc, char** argv);
int cmd_connectivity(int argc, char** argv);
int cmd_kpca(int argc, char** argv);
int cmd_stats(int argc, char** argv);
int cmd_data(int argc, char** argv);
int cmd_eval(int argc, char** argv);
int cmd_train(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_reproduce(int argc, char** argv);
int cmd_collect(int argc, char** argv);
int cmd_walk(int argc, char** argv);
int cmd_surface(int argc, char** argv);
int cmd_spread(int argc, char** argv);
int cmd_hessian(int argc, char** argv);
int cmd_sharpness(int argc, char** argv);

}  // namespace landscape
