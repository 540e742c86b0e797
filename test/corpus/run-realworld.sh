#!/bin/sh
# run-realworld.sh: cfgc -c --target=haproxy on the 104 configurations of
# ../shared/realworld (public repositories, see its README.md) against
# HAProxy 3.5's verdict (expected.tsv, column haproxy_exit).
#
# Fails (exit 1) when a file HAProxy accepts is rejected (a false error), or
# on a crash or hang. Files HAProxy rejects that cfgc accepts are counted and
# listed as MISSED but do not fail the run: they are misses, not false
# errors. Each file is checked from the set's directory with an empty
# environment, as HAProxy was.
#
# Environment: top_builddir, CFGC (as run-corpus.sh), HAPC_REALWORLD
# (default $top_srcdir/../shared/realworld), HAPC_CORPUS_VERBOSE=1 prints
# one row per file.
set -u

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
CFGC=${CFGC:-$top_builddir/cfgc}
set_dir=${HAPC_REALWORLD:-$top_srcdir/../shared/realworld}
verbose=${HAPC_CORPUS_VERBOSE:-0}

if [ ! -f "$set_dir/expected.tsv" ]; then
	echo "SKIP: no real-world set at $set_dir (set HAPC_REALWORLD)"
	exit 77
fi
case $CFGC in /*) ;; *) CFGC=$(pwd)/$CFGC ;; esac
if [ ! -x "$CFGC" ]; then
	echo "FAIL: no cfgc binary at $CFGC" >&2
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
n_acc=0; acc_ok=0; n_rej=0; rej_ok=0; bad=0
tail -n +2 "$set_dir/expected.tsv" > "$tmp/rows"
while IFS='	' read -r path hexit _rest; do
	[ -n "$path" ] || continue
	(cd "$set_dir" && env -i PATH=/usr/bin:/bin timeout 10 "$CFGC" -c \
		--target=haproxy "$path" >/dev/null 2>"$tmp/err" </dev/null)
	rc=$?
	first=$(grep -m1 ': error' "$tmp/err" | cut -c1-100)
	if [ $rc -ge 124 ]; then
		result=CRASH; bad=$((bad + 1))
	elif [ "$hexit" = 0 ]; then
		n_acc=$((n_acc + 1))
		if [ $rc -eq 0 ]; then
			acc_ok=$((acc_ok + 1)); result=ok
		else
			result=WRONG; bad=$((bad + 1))
		fi
	else
		n_rej=$((n_rej + 1))
		if [ $rc -ne 0 ]; then
			rej_ok=$((rej_ok + 1)); result=ok
		else
			result=MISSED
		fi
	fi
	if [ "$verbose" = 1 ] || [ "$result" != ok ]; then
		printf '%-46s exit=%s %-6s %s\n' "$path" "$hexit" "$result" "$first"
	fi
done < "$tmp/rows"

echo
echo "realworld --target=haproxy"
echo "  files HAProxy accepts, accepted: $acc_ok/$n_acc"
echo "  files HAProxy rejects, rejected: $rej_ok/$n_rej"
if [ $bad -ne 0 ]; then
	echo "FAIL: $bad file(s) HAProxy accepts rejected, or a crash/hang"
	exit 1
fi
exit 0
