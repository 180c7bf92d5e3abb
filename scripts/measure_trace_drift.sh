#!/usr/bin/env bash
# The tolerance guide's measurement (docs/validating.md, "How far float32 drifts from float64"):
# the same L-BFGS-GSS run (FCP, 500 training images, 1000 iterations), SGD run (FCP, 500 images,
# batch 50, 20 epochs), FourierPathFinder run (the NN notebook's parameters, 100 steps, between
# the two runs' minima, 500 images) and Lanczos run (50 steps) traced by the float32 and the
# float64 builds, one thread each, then every traced column's largest relative difference up to
# a few step counts (scripts/trace_drift_table.py). Takes about 15 minutes on one core.
# Usage: scripts/measure_trace_drift.sh [OUT_DIR]   (default out/drift)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/out/drift}
common=(--arch fcp --train-images 500 --test-images 500 --threads 1 --trace)
for p in f64 f32; do
  bin=$root/build/$p/landscape
  "$bin" train "${common[@]}" --optimizer lbfgs --epochs 1000 --seed 5 --out "$out/$p/lbfgs" > /dev/null 2>&1
  "$bin" train "${common[@]}" --optimizer sgd --lr 0.1 --batch 50 --epochs 20 --seed 6 --out "$out/$p/sgd" > /dev/null 2>&1
done
# Both builds' paths start from the float64 minima, so only the path finder's own rounding differs.
"$root/build/f64/landscape" train "${common[@]}" --optimizer lbfgs --epochs 1000 --runs 2 --seed 5 \
  --out "$out/ends" > /dev/null 2>&1
for p in f64 f32; do
  bin=$root/build/$p/landscape
  "$bin" path --arch fcp --weights "$out/ends/w_train.npy" --pairs 0-1 --images 500 --steps 100 --trace \
    --threads 1 --out "$out/$p/fourier" > /dev/null 2>&1
  "$bin" hessian --arch fcp --weights "$out/ends/w_train.npy" --rows 0 --images 500 --iterations 50 --probes 1 \
    --trace --threads 1 --out "$out/$p/lanczos" > /dev/null 2>&1
done
python3 "$root/scripts/trace_drift_table.py" "$out"
