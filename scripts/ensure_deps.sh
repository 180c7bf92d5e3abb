#!/usr/bin/env bash
# Checks for the Debian packages the build, the tests and the report need; installs the missing
# ones with apt-get when run as root, otherwise prints the one command to run and fails.
set -euo pipefail
packages=(g++ meson ninja-build pkg-config libopenblas-openmp-dev libgtest-dev)
[ "${LANDSCAPE_WITH_TORCH:-0}" = 1 ] && packages+=(python3-torch python3-numpy)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
else
  echo "missing Debian packages; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
