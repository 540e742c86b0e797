#!/bin/sh
# run.sh SCENARIO...: the stress suite (`make stress`, doc/stress.md). Runs
# each scenario in turn against the built cfgc and cfgrun (environment as
# `make check` sets it: top_builddir, top_srcdir, CFGC, CFGRUN), prints its
# figures as it goes, then one line per scenario; exits 1 if any failed.
set -u
status=0
summary=""
start=$(date +%s)
for t in "$@"; do
	name=$(basename "$t" .py)
	echo "==== $name"
	t0=$(date +%s)
	python3 "$t"
	rc=$?
	case $rc in
	0) res=PASS ;;
	77) res=SKIP ;;
	*) res=FAIL; status=1 ;;
	esac
	summary="$summary$res: $name ($(( $(date +%s) - t0 )) s)
"
done
echo "==== stress summary ($(( $(date +%s) - start )) s)"
printf '%s' "$summary"
exit $status
