.PHONY: test bench

# The test command (what .ci/run runs).
test:
	swift test

# Benchmarks, release builds only; prints tables (see README, "Performance").
bench:
	./scripts/bench.sh
