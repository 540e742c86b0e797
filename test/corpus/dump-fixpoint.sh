#!/bin/sh
# dump-fixpoint.sh: `cfgc --dump` prints canonical configuration text that
# compiles to a plan whose dump is the same text, over the whole corpus.
#
# Every valid/ and warn/ file is compiled to a plan twice: with the default
# target where it compiles, and with --target=haproxy (which compiles every
# one of them, leaving out with a not-run warning what cfgrun does not run).
# For each plan P: dump(P) = D1; compile D1 -> P2; dump(P2) must equal D1,
# and compiling D1 a second time must give the same bytes (determinism).
# Files run from the corpus root with an empty environment, as HAProxy did.
#
# Environment: top_srcdir, top_builddir, CFGC, HAPC_CORPUS (see
# run-corpus.sh). Exit 77 when the corpus is absent.
set -u
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
CFGC=${CFGC:-$top_builddir/cfgc}
corpus=${HAPC_CORPUS:-$top_srcdir/../shared/corpus}
case $CFGC in /*) ;; *) CFGC=$(pwd)/$CFGC ;; esac
[ -f "$corpus/expected.tsv" ] || { echo "SKIP: no corpus at $corpus"; exit 77; }
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
cd "$corpus" || exit 99

run() { env -i PATH=/usr/bin:/bin timeout 20 "$CFGC" "$@"; }

checked=0 fail=0
for f in valid/*.cfg warn/*.cfg; do
	for target in cfgrun haproxy; do
		p1=$work/p1 d1=$work/d1.cfg p2=$work/p2 p3=$work/p3 d2=$work/d2.cfg
		rm -f "$p1" "$p2" "$p3"
		run --target=$target "$f" -o "$p1" >/dev/null 2>&1 || {
			[ $target = haproxy ] && { echo "FAIL: $f: does not compile with --target=haproxy"; fail=$((fail + 1)); }
			continue
		}
		if ! run --dump "$p1" >"$d1" 2>"$work/err"; then
			echo "FAIL: $f ($target): --dump failed: $(cat "$work/err")"; fail=$((fail + 1)); continue
		fi
		if ! run --target=$target "$d1" -o "$p2" >/dev/null 2>"$work/err"; then
			echo "FAIL: $f ($target): the dump does not compile:"; sed 's/^/    /' "$work/err" | head -5
			fail=$((fail + 1)); continue
		fi
		run --dump "$p2" >"$d2" 2>/dev/null
		if ! cmp -s "$d1" "$d2"; then
			echo "FAIL: $f ($target): dump -> compile -> dump differs:"
			diff "$d1" "$d2" | head -10 | sed 's/^/    /'
			fail=$((fail + 1)); continue
		fi
		run --target=$target "$d1" -o "$p3" >/dev/null 2>&1
		if ! cmp -s "$p2" "$p3"; then
			echo "FAIL: $f ($target): two compilations of the dump differ"
			fail=$((fail + 1)); continue
		fi
		checked=$((checked + 1))
	done
done
echo "dump fixpoint holds on $checked plans; $fail failures"
[ "$checked" -gt 0 ] || { echo "FAIL: nothing was checked"; exit 1; }
[ "$fail" -eq 0 ]
