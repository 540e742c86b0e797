#!/bin/sh
# Replay the configuration, log-format, PROXY header and stats command
# fuzz targets (fuzz_main.c builds) over their seeds, made now from the
# tests' own inputs by make-seeds.py, and those and the plan target over
# the inputs of test/fuzz/regressions/<target>/ that once found a bug.
# Any broken invariant aborts.
set -e
: "${top_builddir:=.}" "${top_srcdir:=.}"
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
for t in cfg logfmt proxy stats plan; do
	mkdir -p "$work/$t"
	[ "$t" = plan ] ||
		python3 "$top_srcdir/test/fuzz/make-seeds.py" "$t" "$work/$t" \
			"$top_srcdir" >/dev/null
	if [ -d "$top_srcdir/test/fuzz/regressions/$t" ]; then
		cp "$top_srcdir/test/fuzz/regressions/$t"/* "$work/$t/"
	fi
	"$top_builddir/test/fuzz/fuzz_${t}_main" "$work/$t"/*
done
