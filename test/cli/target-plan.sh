#!/bin/sh
# target-plan.sh: a plan written under --target=haproxy never leaves out
# what cfgrun will not run without saying so (warning not-run), -Werror
# turns that into a failure with no plan written, and under the default
# target the same keyword is an unsupported error.
# Environment (from make check): CFGC.
set -u
CFGC=${CFGC:-./cfgc}
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
cat >"$dir/t.cfg" <<'CFG'
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:18500
    tcp-request content set-var(txn.x) int(1) if { src 127.0.0.1 }
    default_backend bk
backend bk
    server s1 127.0.0.1:9000
CFG
fail=0
check() {	# check WHAT: print and count a failure when the last test failed
	if [ "$ok" = 1 ]; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}

out=$("$CFGC" --target=haproxy "$dir/t.cfg" -o "$dir/p1" 2>&1); rc=$?
ok=0; [ $rc = 0 ] && [ -f "$dir/p1" ] &&
	echo "$out" | grep -q "t.cfg:8:5: warning\[not-run\]: keyword 'tcp-request'" && ok=1
check "--target=haproxy -o writes the plan and warns not-run at 8:5 ($rc: $out)"

out=$("$CFGC" --target=haproxy -c "$dir/t.cfg" 2>&1); rc=$?
ok=0; [ $rc = 0 ] && [ -z "$out" ] && ok=1
check "--target=haproxy -c is clean: nothing is left out of a plan ($rc: $out)"

out=$("$CFGC" -Werror --target=haproxy "$dir/t.cfg" -o "$dir/p2" 2>&1); rc=$?
ok=0; [ $rc = 1 ] && [ ! -e "$dir/p2" ] && ok=1
check "-Werror: exit 1 and no plan ($rc)"

out=$("$CFGC" "$dir/t.cfg" -o "$dir/p3" 2>&1); rc=$?
ok=0; [ $rc = 1 ] && [ ! -e "$dir/p3" ] &&
	echo "$out" | grep -q "error\[unsupported\]" && ok=1
check "default target: unsupported error, no plan ($rc)"
exit $fail
