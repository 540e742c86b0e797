#!/bin/sh
# The README's demo, run for real: the sample config compiles, cfgrun serves
# it, and traffic reaches both servers through every kind of listener, the
# MPTCP hop included.
set -eu
: "${top_srcdir:?}" "${CFGC:?}" "${CFGRUN:?}"
[ "$(sysctl -n net.mptcp.enabled 2>/dev/null || echo 0)" = 1 ] ||
	{ echo "SKIP: MPTCP is disabled on this host"; exit 77; }
out=$(HAPC_SKIP_SETUP=1 CFGC="$CFGC" CFGRUN="$CFGRUN" "$top_srcdir/scripts/demo.sh" 2>&1) || {
	echo "$out"; echo "FAIL: the demo script failed"; exit 1; }
echo "$out"
fail=0
for want in 'app1: hello' 'app2 (mptcp): hello' 'over MPTCP' '\[::1\]:18083' 'hapc-demo.sock'; do
	echo "$out" | grep -q "$want" || { echo "FAIL: demo output lacks '$want'"; fail=1; }
done
exit $fail
