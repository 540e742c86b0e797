#!/bin/sh
# plan-tools.sh: cfgc --diff and --graph (see plan-tools.py).
# Environment (from make check): top_srcdir, CFGC.
top_srcdir=${top_srcdir:-.}
CFGC=${CFGC:-./cfgc}
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
exec python3 "$top_srcdir/test/cli/plan-tools.py" "$CFGC"
