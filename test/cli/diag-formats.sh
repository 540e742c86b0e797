#!/bin/sh
# diag-formats.sh: --diagnostics-format=json and =sarif are well formed on
# every corpus file (see diag-formats.py). Skips (77) without the corpus.
# Environment (from make check): top_srcdir, CFGC, HAPC_CORPUS.
top_srcdir=${top_srcdir:-.}
CFGC=${CFGC:-./cfgc}
corpus=${HAPC_CORPUS:-$top_srcdir/../shared/corpus}
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
exec python3 "$top_srcdir/test/cli/diag-formats.py" "$CFGC" "$corpus" \
	"$top_srcdir/doc/diagnostics.md"
