.PHONY: test bench release check-static install

PREFIX ?= /usr/local

# The test command (what .ci/run runs).
test:
	swift test

# Benchmarks, release builds only; prints tables (see README, "Performance").
bench:
	./scripts/bench.sh

# The release binary in dist/, with its SHA-256 file (static Swift runtime on Linux).
release:
	./scripts/release.sh

dist/meta-doctor:
	./scripts/release.sh

# Shows that dist/meta-doctor runs without the Swift toolchain.
check-static: dist/meta-doctor
	./scripts/check-static.sh dist/meta-doctor

# Installs dist/meta-doctor (built first if missing) as PREFIX/bin/meta-doctor.
install: dist/meta-doctor
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 755 dist/meta-doctor "$(DESTDIR)$(PREFIX)/bin/meta-doctor"
