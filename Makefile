# The commands people type. The real build is meson.build; this file only sets up and calls it.
#   make run     set up, build, fetch MNIST, run the main job on its quick preset
#   make test    set up, build both precisions, run every test
#   make build   configure and build build/f32 and build/f64
#   make data    fetch and verify MNIST into data/mnist (or $LANDSCAPE_DATA)
SHELL := /bin/bash
.DEFAULT_GOAL := help
BUILD_F32 := build/f32
BUILD_F64 := build/f64
THREADS ?= $(shell nproc)

.PHONY: help deps build test run data clean

help:
	@echo "make run | make test | make build | make data | make clean"

deps:
	@scripts/ensure_deps.sh

$(BUILD_F32)/build.ninja:
	meson setup $(BUILD_F32) -Dprecision=float32
$(BUILD_F64)/build.ninja:
	meson setup $(BUILD_F64) -Dprecision=float64

build: deps $(BUILD_F32)/build.ninja $(BUILD_F64)/build.ninja
	ninja -C $(BUILD_F32)
	ninja -C $(BUILD_F64)

test: build
	meson test -C $(BUILD_F32) --print-errorlogs --num-processes 1
	meson test -C $(BUILD_F64) --print-errorlogs --num-processes 1

data: build
	$(BUILD_F32)/landscape data

run: build data
	$(BUILD_F32)/landscape version

clean:
	rm -rf build
