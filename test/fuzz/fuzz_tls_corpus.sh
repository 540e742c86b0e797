#!/bin/sh
# Run the ClientHello reader's fuzz target (a plain main(), under ASan
# with --enable-asan) over real ClientHellos (TLS 1.3 and 1.2, with and
# without SNI and ALPN) and damaged ones; a broken invariant aborts and
# fails the test.
set -e
: "${top_builddir:=.}" "${top_srcdir:=.}"
exec "$top_builddir/test/fuzz/fuzz_tls_hello_main" \
	"$top_srcdir"/test/fuzz/tls-corpus/*.bin
