#!/bin/sh
# Run the ClientHello reader's fuzz target (a plain main(), under ASan
# with --enable-asan) over real ClientHellos (TLS 1.3 and 1.2, with and
# without SNI and ALPN), every prefix of one and damaged copies, made by
# make-tls-corpus.py; a broken invariant aborts and fails the test.
set -e
: "${top_builddir:=.}" "${top_srcdir:=.}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$top_srcdir/test/fuzz/make-tls-corpus.py" "$dir"
"$top_builddir/test/fuzz/fuzz_tls_hello_main" "$dir"/*.bin
