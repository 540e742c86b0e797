#!/bin/sh
# Run libFuzzer targets (configure --enable-fuzzing), each for
# FUZZ_SECONDS, one after the other, from seeds made of the tests' own
# inputs; stop at the first finding with a non-zero status. `make fuzz`
# runs it from the build directory.
#   run-fuzz.sh [TARGET...]        cfg plan logfmt proxy stats h1 tls_hello dns
#   FUZZ_SECONDS=60                seconds per target
#   FUZZ_CORPUS=DIR                keep each target's corpus in DIR/TARGET
#                                  (grown across runs) instead of a temp dir
#   FUZZ_ARTIFACTS=DIR             where a crashing input goes (default
#                                  ./fuzz-findings)
#   FUZZ_FLAGS="..."               more libFuzzer flags; a long campaign
#                                  goes on past findings with
#                                  "-fork=1 -ignore_crashes=1" (each found
#                                  input is still kept, and fails the run)
# Prints each target's executions and coverage ("execs N, cov N, ft N").
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}" "${FUZZ_SECONDS:=60}"
: "${FUZZ_ARTIFACTS:=$(pwd)/fuzz-findings}" "${FUZZ_FLAGS:=}"
[ $# -gt 0 ] || set -- cfg plan logfmt proxy stats h1 tls_hello dns
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$FUZZ_ARTIFACTS"
fz=$top_srcdir/test/fuzz
# libFuzzer judges leaks too; UBSan reports abort (built so); ASan halts.
ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export ASAN_OPTIONS UBSAN_OPTIONS

# seeds TARGET DIR: the target's seed inputs into DIR.
seeds() {
	mkdir -p "$2"
	case $1 in
	cfg|logfmt|proxy|stats)
		python3 "$fz/make-seeds.py" "$1" "$2" "$top_srcdir" >/dev/null ;;
	plan)
		python3 "$fz/make-seeds.py" cfg "$tmp/plan-cfg" "$top_srcdir" \
			>/dev/null
		for c in "$fz"/plan-seeds/*.cfg "$tmp"/plan-cfg/*; do
			"$top_builddir/cfgc" --hermetic -o "$2/$(basename "$c").plan" \
				"$c" >/dev/null 2>&1 || rm -f "$2/$(basename "$c").plan"
		done ;;
	h1)
		cp "$top_srcdir"/test/unit/h1-corpus/*.req \
			"$top_srcdir"/test/unit/h1-corpus/*.rsp "$2/" ;;
	tls_hello)
		python3 "$fz/make-tls-corpus.py" "$2" >/dev/null ;;
	dns)
		python3 "$fz/make-dns-corpus.py" "$2" >/dev/null ;;
	*)
		echo "run-fuzz.sh: no target '$1'" >&2; exit 2 ;;
	esac
	if [ -d "$fz/regressions/$1" ]; then
		cp "$fz/regressions/$1"/* "$2/"
	fi
}

status=0
for t in "$@"; do
	bin=$top_builddir/test/fuzz/fuzz_$t
	corpus=${FUZZ_CORPUS:+$FUZZ_CORPUS/$t}
	corpus=${corpus:-$tmp/corpus-$t}
	seeds "$t" "$corpus"
	case $t in
	proxy|dns) max=600 ;; stats|logfmt) max=1024 ;; plan) max=65536 ;;
	*) max=8192 ;;
	esac
	dict=
	[ "$t" = h1 ] && dict=-dict=$fz/h1.dict
	log=$tmp/$t.log
	echo "fuzz_$t: at most $FUZZ_SECONDS s ${FUZZ_FLAGS:+($FUZZ_FLAGS) }from $(ls "$corpus" | wc -l) inputs"
	rc=0
	before=$(ls "$FUZZ_ARTIFACTS" | grep -c "^$t-" || true)
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$FUZZ_SECONDS" -max_len="$max" -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$FUZZ_ARTIFACTS/$t-" $dict $FUZZ_FLAGS \
		"$corpus" >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	# (with -fork, the last status line's count)
	[ -n "$execs" ] || execs=$(grep -E '^#[0-9]+' "$log" | tail -n 1 |
		sed 's/^#\([0-9]*\).*/\1/')
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 |
		sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1, ft \2/p')
	# (-fork with -ignore_crashes=1 exits 0 after writing what it found)
	after=$(ls "$FUZZ_ARTIFACTS" | grep -c "^$t-" || true)
	[ "$after" -eq "$before" ] || [ "$rc" -ne 0 ] || rc=1
	echo "fuzz_$t: execs ${execs:-?}, ${cov:-no coverage line}, exit $rc"
	if [ "$rc" -ne 0 ]; then
		echo "==== fuzz_$t found something (input in $FUZZ_ARTIFACTS):"
		grep -av '^#[0-9]' "$log" | tail -n 60
		status=1
		break
	fi
done
exit "$status"
