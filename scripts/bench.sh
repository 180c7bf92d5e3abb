#!/usr/bin/env bash
# scripts/bench.sh (what `make bench` runs): our timings beside PyTorch's on this machine, in
# interleaved pairs (bench/README.md, "Why interleaved pairs").
#
# Every figure is REPEAT pairs of measurements A B A B A B, each measurement a process of its
# own: A ours (`landscape bench --json`), B PyTorch (bench/pytorch_reference.py) or, for the
# ours-vs-ours figures, B our single-evaluation workload whose time times the point count is
# what A replaces (path step vs 51 full batches, 51x51 surface vs 2601 forward passes). Each
# pair gives one ratio; bench/table.py reports their median and range. A 4096^3 OpenBLAS sgemm
# gives the machine's peak at each thread count.
# The JSON lines (the first one describes the machine) go to bench/results/<kind>.jsonl and
# the table to bench/results/<kind>.md, one pair of files per machine kind (bench/README.md,
# "Machine kinds"), replaced by the newest full run; a run narrowed by ONLY, ARCHS or IMAGES
# writes <kind>-partial.* instead (not kept in git).
#
# Settings (environment):
#   THREADS="1 2"        thread counts (the 16-core machine: "1 2 4 8 16")
#   REPEAT=3             pairs per figure (3 at least: one pair decides nothing)
#   IMAGES=60000         training images of the ours-vs-PyTorch full-batch figures
#   PATH_IMAGES=10000    images of the figure "path step / 51 full batches"
#   SURFACE_IMAGES=1000  images of the figure "surface 51x51 / 2601 forward passes"
#   TORCH_PATH_IMAGES=1000   images of the LSTM path step measured on both sides (PyTorch's
#                        takes 51 of its full-batch gradients)
#   TORCH_CHUNK=0        images per PyTorch forward/backward in a full batch (0: all at once,
#                        as the published notebooks; its fastest on the AMD machine)
#   ONLY="fullbatch sgd-step path-step path-step-torch surface kpca"   which figures
#   ARCHS="fcp ae lenet lstm"   which models
#   MACHINE_KIND=...     the results file's name (default: derived from lscpu, machine_kind)
#   COMMIT=...           the commit to report (default: git's; bench/scaling_on_device.sh runs
#                        a carried binary in a tree without git)
#   LANDSCAPE_BIN=build/f32/landscape   PYTHON=/usr/bin/python3   OUT_DIR=bench/results
set -euo pipefail
cd "$(dirname "$0")/.."

DEFAULT_ONLY="fullbatch sgd-step path-step path-step-torch surface kpca"
DEFAULT_ARCHS="fcp ae lenet lstm"
THREADS=${THREADS:-"1 2"}
REPEAT=${REPEAT:-3}
IMAGES=${IMAGES:-60000}
PATH_IMAGES=${PATH_IMAGES:-10000}
SURFACE_IMAGES=${SURFACE_IMAGES:-1000}
TORCH_PATH_IMAGES=${TORCH_PATH_IMAGES:-1000}
TORCH_CHUNK=${TORCH_CHUNK:-0}
ONLY=${ONLY:-$DEFAULT_ONLY}
ARCHS=${ARCHS:-$DEFAULT_ARCHS}
BIN=${LANDSCAPE_BIN:-build/f32/landscape}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT_DIR=${OUT_DIR:-bench/results}
export LANDSCAPE_DATA=${LANDSCAPE_DATA:-data/mnist}
export LC_ALL=C  # lscpu's field names

[ -x "$BIN" ] || { echo "bench: $BIN not found (make build)" >&2; exit 1; }
[ "$REPEAT" -ge 3 ] 2>/dev/null || { echo "bench: REPEAT must be 3 or more pairs, got '$REPEAT'" >&2; exit 2; }
"$BIN" version 2>/dev/null | grep -q float32 || echo "bench: warning: $BIN is not the float32 build" >&2

wants() { [[ " $ONLY " == *" $1 "* ]]; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
lscpu_field() { lscpu | sed -n "s/^$1: *//p" | head -1; }

# vendor-family-widest vector ISA, e.g. intel-xeon-avx512, amd-epyc-avx512: the machines
# whose timings may be compared (bench/README.md, "Machine kinds").
machine_kind() {
  local vendor family isa model flags
  model=$(lscpu_field "Model name")
  flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
  case "$(lscpu_field "Vendor ID")" in
    GenuineIntel) vendor=intel ;;
    AuthenticAMD) vendor=amd ;;
    *) vendor=$(lscpu_field "Vendor ID" | tr '[:upper:]' '[:lower:]' | tr -cd '[:alnum:]') ;;
  esac
  case "$model" in
    *Xeon*) family=xeon ;; *EPYC*) family=epyc ;; *Ryzen*) family=ryzen ;;
    *Core*) family=core ;; *) family=cpu ;;
  esac
  if [[ "$flags" == *" avx512f "* ]]; then isa=avx512
  elif [[ "$flags" == *" avx2 "* ]]; then isa=avx2
  else isa=$(uname -m); fi
  echo "${vendor:-unknown}-$family-$isa"
}

kind=${MACHINE_KIND:-$(machine_kind)}
name=$kind
if [ "$ONLY" != "$DEFAULT_ONLY" ] || [ "$ARCHS" != "$DEFAULT_ARCHS" ] || [ "$IMAGES" != 60000 ]; then
  name=$kind-partial
fi
mkdir -p "$OUT_DIR"
jsonl="$OUT_DIR/$name.jsonl"
md="$OUT_DIR/$name.md"
work="$OUT_DIR/.$name.jsonl.part"  # renamed into place at the end: a stopped run keeps the old file
: > "$work"

# The machine, as the first JSON line (bench/table.py prints it as the header).
describe_machine() {
  "$PYTHON" - "$@" <<'EOF'
import json, sys
fields = dict(arg.split("=", 1) for arg in sys.argv[1:])
print(json.dumps(dict(side="machine", **fields)))
EOF
}
describe_machine \
  "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "machine kind=$kind" \
  "host=$(hostname -s 2>/dev/null || echo host)" \
  "commit=${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (tree modified)')}" \
  "cpu=$(lscpu_field "Model name") ($(lscpu_field "Vendor ID"), family $(lscpu_field "CPU family") model $(lscpu_field "Model"))" \
  "cores=$(nproc)" \
  "caches=L1d $(lscpu_field "L1d cache"), L2 $(lscpu_field "L2 cache"), L3 $(lscpu_field "L3 cache")" \
  "memory=$(free -g | awk '/^Mem:/ {print $2}') GiB" \
  "kernel=$(uname -r)" \
  "compiler=$(c++ --version | head -1)" \
  "ours blas=$("$BIN" version | sed -n 's/^blas: *//p')" \
  "pytorch=$("$PYTHON" bench/pytorch_reference.py --describe 2>/dev/null || echo '{}')" \
  "settings=THREADS='$THREADS' REPEAT=$REPEAT IMAGES=$IMAGES PATH_IMAGES=$PATH_IMAGES SURFACE_IMAGES=$SURFACE_IMAGES TORCH_PATH_IMAGES=$TORCH_PATH_IMAGES TORCH_CHUNK=$TORCH_CHUNK ONLY='$ONLY' ARCHS='$ARCHS'" \
  "load at start=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$work"
tail -1 "$work"

# measure FIGURE PAIR ROLE SIDE ARGS...: one measurement in a process of its own; its JSON
# object as one line, with the figure, the pair, the role (A or B), the side and the 1-minute
# load before and after the process.
measure() {
  local figure=$1 pair=$2 role=$3 side=$4; shift 4
  local before after out
  before=$(loadavg)
  if [ "$side" = ours ]; then
    out=$("$BIN" bench --json "$@")
  else
    out=$("$PYTHON" bench/pytorch_reference.py "$@")
  fi
  after=$(loadavg)
  "$PYTHON" -c 'import json, sys
d = json.loads(sys.argv[1])
d.update(figure=sys.argv[2], pair=int(sys.argv[3]), role=sys.argv[4], side=sys.argv[5],
         load_before=float(sys.argv[6]), load_after=float(sys.argv[7]), args=sys.argv[8])
print(json.dumps(d))' "$out" "$figure" "$pair" "$role" "$side" "$before" "$after" "$*" |
    tee -a "$work" |
    "$PYTHON" -c 'import json, sys
d = json.loads(sys.stdin.read())
print("  %-15s %-5s pair %d %s %-5s %-9s %2d threads: %9.4g s  load %.1f -> %.1f" % (
      d["figure"], d["arch"], d["pair"], d["role"], d["side"], d["what"], d["threads"],
      d["median_s"], d["load_before"], d["load_after"]))'
}

# pairs FIGURE SIDE_B "A ARGS" "B ARGS": REPEAT pairs, A (ours) then B, alternating; the first
# pair's A may carry extra arguments (FIRST_A_EXTRA, e.g. --save-grad).
pairs() {
  local figure=$1 side_b=$2 a_args=$3 b_args=$4 k extra
  for ((k = 1; k <= REPEAT; k++)); do
    extra=""
    [ "$k" -eq 1 ] && extra=${FIRST_A_EXTRA:-}
    # shellcheck disable=SC2086  # the argument strings hold flags and plain values only
    measure "$figure" "$k" A ours $a_args $extra
    # shellcheck disable=SC2086
    measure "$figure" "$k" B "$side_b" $b_args
  done
}

# Timed calls inside one measurement: 1 where one call takes seconds (its noise is what the
# pairs are for), 5 where it takes milliseconds and a scheduler slice would decide it.
calls() { case "$1" in lenet | lstm) echo 1 ;; *) echo 5 ;; esac; }

for T in $THREADS; do
  echo "== $T threads"
  measure sgemm 1 A ours --what sgemm --size 4096 --threads "$T" --repeat 3
  if wants fullbatch; then
    for a in $ARCHS; do
      FIRST_A_EXTRA="--save-grad $OUT_DIR/.grad-$a-$T.npy" pairs fullbatch torch \
        "--what fullbatch --arch $a --images $IMAGES --threads $T --repeat $(calls "$a")" \
        "--what fullbatch --arch $a --images $IMAGES --threads $T --repeat $(calls "$a") --chunk $TORCH_CHUNK"
    done
  fi
  if wants sgd-step; then
    for a in $ARCHS; do
      args="--what sgd-step --arch $a --batch 64 --threads $T --repeat 3"
      pairs sgd-step torch "$args" "$args"
    done
  fi
  if wants path-step; then  # ours vs ours: one step of 51 points vs 51 x one full batch
    for a in $ARCHS; do
      pairs path-step ours \
        "--what path-step --arch $a --images $PATH_IMAGES --points 51 --threads $T --repeat 1 --warmup 0" \
        "--what fullbatch --arch $a --images $PATH_IMAGES --threads $T --repeat 3"
    done
  fi
  if wants path-step-torch && [[ " $ARCHS " == *" lstm "* ]]; then
    args="--what path-step --arch lstm --images $TORCH_PATH_IMAGES --points 51 --threads $T --repeat 1 --warmup 0"
    pairs path-step-torch torch "$args" "$args"
  fi
  if wants surface; then  # ours vs ours: a 51x51 grid vs 2601 x one forward pass
    for a in $ARCHS; do
      pairs surface ours \
        "--what surface --arch $a --images $SURFACE_IMAGES --points 51 --threads $T --repeat 1 --warmup 0" \
        "--what forward --arch $a --images $SURFACE_IMAGES --threads $T --repeat 5"
    done
  fi
  if wants kpca && [[ " $ARCHS " == *" lenet "* ]]; then
    args="--what kpca --arch lenet --sets 96 --threads $T --repeat 3"
    pairs kpca torch "$args" "$args"
  fi
done
describe_machine "load at end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$work"

# Thread counts change only the order of the sums: the largest gradient difference between
# each thread count and the first, relative to the largest gradient component (first pairs).
if wants fullbatch; then
  first=${THREADS%% *}
  for a in $ARCHS; do
    for T in $THREADS; do
      "$PYTHON" -c 'import json, sys, numpy as np
a, b = np.load(sys.argv[1]).astype(np.float64), np.load(sys.argv[2]).astype(np.float64)
print(json.dumps({"side": "check", "what": "grad-threads", "arch": sys.argv[3],
                  "threads": int(sys.argv[4]), "vs_threads": int(sys.argv[5]),
                  "max_rel_diff": float(np.abs(b - a).max() / np.abs(a).max())}))' \
        "$OUT_DIR/.grad-$a-$first.npy" "$OUT_DIR/.grad-$a-$T.npy" "$a" "$T" "$first" >> "$work"
    done
  done
  rm -f "$OUT_DIR"/.grad-*.npy
fi

"$PYTHON" bench/table.py "$work" > "$md.part"
mv "$work" "$jsonl"
mv "$md.part" "$md"
cat "$md"
echo "bench: wrote $md and $jsonl"
