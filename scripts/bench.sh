#!/usr/bin/env bash
# scripts/bench.sh (what `make bench` runs): our timings beside PyTorch's on this machine.
#
# For each thread count, every measurement runs ours (`landscape bench --json`) and then
# PyTorch's (bench/pytorch_reference.py), one after the other, so both see the same machine
# load; a large OpenBLAS sgemm measures the machine's peak at that thread count in the same run.
# The JSON lines go to bench/results/<date>-<host>.jsonl and bench/table.py turns them into the
# table, written to bench/results/<date>-<host>.md with the machine description and the load.
#
# Settings (environment):
#   THREADS="1 2"        thread counts (the 16-core machine: "1 2 4 8 16")
#   IMAGES=60000         training images of the full-batch measurements
#   REPEAT=3             timed repetitions of each measurement (after one warm-up)
#   PATH_IMAGES=60000    images of our path step, timed once (it is 51 full-batch gradients)
#   TORCH_PATH_IMAGES=1000   images of the path step measured on both sides (PyTorch's takes
#                        51 of its full-batch gradients; at 60000 images that is many minutes)
#   TORCH_CHUNK=0        images per PyTorch forward/backward in a full batch (0: all at once,
#                        as the published notebooks; its fastest on this machine)
#   ONLY="fullbatch sgd-step path-step kpca"   which measurements
#   LANDSCAPE_BIN=build/f32/landscape   PYTHON=/usr/bin/python3   OUT_DIR=bench/results
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-"1 2"}
IMAGES=${IMAGES:-60000}
REPEAT=${REPEAT:-3}
PATH_IMAGES=${PATH_IMAGES:-60000}
TORCH_PATH_IMAGES=${TORCH_PATH_IMAGES:-1000}
TORCH_CHUNK=${TORCH_CHUNK:-0}
ONLY=${ONLY:-"fullbatch sgd-step path-step kpca"}
BIN=${LANDSCAPE_BIN:-build/f32/landscape}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT_DIR=${OUT_DIR:-bench/results}
export LANDSCAPE_DATA=${LANDSCAPE_DATA:-data/mnist}

[ -x "$BIN" ] || { echo "bench: $BIN not found (make build)" >&2; exit 1; }
"$BIN" version 2>/dev/null | grep -q float32 || echo "bench: warning: $BIN is not the float32 build" >&2
mkdir -p "$OUT_DIR"
stamp=$(date -u +%Y-%m-%d)
host=$(hostname -s 2>/dev/null || echo host)
jsonl="$OUT_DIR/$stamp-$host.jsonl"
md="$OUT_DIR/$stamp-$host.md"
: > "$jsonl"

wants() { [[ " $ONLY " == *" $1 "* ]]; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# run SIDE ROW_ARGS... : one measurement, its JSON object as one line with side, load and
# the command appended.
run() {
  local side=$1; shift
  local before after out
  before=$(loadavg)
  if [ "$side" = ours ]; then
    out=$("$BIN" bench --json "$@")
  else
    out=$("$PYTHON" bench/pytorch_reference.py "$@")
  fi
  after=$(loadavg)
  "$PYTHON" -c 'import json,sys
d = json.loads(sys.argv[1]); d.update(side=sys.argv[2], load_before=float(sys.argv[3]),
                                      load_after=float(sys.argv[4]), args=sys.argv[5])
print(json.dumps(d))' "$out" "$side" "$before" "$after" "$*" | tee -a "$jsonl" |
    "$PYTHON" -c 'import json,sys
d = json.loads(sys.stdin.read())
print("  %-5s %-9s %-5s %2s threads: median %9.4g s  peak %6.0f MiB  load %.1f" % (d["side"],
      d["what"], d["arch"], d["threads"], d["median_s"], d["peak_rss_mb"], d["load_after"]))'
}

both() { run ours "$@"; run torch "$@"; }

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $host"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (tree modified)')"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(lscpu | sed -n 's/^L2 cache: *//p' | head -1) L2, $(lscpu | sed -n 's/^L3 cache: *//p' | head -1) L3"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -r)"
  echo "compiler: $(c++ --version | head -1)"
  echo "pytorch: $("$PYTHON" -c 'import torch; print(torch.__version__, torch.__config__.parallel_info().splitlines()[-1].strip())' 2>/dev/null)"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT_DIR/.machine"
cat "$OUT_DIR/.machine"

for T in $THREADS; do
  echo "== $T threads"
  run ours --what sgemm --size 4096 --threads "$T" --repeat "$REPEAT"
  if wants fullbatch; then
    for a in fcp ae lenet lstm; do
      run ours --what fullbatch --arch $a --images "$IMAGES" --threads "$T" --repeat "$REPEAT" \
        --save-grad "$OUT_DIR/.grad-$a-$T.npy"
      run torch --what fullbatch --arch $a --images "$IMAGES" --threads "$T" --repeat "$REPEAT" \
        --chunk "$TORCH_CHUNK"
    done
  fi
  if wants sgd-step; then
    for a in fcp ae lenet lstm; do
      both --what sgd-step --arch $a --batch 64 --threads "$T" --repeat "$REPEAT"
    done
  fi
  if wants path-step; then
    run ours --what path-step --arch lstm --images "$PATH_IMAGES" --points 51 --threads "$T" \
      --repeat 1 --warmup 0
    if ! wants fullbatch || [ "$PATH_IMAGES" != "$IMAGES" ]; then  # its 51 full batches
      run ours --what fullbatch --arch lstm --images "$PATH_IMAGES" --threads "$T" --repeat "$REPEAT"
    fi
    both --what path-step --arch lstm --images "$TORCH_PATH_IMAGES" --points 51 --threads "$T" \
      --repeat 1 --warmup 0
  fi
  if wants kpca; then
    both --what kpca --arch lenet --sets 96 --threads "$T" --repeat "$REPEAT"
  fi
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT_DIR/.machine"

# Thread counts change only the order of the sums: the largest gradient difference between
# each thread count and the first, relative to the largest gradient component.
if wants fullbatch; then
  first=${THREADS%% *}
  for a in fcp ae lenet lstm; do
    for T in $THREADS; do
      "$PYTHON" -c 'import json, sys, numpy as np
a, b = np.load(sys.argv[1]).astype(np.float64), np.load(sys.argv[2]).astype(np.float64)
print(json.dumps({"side": "check", "what": "grad-threads", "arch": sys.argv[3],
                  "threads": int(sys.argv[4]), "vs_threads": int(sys.argv[5]),
                  "max_rel_diff": float(np.abs(b - a).max() / np.abs(a).max())}))' \
        "$OUT_DIR/.grad-$a-$first.npy" "$OUT_DIR/.grad-$a-$T.npy" $a $T $first >> "$jsonl"
    done
  done
  rm -f "$OUT_DIR"/.grad-*.npy
fi

"$PYTHON" bench/table.py "$jsonl" "$OUT_DIR/.machine" > "$md"
rm -f "$OUT_DIR/.machine"
cat "$md"
echo "bench: wrote $md and $jsonl"
