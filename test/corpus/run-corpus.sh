#!/bin/sh
# run-corpus.sh: how far `cfgc -c` agrees with HAProxy 3.5 on the shared
# corpus (../shared/corpus, see its README.md).
#
# Each file of expected.tsv is checked as HAProxy was: from the corpus root,
# with an empty environment, `timeout 10`. The verdicts:
#   invalid      cfgc must reject it; where the corpus gives a line, one of
#                cfgc's errors must be on that line
#   valid/warn   cfgc must accept it, or reject it only with errors coded
#                `unsupported` (a feature cfgc does not compile yet; those
#                are counted apart)
# The figures are printed. The run fails (exit 1) only when cfgc crashes
# (killed by a signal) or hangs on some file, and, with HAPC_CORPUS_STRICT=1,
# when it rejects a valid file for a reason other than `unsupported`.
#
# Environment: CFGC (the binary; default $top_builddir/cfgc), HAPC_CORPUS
# (default $top_srcdir/../shared/corpus), HAPC_CORPUS_STRICT (0/1),
# HAPC_CORPUS_VERBOSE=1 prints one row per file.
set -u

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
CFGC=${CFGC:-$top_builddir/cfgc}
corpus=${HAPC_CORPUS:-$top_srcdir/../shared/corpus}
strict=${HAPC_CORPUS_STRICT:-0}
verbose=${HAPC_CORPUS_VERBOSE:-0}

if [ ! -f "$corpus/expected.tsv" ]; then
	echo "SKIP: no corpus at $corpus (set HAPC_CORPUS)"
	exit 77
fi
case $CFGC in /*) ;; *) CFGC=$(pwd)/$CFGC ;; esac
if [ ! -x "$CFGC" ]; then
	echo "FAIL: no cfgc binary at $CFGC" >&2
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

total=0; agree=0
n_invalid=0; inv_rejected=0; inv_line_ok=0; inv_line_known=0
n_valid=0; val_accepted=0; val_unsupported=0; val_wrong=0
crashes=0

printf '%-58s %-8s %-4s %-6s %s\n' FILE EXPECTED RC RESULT "FIRST ERROR"
tail -n +2 "$corpus/expected.tsv" > "$tmp/rows"
while IFS='	' read -r path verdict _exit line _msg; do
	[ -n "$path" ] || continue
	total=$((total + 1))
	(cd "$corpus" && env -i PATH=/usr/bin:/bin timeout 10 "$CFGC" -c "$path" \
		>/dev/null 2>"$tmp/err" </dev/null)
	rc=$?
	# "FILE:LINE:COL: error[CODE]: ..." -> "LINE CODE"
	sed -n 's/^[^ ]*:\([0-9][0-9]*\):[0-9][0-9]*: error\[\([^]]*\)\]:.*/\1 \2/p;
	        s/^[^ ]*:\([0-9][0-9]*\):[0-9][0-9]*: error:.*/\1 -/p' \
		"$tmp/err" > "$tmp/errs"
	first=$(grep -m1 ': error' "$tmp/err" | cut -c1-70)
	result=
	if [ $rc -ge 124 ]; then
		crashes=$((crashes + 1))
		result=CRASH
		[ $rc -eq 124 ] && result=HANG
	elif [ "$verdict" = invalid ]; then
		n_invalid=$((n_invalid + 1))
		if [ $rc -ne 0 ]; then
			inv_rejected=$((inv_rejected + 1))
			if [ "$line" = - ]; then
				result=ok; agree=$((agree + 1))
			else
				inv_line_known=$((inv_line_known + 1))
				if cut -d' ' -f1 "$tmp/errs" | grep -qx "$line"; then
					inv_line_ok=$((inv_line_ok + 1))
					result=ok; agree=$((agree + 1))
				else
					result=LINE
				fi
			fi
		else
			result=MISSED
		fi
	else
		n_valid=$((n_valid + 1))
		if [ $rc -eq 0 ]; then
			val_accepted=$((val_accepted + 1))
			result=ok; agree=$((agree + 1))
		elif [ -s "$tmp/errs" ] && ! cut -d' ' -f2 "$tmp/errs" |
				grep -qvx 'unsupported\|unsupported-keyword'; then
			val_unsupported=$((val_unsupported + 1))
			result=unsup
		else
			val_wrong=$((val_wrong + 1))
			result=WRONG
		fi
	fi
	if [ "$verbose" = 1 ] || { [ "$result" != ok ] && [ "$result" != unsup ]; }; then
		printf '%-58s %-8s %-4s %-6s %s\n' "$path" "$verdict" "$rc" \
			"$result" "$first"
	fi
done < "$tmp/rows"

echo
echo "invalid files rejected:          $inv_rejected/$n_invalid" \
     "(at HAProxy's line: $inv_line_ok/$inv_line_known where it gives one)"
echo "valid/warn files accepted:       $val_accepted/$n_valid"
echo "  rejected only as unsupported:  $val_unsupported/$n_valid"
echo "  rejected for other reasons:    $val_wrong/$n_valid"
echo "crashes or hangs:                $crashes"
echo "agree $agree/$total"
echo "agree, counting unsupported-only rejections of valid files as agreeing:" \
     "$((agree + val_unsupported))/$total"

[ $crashes -eq 0 ] || { echo "FAIL: cfgc crashed or hung"; exit 1; }
if [ "$strict" = 1 ] && [ $val_wrong -ne 0 ]; then
	echo "FAIL: valid files rejected for reasons other than unsupported"
	exit 1
fi
exit 0
