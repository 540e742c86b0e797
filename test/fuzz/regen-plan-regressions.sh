#!/bin/sh
# Write test/fuzz/regressions/plan/*.plan again for the current plan
# format (they are refused on record size once a record grows, before
# reaching the verifier check each guards). Run from the build directory
# after `make`:  sh SRC/test/fuzz/regen-plan-regressions.sh
#   tune-bufsize-128.plan: a compiled plan with tune.bufsize 256 patched
#     to 128 (below PLAN_BUFSIZE_MIN) and its digest recomputed: the
#     verifier must refuse it for that field
#   bind-ciphers-boringssl-lacks.plan: compiled by --target=haproxy from
#     a bind whose only cipher is a DHE suite BoringSSL lacks: it
#     verifies, and its dump compiles for --target=haproxy only
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$src/test/fuzz/regressions/plan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head='defaults
    mode http
    timeout connect 1s
    timeout client 1s
    timeout server 1s'
printf 'global\n    tune.bufsize 256\n%s\nfrontend fe\n    bind 127.0.0.1:8080\n    default_backend be\nbackend be\n    server s 127.0.0.1:8081\n' \
	"$head" >"$work/bufsize.cfg"
printf '%s\nfrontend fe\n    bind 127.0.0.1:8443 ssl crt %s ciphers DHE-RSA-AES128-GCM-SHA256\n    default_backend be\nbackend be\n    server s 127.0.0.1:8080\n' \
	"$head" "$work/cert.pem" >"$work/ciphers.cfg"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" \
	-out "$work/crt.pem" -subj /CN=regen.test -days 3650 2>/dev/null
cat "$work/crt.pem" "$work/key.pem" >"$work/cert.pem"
./cfgc "$work/bufsize.cfg" -o "$work/bufsize.plan"
./cfgc --target=haproxy "$work/ciphers.cfg" -o "$out/bind-ciphers-boringssl-lacks.plan"
cat >"$work/off.c" <<'CEOF'
#include <stddef.h>
#include <stdio.h>
#include "plan-t.h"
int main(void)
{
	printf("%zu %zu %zu\n", offsetof(struct plan_global, tune_bufsize),
	       sizeof(struct plan_header), offsetof(struct plan_header, digest));
	return 0;
}
CEOF
${CC:-cc} -I"$src/common" -I. -o "$work/off" "$work/off.c"
python3 - "$work/bufsize.plan" "$out/tune-bufsize-128.plan" $("$work/off") <<'PYEOF'
import hashlib, struct, sys
src, dst, fo, hs, do = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
b = bytearray(open(src, "rb").read())
nsec = struct.unpack_from("<I", b, 28)[0]      # plan_header.nsections
for i in range(nsec):
    kind, esz, off, cnt = struct.unpack_from("<IIQQ", b, hs + 24 * i)
    if kind == 2:                               # PLAN_SEC_GLOBAL
        assert struct.unpack_from("<I", b, off + fo)[0] == 256
        struct.pack_into("<I", b, off + fo, 128)
b[do:do + 32] = bytes(32)
b[do:do + 32] = hashlib.sha256(bytes(b)).digest()
open(dst, "wb").write(b)
PYEOF
./cfgrun -c "$out/tune-bufsize-128.plan" 2>&1 | grep -q "tune_bufsize 128" || {
	echo "regen: the bufsize plan is not refused for its bufsize" >&2; exit 1; }
./cfgrun -c "$out/bind-ciphers-boringssl-lacks.plan"
