#!/bin/sh
# run-corpus.sh: how far `cfgc -c` agrees with HAProxy 3.5 on the shared
# corpus (../shared/corpus, see its README.md), for both targets:
#
#   --target=cfgrun (the default)
#     invalid     rejected; where the corpus gives a line, one of cfgc's
#                 errors is on that line                         -> ok
#     valid/warn  accepted                                       -> ok
#                 rejected only with errors coded unsupported*   -> unsup
#                 (HAProxy runs it, cfgrun does not: agreement)
#   --target=haproxy
#     invalid     as above                                       -> ok
#     valid/warn  accepted                                       -> ok
#   anything else: MISSED (invalid accepted), LINE (rejected elsewhere),
#   WRONG (valid rejected), CRASH or HANG.
#
# Each file is checked as HAProxy was: from the corpus root, with an empty
# environment, `timeout 10`. The figures are printed per target, with the
# keywords met as unsupported on the default target (files per keyword).
#
# Regressions fail the run (exit 1): test/corpus/baseline.tsv lists every
# file's result per target as last recorded; a file whose result was ok (or
# unsup) and is now anything else fails, as does any crash or hang. Files
# that got better are listed; record them with
#
#     HAPC_CORPUS_UPDATE=1 make check TESTS=test/corpus/run-corpus.sh
#
# (or run this script with top_srcdir/top_builddir set), which rewrites
# baseline.tsv in the source tree; commit it with the change.
#
# Environment: top_srcdir (default: two levels above this script),
# top_builddir (default: the current directory), CFGC (the binary; default
# $top_builddir/cfgc), HAPC_CORPUS (default $top_srcdir/../shared/corpus),
# HAPC_CORPUS_BASELINE (default $top_srcdir/test/corpus/baseline.tsv; the
# mutants run, run-mutants.sh, keeps its own), HAPC_CORPUS_VERBOSE=1 prints
# one row per file and target, HAPC_CORPUS_UPDATE=1 rewrites the baseline.
set -u

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
CFGC=${CFGC:-$top_builddir/cfgc}
corpus=${HAPC_CORPUS:-$top_srcdir/../shared/corpus}
verbose=${HAPC_CORPUS_VERBOSE:-0}
update=${HAPC_CORPUS_UPDATE:-0}
baseline=${HAPC_CORPUS_BASELINE:-$top_srcdir/test/corpus/baseline.tsv}

if [ ! -f "$corpus/expected.tsv" ]; then
	echo "SKIP: no corpus at $corpus (set HAPC_CORPUS)"
	exit 77
fi
case $CFGC in /*) ;; *) CFGC=$(pwd)/$CFGC ;; esac
case $baseline in /*) ;; *) baseline=$(pwd)/$baseline ;; esac
if [ ! -x "$CFGC" ]; then
	echo "FAIL: no cfgc binary at $CFGC" >&2
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
tail -n +2 "$corpus/expected.tsv" > "$tmp/rows"
: > "$tmp/results"
: > "$tmp/unsup"

for target in cfgrun haproxy; do
	n_invalid=0; inv_rejected=0; inv_line_ok=0; inv_line_known=0
	n_valid=0; val_accepted=0; val_unsupported=0; val_wrong=0
	crashes=0
	while IFS='	' read -r path verdict _exit line _msg; do
		[ -n "$path" ] || continue
		(cd "$corpus" && env -i PATH=/usr/bin:/bin timeout 10 "$CFGC" -c \
			--target="$target" "$path" >/dev/null 2>"$tmp/err" </dev/null)
		rc=$?
		# "FILE:LINE:COL: error[CODE]: ..." -> "LINE CODE"
		sed -n 's/^[^ ]*:\([0-9][0-9]*\):[0-9][0-9]*: error\[\([^]]*\)\]:.*/\1 \2/p;
		        s/^[^ ]*:\([0-9][0-9]*\):[0-9][0-9]*: error:.*/\1 -/p' \
			"$tmp/err" > "$tmp/errs"
		first=$(grep -m1 ': error' "$tmp/err" | cut -c1-90)
		if [ $rc -ge 124 ]; then
			crashes=$((crashes + 1))
			result=CRASH
			[ $rc -eq 124 ] && result=HANG
		elif [ "$verdict" = invalid ]; then
			n_invalid=$((n_invalid + 1))
			if [ $rc -eq 0 ]; then
				result=MISSED
			else
				inv_rejected=$((inv_rejected + 1))
				result=ok
				if [ "$line" != - ]; then
					inv_line_known=$((inv_line_known + 1))
					if cut -d' ' -f1 "$tmp/errs" | grep -qx "$line"; then
						inv_line_ok=$((inv_line_ok + 1))
					else
						result=LINE
					fi
				fi
			fi
		else
			n_valid=$((n_valid + 1))
			if [ $rc -eq 0 ]; then
				val_accepted=$((val_accepted + 1))
				result=ok
			elif [ "$target" = cfgrun ] && [ -s "$tmp/errs" ] &&
					! cut -d' ' -f2 "$tmp/errs" | grep -qv '^unsupported'; then
				val_unsupported=$((val_unsupported + 1))
				result=unsup
				# the keyword named first in each unsupported error
				sed -n "s/.*error\[unsupported[^]]*\]: [^']*'\([^']*\)'.*/\1/p" \
					"$tmp/err" | sort -u >> "$tmp/unsup"
			else
				val_wrong=$((val_wrong + 1))
				result=WRONG
			fi
		fi
		printf '%s\t%s\t%s\n' "$path" "$target" "$result" >> "$tmp/results"
		if [ "$verbose" = 1 ] || { [ "$result" != ok ] && [ "$result" != unsup ]; }; then
			printf '%-8s %-58s %-8s %-6s %s\n' "$target" "$path" "$verdict" \
				"$result" "$first"
		fi
	done < "$tmp/rows"

	echo
	echo "--target=$target"
	echo "  invalid files rejected:          $inv_rejected/$n_invalid" \
	     "(at HAProxy's line: $inv_line_ok/$inv_line_known where it gives one)"
	echo "  valid/warn files accepted:       $val_accepted/$n_valid"
	if [ "$target" = cfgrun ]; then
		echo "    rejected only as unsupported:  $val_unsupported/$n_valid"
	fi
	echo "    rejected for other reasons:    $val_wrong/$n_valid"
	echo "  crashes or hangs:                $crashes"
done

echo
echo "unsupported keywords met in valid/warn files (--target=cfgrun): files per keyword"
sort "$tmp/unsup" | uniq -c | sort -k1,1nr -k2 | sed 's/^/  /'

if [ "$update" = 1 ]; then
	{
		printf 'path\ttarget\tresult\n'
		sort "$tmp/results"
	} > "$baseline"
	echo "baseline written: $baseline"
	exit 0
fi
if [ ! -f "$baseline" ]; then
	echo "FAIL: no baseline at $baseline (create it with HAPC_CORPUS_UPDATE=1)"
	exit 1
fi

# Compare with the baseline: "path target result" on both sides.
awk -F'	' '
	NR == FNR { if (FNR > 1) base[$1 "|" $2] = $3; next }
	{
		k = $1 "|" $2; b = (k in base) ? base[k] : "new"
		if ($3 == b) next
		good_before = (b == "ok" || b == "unsup")
		if (good_before && !(b == "unsup" && $3 == "ok"))
			printf "REGRESSION %s --target=%s: was %s, now %s\n", $1, $2, b, $3
		else
			printf "improved   %s --target=%s: was %s, now %s\n", $1, $2, b, $3
	}' "$baseline" "$tmp/results" > "$tmp/cmp"
if [ -s "$tmp/cmp" ]; then
	echo
	cat "$tmp/cmp"
fi
if grep -q '^REGRESSION' "$tmp/cmp"; then
	echo "FAIL: agreement with HAProxy got worse (see REGRESSION lines)"
	exit 1
fi
if grep -q '^improved' "$tmp/cmp"; then
	echo "note: record the improvements with HAPC_CORPUS_UPDATE=1 (see the" \
	     "head of this script)"
fi
exit 0
