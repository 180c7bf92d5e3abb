# The commands people type. The real build is meson.build; this file only sets up and calls it.
#   make run         set up, build, fetch MNIST, run the study on its quick preset
#   make test        set up, build both precisions, fetch MNIST, run every test
#   make test-long   checks too slow for CI (published weights against Table I, ...)
#   make bench       our timings beside PyTorch's on this machine
#   make test-cluster  the Slurm job arrays (scripts/slurm/) on a one-node Slurm, against a local run
#   make build       configure and build build/f32 and build/f64
#   make data        fetch and verify MNIST into data/mnist (or $LANDSCAPE_DATA)
SHELL := /bin/bash
.DEFAULT_GOAL := help
F32 := build/f32
F64 := build/f64
OUT ?= out/quick

.PHONY: help deps build test test-long test-cluster run data bench clean

help:
	@sed -n '2,8p' Makefile | sed 's/^# //'

deps:
	@scripts/ensure_deps.sh build data report

$(F32)/build.ninja:
	meson setup $(F32) -Dprecision=float32
$(F64)/build.ninja:
	meson setup $(F64) -Dprecision=float64

build: deps $(F32)/build.ninja $(F64)/build.ninja
	ninja -C $(F32)
	ninja -C $(F64)

data: build
	$(F32)/landscape data

test: build data
	meson test -C $(F32) --print-errorlogs --num-processes 1 --suite unit
	meson test -C $(F64) --print-errorlogs --num-processes 1 --suite unit

test-long: build data
	meson test -C $(F64) --print-errorlogs --num-processes 1 --suite long

test-cluster: build data
	scripts/test_cluster.sh

run: build data
	@scripts/ensure_deps.sh report
	$(F32)/landscape reproduce --preset quick --out $(OUT)
	@echo "report: $(OUT)/report/index.html (and report.md)"

bench: build data
	@scripts/ensure_deps.sh bench
	scripts/bench.sh

clean:
	rm -rf build
