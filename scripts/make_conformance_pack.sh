#!/usr/bin/env bash
# Regenerates reference_outputs/conformance/ (its README.md says what each entry is): runs every
# line of commands.txt with the float64 build and one thread, in order, then keeps only the files
# a validator compares (CSV and .npy; not manifests, settings, figures, locks or resume marks).
# Usage: scripts/make_conformance_pack.sh [LANDSCAPE_BINARY] [MNIST_DIR] [OUT_DIR]
# With OUT_DIR the outputs go there instead, each entry reading its inputs from the committed pack
# (as tests/test_conformance_pack.cpp does): how the float32 build's drift from the pack is measured.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/f64/landscape}
data=${2:-$root/data/mnist}
pack=$root/reference_outputs/conformance
out=${3:-$pack}
if [[ "$out" == "$pack" ]]; then
  "$bin" version | grep -q float64 || { echo "$bin is not the float64 build" >&2; exit 1; }
fi
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  name=${line%%:*}
  args=${line#*: }
  args=${args//\{pack\}/$pack}
  args=${args//\{out\}/$out}
  args=${args//\{data\}/$data}
  rm -rf "${out:?}/$name"
  echo "== $name" >&2
  # shellcheck disable=SC2086  # the arguments are words by design
  "$bin" $args --threads 1 > /dev/null
  find "$out/$name" \( -name 'manifest*.json' -o -name 'settings.txt' -o -name '.lock*' -o -name '*.png' \
    -o -name '*.svg' -o -name '*.gp' -o -name '*.dat' \) -delete
  rm -rf "$out/$name/rows"
done < "$pack/commands.txt"
du -sh "$out"
