#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [TARGET...]: builds the libFuzzer targets of fuzz/ with clang++
# (AddressSanitizer + UndefinedBehaviorSanitizer) and runs each for SECONDS (default 60) from
# its committed seed corpus fuzz/corpus/<target>/. `make fuzz` calls it (FUZZ_SECONDS=...).
#
# Build: the library in build/fuzz by meson with CXX=clang++ and coverage instrumentation
# (-fsanitize=fuzzer-no-link), then each fuzz/fuzz_<target>.cpp linked against it with
# -fsanitize=fuzzer. New inputs go to build/fuzz/corpus/<target>/ (the committed seeds are never
# written); a crash is saved as build/fuzz/crashes/<target>-crash-<sha1> and fails the run.
# Every crash becomes a regression test: copy the file into fuzz/regressions/<target>/, fix the
# bug; tests/test_fuzz_regressions.cpp replays every file there in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(idx npy args config description onnx npy_data)
dir=${FUZZ_BUILD:-build/fuzz}  # (FUZZ_BUILD: another build directory)
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)

if [ ! -f "$dir/build.ninja" ]; then
  CXX=clang++ meson setup "$dir" -Dprecision=float32 -Dsanitize_tests=true -Db_lundef=false \
    -Db_sanitize=address,undefined -Dcpp_args=-fsanitize=fuzzer-no-link >/dev/null
fi
# One static library per layer (meson.build's floors), linked top floor first.
floors=(cli experiments landscape models optim autodiff io core)
archives=("${floors[@]/#/$dir/liblandscape_}"); archives=("${archives[@]/%/.a}")
ninja -C "$dir" "${archives[@]#$dir/}" >/dev/null
libs=$(pkg-config --libs openblas 2>/dev/null || echo -lopenblas)
# ONNX import (meson feature onnx): its protobuf classes when the library was built with them.
if grep -q "onnx_graph.cpp.o" "$dir/build.ninja" 2>/dev/null; then
  libs="$libs -lonnx_proto $(pkg-config --libs protobuf)"
fi

failed=()
for t in "${targets[@]}"; do
  src=fuzz/fuzz_$t.cpp
  if [ ! -f "$src" ]; then echo "fuzz: no $src" >&2; exit 2; fi
  exe=$dir/fuzz_$t
  stale=0  # relink when the target or any floor's library is newer than it
  for f in "$src" fuzz/fuzz_targets.hpp "${archives[@]}"; do [ "$exe" -nt "$f" ] || stale=1; done
  if [ $stale -eq 1 ]; then
    clang++ -std=c++20 -O1 -g "${sanitize[@]}" -fsanitize=fuzzer -Isrc "$src" \
      "${archives[@]}" -fopenmp $libs -lmvec -o "$exe"
  fi
  mkdir -p "$dir/corpus/$t" "$dir/crashes"
  echo "fuzz $t: ${seconds}s from fuzz/corpus/$t"
  # -timeout: an input taking over 10 s is a hang; -rss_limit_mb: a size taken on trust.
  if ! "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$dir/crashes/$t-" "$dir/corpus/$t" "fuzz/corpus/$t" \
       >"$dir/$t.log" 2>&1; then
    failed+=("$t")
    tail -40 "$dir/$t.log" >&2
  fi
  grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$dir/$t.log" |
    sed "s/^/  /" || true
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]} (inputs in $dir/crashes/). Copy each into" \
       "fuzz/regressions/<target>/ and fix; tests/test_fuzz_regressions.cpp replays them." >&2
  exit 1
fi
echo "fuzz: no crash in ${targets[*]} (${seconds}s each)"
