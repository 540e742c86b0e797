#!/bin/sh
# AddressSanitizer + UndefinedBehaviorSanitizer run: build the whole tree
# with --enable-asan --enable-ubsan in a scratch copy, then run the unit
# tests, the fuzz corpora (HTTP/1.1 parser, ClientHello reader, plan
# verifier round trip, configurations, log formats, PROXY headers, stats
# commands) and the integration tests that cover the parsers
# and engines most (HTTP, TLS, TCP rules, samples, stick tables, PROXY
# protocol, the stats socket); any sanitizer report fails the test that
# triggered it (halt_on_error).
#   scripts/asan.sh                   the default test list
#   HAPC_ASAN_TESTS="test/..."        other tests (paths as in TESTS)
#   HAPC_ASAN_DIR=/some/dir           work there (kept) instead of a temp dir
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)
: "${HAPC_ASAN_TESTS:=$(cd "$src" && ls test/unit/test_*.c | sed 's/\.c$//' | tr '\n' ' ')
test/fuzz/fuzz_corpus.sh test/fuzz/fuzz_tls_corpus.sh test/fuzz/fuzz_plan_corpus.sh
test/fuzz/fuzz_seeds.sh
test/integration/http_basic.py test/integration/http_rules.py
test/integration/http_errors.py test/integration/lang_samples.py
test/integration/lang_maps_cli.py test/integration/tls_term.py
test/integration/tls_srv.py test/integration/tcp_rules.py
test/integration/stick_tables.py test/integration/stick_persist.py
test/integration/proxy_protocol.py test/integration/pp_fetch.py
test/integration/stats_socket.py test/integration/stats_cmds.py
test/integration/http_auth.py test/integration/badplan.py}"

. "$src/scripts/scratch.sh"
scratch_tree asan "${HAPC_ASAN_DIR:-}"

cd "$work/build"
"$work/src/configure" -q --enable-asan --enable-ubsan
# Leaks are not judged (a process stopped by a test's signal may hold
# memory on purpose); memory errors and undefined behaviour are.
ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:halt_on_error=1"
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS UBSAN_OPTIONS
status=0
make -j"$(nproc)" check TESTS="$HAPC_ASAN_TESTS" >"$work/check.out" 2>&1 ||
	status=$?
grep -E '^(PASS|FAIL|ERROR|SKIP|XFAIL|XPASS):' "$work/check.out" || true
if [ "$status" -ne 0 ]; then
	for f in $(find . -name '*.trs'); do
		if grep -qE '^:test-result: (FAIL|ERROR)' "$f"; then
			echo "==== ${f%.trs}.log"; tail -n 80 "${f%.trs}.log"
		fi
	done
	exit "$status"
fi
echo "asan: no sanitizer report"
