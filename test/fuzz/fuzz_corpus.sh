#!/bin/sh
# Run the HTTP/1.1 parser's fuzz target (built with a plain main(), under
# ASan with --enable-asan) over the smuggling corpus; any broken invariant
# aborts and fails the test.
set -e
: "${top_builddir:=.}" "${top_srcdir:=.}"
exec "$top_builddir/test/fuzz/fuzz_h1_main" \
	"$top_srcdir"/test/unit/h1-corpus/*.req \
	"$top_srcdir"/test/unit/h1-corpus/*.rsp
