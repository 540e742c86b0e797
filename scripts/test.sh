#!/bin/sh
# Set everything up on Debian 12 and run the whole test suite:
# unit tests (Check), integration tests on real sockets, the corpus
# agreement run, the thread tests under ThreadSanitizer (scripts/tsan.sh),
# the whole suite again under AddressSanitizer + UBSan (scripts/asan.sh,
# 4 to 12 minutes on two cores), each fuzz target for 20 s under
# libFuzzer (scripts/fuzz-ci.sh, about three and a half minutes with its
# build), then `make distcheck` (the release tarball builds and passes its
# own tests), then the Debian package built from a copy of the tree and
# its contents, unit and lintian checked (scripts/deb-check.sh, about two
# minutes). HAPC_SKIP_TSAN=1, HAPC_SKIP_ASAN=1, HAPC_SKIP_FUZZ=1,
# HAPC_SKIP_DISTCHECK=1, HAPC_SKIP_DEB=1 skip those steps.
set -eu
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
status=0
make -j"$(nproc)" check || status=$?
if [ "$status" -ne 0 ]; then
	for f in $(find test -name '*.log' ! -name 'test-suite.log'); do
		if grep -qE '^(FAIL|ERROR)' "${f%.log}.trs" 2>/dev/null; then
			echo "==== $f"; tail -n 60 "$f"
		fi
	done
	exit "$status"
fi
# The thread tests again against a ThreadSanitizer build of cfgrun (built
# apart, about a minute); any race report fails the run.
if [ "${HAPC_SKIP_TSAN:-0}" != 1 ]; then
	scripts/tsan.sh
fi
# The same code under AddressSanitizer + UBSan (a build apart): any report
# fails the run.
if [ "${HAPC_SKIP_ASAN:-0}" != 1 ]; then
	scripts/asan.sh
fi
# Each fuzz target under libFuzzer (+ ASan, UBSan) for a short time: any
# finding fails the run.
if [ "${HAPC_SKIP_FUZZ:-0}" != 1 ]; then
	scripts/fuzz-ci.sh
fi
if [ "${HAPC_SKIP_DISTCHECK:-0}" != 1 ]; then
	make distcheck
fi
if [ "${HAPC_SKIP_DEB:-0}" != 1 ]; then
	scripts/deb-check.sh
fi
