#!/bin/sh
# route.sh: cfgc --route and --route-test (see route.py).
# Environment (from make check): top_srcdir, CFGC.
top_srcdir=${top_srcdir:-.}
CFGC=${CFGC:-./cfgc}
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
exec python3 "$top_srcdir/test/cli/route.py" "$CFGC" "$top_srcdir"
