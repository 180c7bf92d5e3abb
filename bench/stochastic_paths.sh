#!/usr/bin/env bash
# bench/stochastic_paths.sh: stochastic path steps (`landscape path --batch B`, beyond the paper;
# docs/algorithms.md §5.7) against the paper's full-batch FourierPathFinder, as H against wall
# time. For each batch size the same pairs run once with --checkpoints, so one run gives H at
# every judged iterate (H_reported: what a run stopped there would report) with its time.
#
#   full batch   --steps STEPS (the paper's 100): every iterate judged, as always
#   B in BATCHES --steps FRACTION * STEPS * IMAGES / B (FRACTION of the full batch's
#                loss+gradient images: 51 points x B images a step), judged on the full
#                landscape every steps/EVALS steps (--eval-every) and at the end;
#                STEPS_FOR="B:steps ..." sets a batch's steps instead (at the full training set
#                FRACTION = 1 would give B = 500 12,000 steps where 225 reach the full batch's H)
#
# Then bench/stochastic_table.py writes RESULTS.md (method, batch, steps, wall s, cpu s, H,
# H / full-batch H at STEPS, and when each run first reached that H) and RESULTS.png (gnuplot:
# H against wall time). Each run is a resumable path run under OUT/: rerun to continue.
#
# Settings (environment), the defaults measure what fits a shared 2-core machine in hours:
#   IMAGES=10000  PAIRS=0-1,2-3  BATCHES="500 2000 8000"  STEPS=100  FRACTION=0.5  EVALS=16
#   THREADS=2  LANDSCAPE_BIN=build/f32/landscape  OUT=out/stochastic-paths
#   WEIGHTS=../shared/weights/LSTM_BFGS_Training_best48_weights.npy (the published LSTM weights)
#   RESULTS=bench/results/stochastic-paths  NICE=10  STEPS_FOR=""
# The full training set (docs/studies/stochastic-paths.md), a pair at a time (a full-batch pair is
# 72 min on 2 quiet AMD EPYC cores, 1 h 48 min with the three batches; a run adds pairs to the
# directories, so PAIRS=0-1,2-3 later resumes):
#   IMAGES=60000 PAIRS=0-1 EVALS=8 STEPS_FOR="500:600 2000:300 8000:100" \
#     OUT=out/stochastic-paths-60000 RESULTS=bench/results/stochastic-paths-60000
# The committed runs (bench/results/stochastic-paths-60000-runs/, pairs 0-1 and 2-3) are whole
# run directories: copied to OUT (cp -r bench/results/stochastic-paths-60000-runs
# out/stochastic-paths-60000), a longer PAIRS computes only the pairs they lack.
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
STEPS_FOR=${STEPS_FOR:-}
export LANDSCAPE_DATA=${LANDSCAPE_DATA:-data/mnist}

[ -x "$BIN" ] || { echo "stochastic_paths: $BIN not found (make build)" >&2; exit 1; }
[ -f "$WEIGHTS" ] || { echo "stochastic_paths: no $WEIGHTS (set WEIGHTS)" >&2; exit 1; }
mkdir -p "$OUT"

# run NAME FLAGS...: one path run over PAIRS into OUT/NAME, with its flags. Each invocation
# appends a line "PAIRS value" to NAME.commit, NAME.load-start and NAME.load-end, so a run
# directory that a later PAIRS resumed says which commit and load its first pairs had.
run() {
  local name=$1
  shift
  echo "stochastic_paths: $name: $*" >&2
  echo "$PAIRS $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/$name.load-start"
  echo "$PAIRS $(git rev-parse --short HEAD 2>/dev/null || echo unknown)" >> "$OUT/$name.commit"
  nice -n "$NICE" "$BIN" path --arch lstm --weights "$WEIGHTS" --pairs "$PAIRS" \
      --images "$IMAGES" --threads "$THREADS" --checkpoints --out "$OUT/$name" "$@"
  echo "$PAIRS $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/$name.load-end"
  echo "$*" > "$OUT/$name.flags"
}

run full --steps "$STEPS"
for B in $BATCHES; do
  steps=$(python3 -c "print(max(1, int($FRACTION * $STEPS * $IMAGES / $B)))")
  for given in $STEPS_FOR; do
    [ "${given%%:*}" = "$B" ] && steps=${given#*:}
  done
  every=$(( steps / EVALS > 0 ? steps / EVALS : 1 ))
  run "batch-$B" --batch "$B" --steps "$steps" --eval-every "$every"
done

python3 bench/stochastic_table.py --out "$OUT" --results "$RESULTS" --images "$IMAGES" \
    --steps "$STEPS" --batches "$BATCHES" --binary "$BIN"
