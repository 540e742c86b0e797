#!/bin/sh
# AddressSanitizer + UndefinedBehaviorSanitizer run: build the whole tree
# with --enable-asan --enable-ubsan in a scratch copy, then run every test
# `make check` runs (the TESTS of the configured build, so a new test is
# covered the day it is registered) but the few listed in ASAN_EXCLUDE
# below; any sanitizer report fails the test that triggered it
# (halt_on_error; rtlib.py also fails a test whose cfgrun printed one).
#   scripts/asan.sh                   the whole suite (but ASAN_EXCLUDE)
#   HAPC_ASAN_TESTS="test/..."        other tests (paths as in TESTS)
#   HAPC_ASAN_DIR=/some/dir           work there (kept) instead of a temp dir
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)

# Tests that cannot run under ASan, each path on a line of its own below a
# comment giving the reason. None today: the tests that bound memory with
# RLIMIT_AS or judge resident sizes leave those checks to the plain build
# (rtlib.sanitized(), haproxy-agree.py), and run the rest.
ASAN_EXCLUDE=""

# The scratch copy has no ../shared beside it: the corpus tests read the
# source tree's, as `make check` there does.
if [ -d "$src/../shared" ]; then
	shared=$(cd "$src/../shared" && pwd)
	: "${HAPC_CORPUS:=$shared/corpus}" "${HAPC_MUTANTS:=$shared/corpus-mutants}"
	: "${HAPC_REALWORLD:=$shared/realworld}"
	export HAPC_CORPUS HAPC_MUTANTS HAPC_REALWORLD
fi

. "$src/scripts/scratch.sh"
scratch_tree asan "${HAPC_ASAN_DIR:-}"

cd "$work/build"
"$work/src/configure" -q --enable-asan --enable-ubsan
if [ -z "${HAPC_ASAN_TESTS:-}" ]; then
	HAPC_ASAN_TESTS=$(printf 'print-tests:\n\t@echo $(TESTS)\n' |
		make -s --no-print-directory -f Makefile -f - print-tests |
		tr ' ' '\n' | grep -v '^$' |
		grep -vxF "$(printf '%s\n' $ASAN_EXCLUDE | sed '/^$/d')" |
		tr '\n' ' ')
fi
# Leaks are not judged (a process stopped by a test's signal may hold
# memory on purpose); memory errors and undefined behaviour are.
ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:halt_on_error=1"
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS UBSAN_OPTIONS
status=0
start=$(date +%s)
make -j"$(nproc)" check TESTS="$HAPC_ASAN_TESTS" >"$work/check.out" 2>&1 ||
	status=$?
grep -E '^(PASS|FAIL|ERROR|SKIP|XFAIL|XPASS):' "$work/check.out" || true
echo "asan: $(echo $HAPC_ASAN_TESTS | wc -w) tests in $(( $(date +%s) - start ))s"
if [ "$status" -ne 0 ]; then
	for f in $(find . -name '*.trs'); do
		if grep -qE '^:test-result: (FAIL|ERROR)' "$f"; then
			echo "==== ${f%.trs}.log"; tail -n 80 "${f%.trs}.log"
		fi
	done
	exit "$status"
fi
echo "asan: no sanitizer report"
