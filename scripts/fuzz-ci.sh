#!/bin/sh
# The fuzz targets under libFuzzer, briefly: build the tree with
# --enable-fuzzing (clang; every target under ASan + UBSan) in a scratch
# copy, then run each target for HAPC_FUZZ_SECONDS (default 20) from the
# seeds made of the tests' own inputs (test/fuzz/run-fuzz.sh); any crash,
# sanitizer report, leak, timeout or broken invariant fails the run, and
# the input that found it is printed (base64) and kept in
# $work/build/fuzz-findings when HAPC_FUZZ_DIR is given.
#   scripts/fuzz-ci.sh                    every target, 20 s each
#   HAPC_FUZZ_SECONDS=60                  seconds per target
#   HAPC_FUZZ_TARGETS="cfg proxy"         some targets only
#   HAPC_FUZZ_DIR=/some/dir               work there (kept)
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)
: "${HAPC_FUZZ_SECONDS:=20}"
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
make fuzz FUZZ_SECONDS="$HAPC_FUZZ_SECONDS" FUZZ_TARGETS="$HAPC_FUZZ_TARGETS"
echo "fuzz: no finding"
