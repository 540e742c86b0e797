#!/bin/sh
# diag-codes.sh: every diagnostic code the sources can emit is explained in
# doc/diagnostics.md, and each example there produces its code.
# Environment (from make check): top_srcdir, CFGC.
top_srcdir=${top_srcdir:-.}
CFGC=${CFGC:-./cfgc}
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
exec python3 "$top_srcdir/test/cli/diag-codes.py" "$top_srcdir" \
	--check "$top_srcdir/doc/diagnostics.md" "$CFGC"
