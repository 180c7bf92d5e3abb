#!/bin/bash
# Git Re-Basin's MNIST result (Ainsworth et al. 2022) and Entezari et al.'s (2021) width trend,
# reproduced with described MLPs (models/mlp-W.json: 784-W-W-W-10, ReLU): for each width W,
# 3 SGD runs from seeds 0, 1, 2, then the straight-line barrier between every pair of them
# before and after weight matching and activation matching, on 10,000 training and on the
# 10,000 test images. Results in docs/results/rebasin-mnist/ (README.md, table.csv).
# Usage (from the checkout): docs/results/rebasin-mnist/run.sh [OUT] (default out/rebasin-mnist).
# Resumable: training continues where it stopped; an alignment already in OUT is kept.
set -euo pipefail
BIN=${LANDSCAPE:-build/f32/landscape}
HERE=docs/results/rebasin-mnist
OUT=${1:-out/rebasin-mnist}
THREADS=${THREADS:-1}
mkdir -p "$OUT"
for W in 32 128 512; do
  # SGD: lr 0.05, momentum 0.9, batch 128, 20 epochs (all 60,000 training images).
  "$BIN" train --arch $HERE/models/mlp-$W.json --out "$OUT/mlp-$W/sgd" --runs 3 --keep 0 --seed 0 \
    --epochs 20 --lr 0.05 --momentum 0.9 --batch 128 --threads "$THREADS"
  for split in train test; do
    for method in weight activation; do
      dir="$OUT/mlp-$W/align-$method-$split"
      [ -f "$dir/align.csv" ] && continue
      "$BIN" align --arch $HERE/models/mlp-$W.json --weights "$OUT/mlp-$W/sgd/w_train.npy" \
        --pairs 0-1,0-2,1-2 --method $method --split $split --images 10000 --points 25 \
        --threads "$THREADS" --out "$dir"
    done
  done
done
python3 $HERE/table.py "$OUT" > "$OUT/table.csv"
echo "rebasin-mnist: $OUT/table.csv"
