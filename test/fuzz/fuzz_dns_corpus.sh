#!/bin/sh
# Run the DNS answer reader's fuzz target (a plain main(), under ASan with
# --enable-asan) over answers, every prefix of one, malformed and damaged
# ones, made by make-dns-corpus.py; a broken invariant aborts and fails
# the test.
set -e
: "${top_builddir:=.}" "${top_srcdir:=.}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$top_srcdir/test/fuzz/make-dns-corpus.py" "$dir"
"$top_builddir/test/fuzz/fuzz_dns_main" "$dir"/*.bin
