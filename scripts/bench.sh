#!/usr/bin/env bash
# Benchmarks, in release builds only (never in .ci/run): the engine's overhead with package-benchmark,
# then the bench command (full check vs the critical-path bound, startup, memory, hostile endpoints).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== building release binaries (several minutes the first time)"
swift build -c release --product meta-doctor
(cd Benchmarks && swift build -c release)
echo "== engine overhead (package-benchmark)"
(cd Benchmarks && swift package --disable-sandbox benchmark --target EngineBenchmarks --no-progress)
echo "== full check, startup and memory"
Benchmarks/.build/release/meta-doctor-bench "$(swift build -c release --show-bin-path)/meta-doctor"
