#!/bin/sh
# ThreadSanitizer run: build cfgc and cfgrun with --enable-tsan in a scratch
# copy of the tree, run the thread tests (and a few quick others) against
# them, and fail on any race report, even one from a test that passed.
#   scripts/tsan.sh                 the default test list
#   HAPC_TSAN_TESTS="a.py b.py"     names under test/integration instead
#   HAPC_TSAN_DIR=/some/dir         work there (kept) instead of a temp dir
# The tree may be configured in place (scripts/setup-debian.sh does that),
# which forbids a VPATH build from it: the source files (tracked, or new and
# not ignored) and the autotools output are copied out first.
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)
: "${HAPC_TSAN_TESTS:=threads_spread.py threads_queue.py threads_balance.py
threads_checks.py threads_stats.py threads_admin.py threads_signals.py
signals.py reload_load.py stats_socket.py queue_slots.py ops_softstop.py
stats_dynsrv.py}"

. "$src/scripts/scratch.sh"
scratch_tree tsan "${HAPC_TSAN_DIR:-}"
rm -rf "$work/reports"
mkdir -p "$work/reports"

cd "$work/build"
"$work/src/configure" -q --enable-tsan
make -j"$(nproc)" cfgc cfgrun >/dev/null

# GCC's TSan maps its shadow memory at fixed places; with a high
# vm.mmap_rnd_bits (Ubuntu's 32) the program's own mappings may land there
# and TSan stops at start ("unexpected memory mapping"). Run without address
# randomisation then: the personality is inherited by every child.
run=""
if ! ./cfgrun --version >/dev/null 2>"$work/probe.err"; then
	if setarch "$(uname -m)" -R ./cfgrun --version >/dev/null 2>&1; then
		echo "tsan: cfgrun needs address randomisation off here ($(head -n 1 "$work/probe.err")); running under setarch -R"
		run="setarch $(uname -m) -R"
	else
		echo "tsan: the TSan cfgrun does not start:" >&2
		cat "$work/probe.err" >&2
		exit 1
	fi
fi

# Reports go to files (one per process), so a race seen by a test that
# still passed is not lost; exitcode makes the racing process fail too.
TSAN_OPTIONS="log_path=$work/reports/tsan halt_on_error=0 exitcode=66 second_deadlock_stack=1 history_size=4"
top_builddir=$work/build top_srcdir=$work/src
CFGC=$work/build/cfgc CFGRUN=$work/build/cfgrun
export TSAN_OPTIONS top_builddir top_srcdir CFGC CFGRUN
# The scripts run one after the other, straight (not through `make check`:
# a script need not be in TESTS to be run here).
status=0
mkdir -p "$work/logs"
for t in $HAPC_TSAN_TESTS; do
	rc=0
	$run timeout 300 python3 "$work/src/test/integration/$t" \
		>"$work/logs/$t.log" 2>&1 || rc=$?
	case $rc in
	0) echo "PASS: $t" ;;
	77) echo "SKIP: $t" ;;
	*) echo "FAIL: $t (exit $rc)"; tail -n 60 "$work/logs/$t.log"; status=1 ;;
	esac
done
reports=$(find "$work/reports" -type f | sort)
if [ -n "$reports" ]; then
	echo "tsan: ThreadSanitizer reported in $(echo "$reports" | wc -l) process(es):"
	for r in $reports; do
		echo "==== $r"; cat "$r"
	done
	[ "$status" -ne 0 ] || status=1
fi
[ "$status" -eq 0 ] && echo "tsan: no race reported"
exit "$status"
