#!/bin/sh
# The fuzz targets under libFuzzer, briefly: build the tree with
# --enable-fuzzing (clang; every target under ASan + UBSan) in a scratch
# copy, then run each target from the seeds made of the tests' own inputs
# (test/fuzz/run-fuzz.sh) with a fixed seed and a fixed number of runs
# (about 20 s a target on two cores), so that what CI finds shows again on
# any machine (a time limit would make the work depend on its speed); any
# crash,
# sanitizer report, leak, timeout or broken invariant fails the run, and
# the input that found it is printed (base64) and kept in
# $work/build/fuzz-findings when HAPC_FUZZ_DIR is given.
#   scripts/fuzz-ci.sh                    every target, its runs
#   HAPC_FUZZ_SECONDS=60                  time-limited instead (random seed)
#   HAPC_FUZZ_TARGETS="cfg proxy"         some targets only
#   HAPC_FUZZ_DIR=/some/dir               work there (kept)
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)
: "${HAPC_FUZZ_TARGETS:=cfg plan logfmt proxy stats h1 tls_hello}"

. "$src/scripts/scratch.sh"
scratch_tree fuzz "${HAPC_FUZZ_DIR:-}"

# the seeds of the configuration targets include ../shared's corpora,
# which the scratch copy does not have beside it
if [ -d "$src/../shared" ] && [ -z "${HAPC_SHARED:-}" ]; then
	HAPC_SHARED=$(cd "$src/../shared" && pwd)
	export HAPC_SHARED
fi

cd "$work/build"
"$work/src/configure" -q --enable-fuzzing
make -j"$(nproc)" >"$work/build.out" 2>&1 || { tail -n 40 "$work/build.out"; exit 1; }
if [ -n "${HAPC_FUZZ_SECONDS:-}" ]; then
	make fuzz FUZZ_SECONDS="$HAPC_FUZZ_SECONDS" FUZZ_TARGETS="$HAPC_FUZZ_TARGETS"
else
	# runs per target, measured at about 20 s each on two cores
	for t in $HAPC_FUZZ_TARGETS; do
		case $t in
		cfg) n=4000 ;; plan) n=1200 ;; logfmt) n=5000 ;; h1) n=400000 ;;
		*) n=60000 ;;
		esac
		FUZZ_FLAGS="-seed=1 -runs=$n" make fuzz FUZZ_SECONDS=300 \
			FUZZ_TARGETS="$t"
	done
fi
echo "fuzz: no finding"
