# The commands people type. The real build is meson.build; this file only sets up and calls it.
#   make run         set up, build, fetch MNIST, run the study on its quick preset
#   make test        set up, build both precisions, fetch MNIST, run every test
#   make test-long   checks too slow for CI (published weights against Table I, ...)
#   make bench       our timings beside PyTorch's, interleaved pairs -> bench/results/<machine-kind>.md
#   make test-cluster  the Slurm job arrays (scripts/slurm/) on a one-node Slurm, against a local run
#   make test-sanitize  the unit tests built with AddressSanitizer + UBSan (float64)
#   make fuzz        libFuzzer on the file readers and parsers, FUZZ_SECONDS (60) each
#   make build       configure and build build/f32 and build/f64
#   make format      apply .clang-format to every C++ file; make format-check: CI's check
#   make data        fetch and verify MNIST into data/mnist (or $LANDSCAPE_DATA)
SHELL := /bin/bash
.DEFAULT_GOAL := help
F32 := build/f32
F64 := build/f64
OUT ?= out/quick
SAN := build/sanitize
FUZZ_SECONDS ?= 60

.PHONY: help deps binary build test test-long test-cluster test-sanitize fuzz run data bench clean format format-check

help:
	@sed -n 's/^#   make/  make/p' Makefile

deps:
	@scripts/ensure_deps.sh build data report

$(F32)/build.ninja:
	meson setup $(F32) -Dprecision=float32 -Donnx=enabled
$(F64)/build.ninja:
	meson setup $(F64) -Dprecision=float64 -Donnx=enabled

build: deps $(F32)/build.ninja $(F64)/build.ninja
	ninja -C $(F32)
	ninja -C $(F64)

# The float32 binary alone: what `make run` and `make data` need (the tests and the float64
# build would double the first `make run`).
binary: deps $(F32)/build.ninja
	ninja -C $(F32) landscape

data: binary
	$(F32)/landscape data

test: build data
	meson test -C $(F32) --print-errorlogs --num-processes 1 --suite unit
	meson test -C $(F64) --print-errorlogs --num-processes 1 --suite unit

# float64, -O1 (half the compile time of -O3; the tests take 2-3 min), no -march=native
# (meson option sanitize_tests); UBSan stops at its first report.
$(SAN)/build.ninja:
	meson setup $(SAN) -Dprecision=float64 -Donnx=enabled -Dsanitize_tests=true -Db_sanitize=address,undefined \
	  -Doptimization=1
test-sanitize: build data $(SAN)/build.ninja
	ninja -C $(SAN)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(SAN) --print-errorlogs --num-processes 1 --suite unit

# Every tracked C++ file (src, tests, fuzz; not the generated .inc tables) as .clang-format lays it out.
CXX_FILES = $(shell git ls-files '*.cpp' '*.hpp' 2>/dev/null)
format:
	@scripts/ensure_deps.sh format
	@clang-format -i $(CXX_FILES) && echo "format: $(words $(CXX_FILES)) files laid out by .clang-format"
format-check:
	@scripts/ensure_deps.sh format
	@clang-format --dry-run -Werror $(CXX_FILES) && echo "format-check: $(words $(CXX_FILES)) files as .clang-format lays them out"

fuzz:
	@scripts/ensure_deps.sh build fuzz
	scripts/fuzz.sh $(FUZZ_SECONDS)

test-long: build data
	meson test -C $(F64) --print-errorlogs --num-processes 1 --suite long

test-cluster: build data
	scripts/test_cluster.sh

run: binary data
	@scripts/ensure_deps.sh report
	$(F32)/landscape reproduce --preset quick --out $(OUT)
	@echo "report: $(OUT)/report/index.html (and report.md)"

bench: build data
	@scripts/ensure_deps.sh bench
	scripts/bench.sh

clean:
	rm -rf build
