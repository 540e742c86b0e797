#!/bin/sh
# tls-server.sh: TLS to servers in cfgc (see tls-server.py).
# Environment (from make check): top_srcdir, CFGC, CFGRUN.
top_srcdir=${top_srcdir:-.}
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "SKIP: no openssl"; exit 77; }
exec python3 "$top_srcdir/test/cli/tls-server.py" "${CFGC:-./cfgc}" "${CFGRUN:-./cfgrun}"
