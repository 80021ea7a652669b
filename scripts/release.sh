#!/usr/bin/env bash
# Builds the release binary into dist/: on Linux with the Swift runtime and Foundation linked in
# (--static-swift-stdlib), so the target machine needs no Swift toolchain, only the C libraries
# every distribution ships (glibc, libstdc++, libgcc_s, zlib) and ca-certificates for Meta's TLS;
# on macOS the Swift runtime is part of the system. The binary is
# stripped, named after its own --version, and has a SHA-256 file next to it. dist/meta-doctor is
# a copy under the plain name, for `make install` and the GitHub Action.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=${RELEASE_SCRATCH_PATH:-.build-release}
os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m)
flags=(-c release --product meta-doctor --scratch-path "$scratch")
if [ "$os" = linux ]; then flags+=(--static-swift-stdlib); fi

echo "== swift build ${flags[*]}"
swift build "${flags[@]}" 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Linking|Write|Merging|Wrapping)' || true
swift build "${flags[@]}" >/dev/null
built="$scratch/release/meta-doctor"

version=$("$built" --version)
name="meta-doctor-$version-$os-$arch"
mkdir -p dist
cp "$built" "dist/$name"
if [ "$os" = darwin ]; then strip -x "dist/$name"; else strip "dist/$name"; fi
cp "dist/$name" dist/meta-doctor
(
  cd dist
  if command -v sha256sum >/dev/null; then sha256sum "$name" > "$name.sha256"; else shasum -a 256 "$name" > "$name.sha256"; fi
)
echo "dist/$name ($(du -h "dist/$name" | cut -f1)), dist/$name.sha256"
