#!/usr/bin/env bash
# bench/scaling_on_device.sh: the 1-2-4-8-16 thread table (full batch and the LSTM path step,
# ours beside PyTorch at the same thread count) on a 16-core machine that is not a Debian
# machine: the sessions' borrowed device machine (bench/README.md, "Scaling on 16 cores").
#
# That machine has PyTorch and a compiler but no OpenBLAS, no meson and no network, it runs
# one command of at most 10 minutes, and the working tree it receives may be 64 MiB with
# everything carried. So the binary travels built, with its Debian libraries as .deb files
# (9 MiB; 36 MiB unpacked, which would not fit) and MNIST gzipped:
#
#   here:   bench/scaling_on_device.sh pack      -> .device-bundle/ (git-ignored), prints the call
#   there:  bash bench/scaling_on_device.sh run  (carry .device-bundle)
#
# `run` unpacks the libraries under /tmp, wraps the binary so that only it sees them (PyTorch
# keeps its own), checks MNIST against data/SHA256SUMS and runs scripts/bench.sh narrowed to the
# scaling figures. It stops itself after LIMIT seconds and keeps what it measured: the JSON
# lines and the table come back under $OUT as scaling.jsonl, scaling.md and bench.log.
#
# Settings (environment), sized so that `run` ends inside one 10-minute call:
#   THREADS="1 2 4 8 16"  IMAGES=20000  REPEAT=3  ONLY="fullbatch path-step-torch"  LIMIT=480
set -euo pipefail
cd "$(dirname "$0")/.."

BUNDLE=.device-bundle
LIBS="libopenblas0-openmp libgfortran5 libquadmath0 libgomp1 libprotobuf32 libonnx1"
MNIST="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"

die() { echo "scaling_on_device: $*" >&2; exit 1; }

# pack: the binary, its libraries and MNIST into $BUNDLE, and the size of what will travel.
pack() {
  local bin=${LANDSCAPE_BIN:-build/f32/landscape} data=${LANDSCAPE_DATA:-data/mnist} f
  [ -x "$bin" ] || die "$bin not found (make binary)"
  "$bin" version | grep -q float32 || die "$bin is not the float32 build"
  for f in $MNIST; do [ -f "$data/$f" ] || die "$data/$f not found (make data)"; done
  git diff --quiet HEAD || echo "scaling_on_device: warning: the tree has uncommitted changes" >&2
  rm -rf "$BUNDLE.tmp"
  mkdir -p "$BUNDLE.tmp/debs" "$BUNDLE.tmp/mnist"
  # shellcheck disable=SC2086  # LIBS is a list of package names
  (cd "$BUNDLE.tmp/debs" && apt-get download $LIBS >/dev/null) ||
    die "apt-get download $LIBS failed (the Debian mirror must be reachable)"
  for f in $MNIST; do gzip -9 -c "$data/$f" > "$BUNDLE.tmp/mnist/$f.gz"; done
  cp "$bin" "$BUNDLE.tmp/landscape"
  git rev-parse --short HEAD > "$BUNDLE.tmp/commit"
  rm -rf "$BUNDLE"
  mv "$BUNDLE.tmp" "$BUNDLE"
  local tree bundle
  tree=$(git ls-files -z | du -c -b --files0-from=- 2>/dev/null | tail -1 | cut -f1)
  bundle=$(du -s -b "$BUNDLE" | cut -f1)
  echo "packed $BUNDLE: $((bundle >> 20)) MiB; with the tracked tree $(((tree + bundle) >> 20)) MiB of the 64 MiB a call may carry"
  [ $(((tree + bundle) >> 20)) -lt 62 ] || die "too large to travel: drop untracked files or carry less"
  echo "then, on the device: run(command=\"bash bench/scaling_on_device.sh run\", carry=[\"$BUNDLE\"], timeout_s=600)"
}

# run (on the device): unpack, check, measure, and leave the results under $OUT.
run() {
  [ -d "$BUNDLE" ] || die "no $BUNDLE (carry it: bench/scaling_on_device.sh pack here first)"
  local out=${OUT:?OUT is the folder that comes back} root=/tmp/landscape-root work=/tmp/bench-out
  local d f
  mkdir -p "$root" /tmp/mnist "$work"
  for d in "$BUNDLE"/debs/*.deb; do dpkg-deb -x "$d" "$root" || die "could not unpack $d"; done
  # Only our binary sees the Debian libraries, through this wrapper.
  cat > "$root/landscape" <<EOF
#!/bin/sh
LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu/openblas-openmp:$root/usr/lib/x86_64-linux-gnu" exec "$PWD/$BUNDLE/landscape" "\$@"
EOF
  chmod +x "$root/landscape"
  "$root/landscape" version > "$out/version.txt" 2>&1 ||
    { cat "$out/version.txt"; LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu/openblas-openmp:$root/usr/lib/x86_64-linux-gnu" ldd "$BUNDLE/landscape" | grep "not found"; die "the binary does not start here"; }
  for f in $MNIST; do gunzip -c "$BUNDLE/mnist/$f.gz" > "/tmp/mnist/$f"; done
  (cd /tmp/mnist && sha256sum --quiet -c "$OLDPWD/data/SHA256SUMS") || die "MNIST does not match data/SHA256SUMS"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

  local status=0
  LANDSCAPE_BIN="$root/landscape" LANDSCAPE_DATA=/tmp/mnist PYTHON=${PYTHON:-python3} OUT_DIR=$work \
    COMMIT="$(cat "$BUNDLE/commit") (binary carried to the device)" \
    THREADS=${THREADS:-"1 2 4 8 16"} IMAGES=${IMAGES:-20000} REPEAT=${REPEAT:-3} \
    ONLY=${ONLY:-"fullbatch path-step-torch"} \
    timeout "${LIMIT:-480}" scripts/bench.sh > "$out/bench.log" 2>&1 || status=$?
  tail -40 "$out/bench.log"
  # A finished run renamed its JSON lines into place; a stopped one left them as .part.
  f=$(ls "$work"/*.jsonl 2>/dev/null | head -1 || true)
  [ -n "$f" ] || f=$(ls "$work"/.*.jsonl.part 2>/dev/null | head -1 || true)
  [ -n "$f" ] || die "no measurements were written (bench.log says why)"
  cp "$f" "$out/scaling.jsonl"
  "${PYTHON:-python3}" bench/table.py "$out/scaling.jsonl" > "$out/scaling.md" || true
  [ "$status" -ne 124 ] || echo "scaling_on_device: bench stopped after LIMIT=${LIMIT:-480} s; scaling.jsonl keeps what it measured" >&2
  [ "$status" -eq 0 ] || [ "$status" -eq 124 ] || echo "scaling_on_device: bench failed (status $status, bench.log says why); scaling.jsonl keeps what it measured" >&2
  echo "scaling_on_device: results in $out/scaling.md (copy to bench/results/<machine-kind>-scaling.md here)"
  return "$status"
}

case "${1:-}" in
  pack) pack ;;
  run) run ;;
  *) die "usage: bench/scaling_on_device.sh pack | run" ;;
esac
