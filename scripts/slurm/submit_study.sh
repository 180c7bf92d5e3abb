#!/usr/bin/env bash
# submit_study.sh: submits the whole study (`landscape reproduce`, src/experiments/paper/study.hpp) to
# Slurm as a chain of jobs, each starting only when the one before it succeeded (afterok):
#
#   train array (N tasks) -> collect -> paths array (N tasks) -> collect -> analysis -> report
#
# usage: scripts/slurm/submit_study.sh --out DIR [--preset NAME|FILE] [--shards N] [--threads T]
#            [--landscape PATH] [--data DIR] [--logs DIR] [-- SBATCH_OPTION...]
#
#   --out DIR         the study directory, on a file system every node sees   ($LANDSCAPE_OUT)
#   --preset P        quick | paper | mini, or a preset file (default quick)   ($LANDSCAPE_PRESET)
#   --shards N        array tasks per sharded stage (default 4)                ($LANDSCAPE_SHARDS)
#   --threads T       --cpus-per-task of every task, = OMP_NUM_THREADS (default 1)
#                                                                              ($LANDSCAPE_THREADS)
#   --landscape PATH  the binary (default: landscape on PATH, else build/f32/landscape)
#                                                                              ($LANDSCAPE_BIN)
#   --data DIR        MNIST directory (default data/mnist under the current directory)
#                                                                              ($LANDSCAPE_DATA)
#   --logs DIR        the jobs' output files (default OUT/slurm-logs)           ($LANDSCAPE_LOGS)
#   -- ...            passed to every sbatch: --partition=..., --account=..., --time=..., --mem=...
#                     (sbatch also reads SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...)
#
# Prints one line per job: its name and id. Everything is resumable: after a failure, cancel
# the jobs left waiting (scancel), fix the cause and run the same command again; finished runs
# and pairs are skipped (README.md).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

preset=${LANDSCAPE_PRESET:-quick}
out=${LANDSCAPE_OUT:-}
shards=${LANDSCAPE_SHARDS:-4}
threads=${LANDSCAPE_THREADS:-1}
bin=${LANDSCAPE_BIN:-$(command -v landscape || echo "$root/build/f32/landscape")}
data=${LANDSCAPE_DATA:-}
logs=${LANDSCAPE_LOGS:-}
extra=()

usage() { sed -n '7,22p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
need() { [ $# -ge 2 ] || { echo "submit_study: $1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out) need "$@"; out=$2; shift 2 ;;
    --preset) need "$@"; preset=$2; shift 2 ;;
    --shards) need "$@"; shards=$2; shift 2 ;;
    --threads) need "$@"; threads=$2; shift 2 ;;
    --landscape) need "$@"; bin=$2; shift 2 ;;
    --data) need "$@"; data=$2; shift 2 ;;
    --logs) need "$@"; logs=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage 0 ;;
    *) echo "submit_study: unknown argument '$1'" >&2; usage ;;
  esac
done

fail() { echo "submit_study: $*" >&2; exit 2; }
[ -n "$out" ] || fail "give the study directory: --out DIR"
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || fail "--shards must be a positive integer, got '$shards'"
[[ "$threads" =~ ^[1-9][0-9]*$ ]] || fail "--threads must be a positive integer, got '$threads'"
[ -x "$bin" ] || fail "no landscape binary at '$bin' (build it with make build, or give --landscape)"
command -v sbatch >/dev/null || fail "sbatch not found: run this on a Slurm login node"

# The jobs may start in another directory on another node: every path absolute. A preset given
# by name (no '/' or '.') is found by the binary in its source tree's presets/.
out=$(realpath -m "$out")
bin=$(realpath "$bin")
[ -n "$logs" ] || logs=$out/slurm-logs
logs=$(realpath -m "$logs")
[[ "$preset" == */* || "$preset" == *.* ]] && preset=$(realpath "$preset")
[ -z "$data" ] && [ -d data/mnist ] && data=data/mnist
mkdir -p "$logs"

# The job scripts read these; sbatch exports the submitting environment (--export=ALL).
export LANDSCAPE_BIN=$bin LANDSCAPE_PRESET=$preset LANDSCAPE_OUT=$out LANDSCAPE_SHARDS=$shards
if [ -n "$data" ]; then LANDSCAPE_DATA=$(realpath "$data") && export LANDSCAPE_DATA; else unset LANDSCAPE_DATA; fi

# submit NAME DEPENDENCY SBATCH_ARGS... -> prints the job id (--parsable: "id" or "id;cluster").
submit() {
  local name=$1 after=$2
  shift 2
  local dep=()
  [ -n "$after" ] && dep=(--dependency="afterok:$after")
  sbatch --parsable --job-name="landscape-$name" "${dep[@]}" "${extra[@]}" "$@" | cut -d';' -f1
}
array=(--array="0-$((shards - 1))" --cpus-per-task="$threads")

train=$(submit train "" "${array[@]}" --output="$logs/train-%A_%a.out" "$here/reproduce_shard.sbatch" train)
collect_train=$(submit collect-train "$train" --cpus-per-task=1 --output="$logs/collect-train-%j.out" "$here/collect.sbatch")
paths=$(submit paths "$collect_train" "${array[@]}" --output="$logs/paths-%A_%a.out" "$here/reproduce_shard.sbatch" paths)
collect_paths=$(submit collect-paths "$paths" --cpus-per-task=1 --output="$logs/collect-paths-%j.out" "$here/collect.sbatch")
analysis=$(submit analysis "$collect_paths" --cpus-per-task="$threads" --output="$logs/analysis-%j.out" "$here/reproduce_stage.sbatch" analysis)
report=$(submit report "$analysis" --cpus-per-task="$threads" --output="$logs/report-%j.out" "$here/reproduce_stage.sbatch" report)

cat <<EOF
train          $train  ($shards tasks, --cpus-per-task=$threads)
collect-train  $collect_train
paths          $paths  ($shards tasks)
collect-paths  $collect_paths
analysis       $analysis
report         $report
EOF
echo "study: $out   logs: $logs   watch: squeue -u ${USER:-$(id -un)}" >&2
