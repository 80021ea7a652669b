#!/usr/bin/env bash
# Proves that the release binary needs no Swift toolchain: it links no Swift library and has no
# run path into the toolchain, and a copy in an empty temporary folder runs `demo` with a clean
# environment (no PATH to the toolchain, no LD_LIBRARY_PATH, no HOME of the build).
# Usage: scripts/check-static.sh [BINARY]   (default dist/meta-doctor, made by scripts/release.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-dist/meta-doctor}
[ -x "$binary" ] || { echo "check-static: $binary is missing; run scripts/release.sh first" >&2; exit 1; }

fail() { echo "check-static: FAIL: $*" >&2; exit 1; }

echo "== ldd $binary"
libraries=$(ldd "$binary" 2>&1 || true)
echo "$libraries" | sed 's/^/  /'
if echo "$libraries" | grep -Eiq 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|/swift/'; then
  fail "the binary links a Swift library"
fi
if readelf -d "$binary" 2>/dev/null | grep -Ei 'R(UN)?PATH' | grep -qi swift; then
  fail "the binary has a run path into the Swift toolchain"
fi
if command -v sha256sum >/dev/null && ls dist/*.sha256 >/dev/null 2>&1; then
  (cd dist && sha256sum --quiet -c ./*.sha256) || fail "a SHA-256 file does not match its binary"
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp "$binary" "$scratch/meta-doctor"
run() { (cd "$scratch" && env -i HOME="$scratch" PATH=/usr/bin:/bin "$scratch/meta-doctor" "$@"); }

echo "== a copy in $scratch, clean environment"
version=$(run --version) || fail "--version did not run"
echo "  --version: $version"
set +e
run demo --scenario healthy > "$scratch/healthy.txt" 2> "$scratch/healthy.err"
healthy=$?
run demo --format json > "$scratch/onboarding.json" 2> "$scratch/onboarding.err"
onboarding=$?
set -e
[ "$healthy" -eq 0 ] || { cat "$scratch/healthy.err" >&2; fail "demo --scenario healthy exited $healthy, not 0"; }
grep -q "Exit 0: no check failed." "$scratch/healthy.txt" || fail "demo --scenario healthy printed no report"
[ "$onboarding" -eq 1 ] || { cat "$scratch/onboarding.err" >&2; fail "demo (onboarding) exited $onboarding, not 1"; }
grep -q "\"version\" : \"$version\"" "$scratch/onboarding.json" || fail "the JSON report does not carry version $version"
echo "  demo --scenario healthy: exit 0; demo: exit 1 with a JSON report of version $version"
echo "check-static: ok"
