#!/usr/bin/env bash
# scripts/compare_runs.sh OLD_BINARY NEW_BINARY: do two builds write the same results?
# Runs `reproduce --preset mini` and the miniature related preset of tests/test_related.cpp
# (presets/related.conf with tiny sizes) with each binary, then compares every file but the
# manifests (times, command lines): the output directory's path is replaced by OUT, the reports'
# "on <UTC time>" by TIME, and every table loses its `seconds` column (wall time).
# Prints the differences and exits 1 if there are any. Needs MNIST ($LANDSCAPE_DATA or
# data/mnist). A redesign that must not change a number is checked with it.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
export LANDSCAPE_DATA=${LANDSCAPE_DATA:-$root/data/mnist} OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{ cat "$root/presets/related.conf"; cat <<'CONF'
train_images = 200
test_images = 100
walk_batch = 50
walk_lr = 0.1
walk_epochs = 1
walk_eval_images = 50
walk_points = 5
spread_widths = 2, 4
spread_restarts = 2
spread_epochs = 1
spread_batch = 50
spread_anneal_sweeps = 3
brief_epochs = 1
surface_grid = 3
surface_images = 50
hessian_images = 50
hessian_iterations = 4
hessian_probes = 1
CONF
} > "$work/mini-related.conf"

run() {  # BINARY NAME
  local out=$work/$2
  "$1" reproduce --preset "$root/presets/mini.conf" --out "$out/mini" > "$work/$2-mini.log" 2>&1
  "$1" reproduce --config "$work/mini-related.conf" --out "$out/related" > "$work/$2-related.log" 2>&1
  find "$out" -type f \( -name '*.csv' -o -name '*.md' -o -name '*.html' -o -name '*.txt' \
       -o -name '*.gp' -o -name '*.dat' \) -print0 |
    xargs -0 sed -i -e "s#$out#OUT#g" -e 's#on 20[0-9-]*T[0-9:]*Z#on TIME#g'
  # wall times: the column named `seconds` of any table (hessian, spread)
  find "$out" -name '*.csv' | while read -r f; do
    if head -1 "$f" | grep -q '\(^\|,\)seconds\(,\|$\)'; then
      awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "seconds") c = i }
        { out = sep = ""; for (i = 1; i <= NF; ++i) if (i != c) { out = out sep $i; sep = OFS } print out }' \
        "$f" > "$f.tmp" && mv "$f.tmp" "$f"
    fi
  done
}
run "$1" old
run "$2" new
if diff -r -x 'manifest*.json' "$work/old" "$work/new"; then
  echo "same results: $(find "$work/new" -type f | wc -l) files (manifests not compared)"
else
  echo "the two builds' results differ (above)" >&2
  exit 1
fi
