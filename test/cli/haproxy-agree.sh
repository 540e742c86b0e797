#!/bin/sh
# haproxy-agree.sh: what HAProxy 3.5 accepts cfgc accepts, what it refuses
# cfgc refuses, on the cases of issue 10 (see haproxy-agree.py).
# Environment (from make check): top_srcdir, CFGC.
top_srcdir=${top_srcdir:-.}
CFGC=${CFGC:-./cfgc}
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
exec python3 "$top_srcdir/test/cli/haproxy-agree.py" "$CFGC"
