#!/usr/bin/env bash
# bench/stochastic_paths.sh: stochastic path steps (`landscape path --batch B`, beyond the paper;
# docs/algorithms.md §5.7) against the paper's full-batch FourierPathFinder, as H against wall
# time. For each batch size the same pairs run once with --checkpoints, so one run gives H at
# every judged iterate (H_reported: what a run stopped there would report) with its time.
#
#   full batch   --steps STEPS (the paper's 100): every iterate judged, as always
#   B in BATCHES --steps FRACTION * STEPS * IMAGES / B (FRACTION of the full batch's
#                loss+gradient images: 51 points x B images a step), judged on the full
#                landscape every steps/EVALS steps (--eval-every) and at the end
#
# Then bench/stochastic_table.py writes RESULTS.md (method, batch, steps, wall s, cpu s, H,
# H / full-batch H at STEPS, and when each run first reached that H) and RESULTS.png (gnuplot:
# H against wall time). Each run is a resumable path run under OUT/: rerun to continue.
#
# Settings (environment), the defaults measure what fits a shared 2-core machine in hours:
#   IMAGES=10000  PAIRS=0-1,2-3  BATCHES="500 2000 8000"  STEPS=100  FRACTION=0.5  EVALS=16
#   THREADS=2  LANDSCAPE_BIN=build/f32/landscape  OUT=out/stochastic-paths
#   WEIGHTS=../shared/weights/LSTM_BFGS_Training_best48_weights.npy (the published LSTM weights)
#   RESULTS=bench/results/stochastic-paths  NICE=10
# The full training set (README, "Stochastic path steps"): IMAGES=60000 FRACTION=1.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGES=${IMAGES:-10000}
PAIRS=${PAIRS:-0-1,2-3}
BATCHES=${BATCHES:-"500 2000 8000"}
STEPS=${STEPS:-100}
FRACTION=${FRACTION:-0.5}
EVALS=${EVALS:-16}
THREADS=${THREADS:-2}
BIN=${LANDSCAPE_BIN:-build/f32/landscape}
OUT=${OUT:-out/stochastic-paths}
WEIGHTS=${WEIGHTS:-../shared/weights/LSTM_BFGS_Training_best48_weights.npy}
RESULTS=${RESULTS:-bench/results/stochastic-paths}
NICE=${NICE:-10}
export LANDSCAPE_DATA=${LANDSCAPE_DATA:-data/mnist}

[ -x "$BIN" ] || { echo "stochastic_paths: $BIN not found (make build)" >&2; exit 1; }
[ -f "$WEIGHTS" ] || { echo "stochastic_paths: no $WEIGHTS (set WEIGHTS)" >&2; exit 1; }
mkdir -p "$OUT"

# run NAME FLAGS...: one path run over PAIRS into OUT/NAME, with its load averages and flags
run() {
  local name=$1
  shift
  echo "stochastic_paths: $name: $*" >&2
  echo "$(cut -d' ' -f1 /proc/loadavg)" > "$OUT/$name.load-start"
  nice -n "$NICE" "$BIN" path --arch lstm --weights "$WEIGHTS" --pairs "$PAIRS" \
      --images "$IMAGES" --threads "$THREADS" --checkpoints --out "$OUT/$name" "$@"
  echo "$(cut -d' ' -f1 /proc/loadavg)" > "$OUT/$name.load-end"
  echo "$*" > "$OUT/$name.flags"
}

run full --steps "$STEPS"
for B in $BATCHES; do
  steps=$(python3 -c "print(max(1, int($FRACTION * $STEPS * $IMAGES / $B)))")
  every=$(( steps / EVALS > 0 ? steps / EVALS : 1 ))
  run "batch-$B" --batch "$B" --steps "$steps" --eval-every "$every"
done

python3 bench/stochastic_table.py --out "$OUT" --results "$RESULTS" --images "$IMAGES" \
    --steps "$STEPS" --batches "$BATCHES" --binary "$BIN"
